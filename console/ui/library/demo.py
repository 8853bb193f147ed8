"""A small demo library for screenshots: a dozen generated recordings, imported for real and moved
through approval by the service, in a throwaway SQLite database and media store under ``folder``."""

from __future__ import annotations

import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from PySide6.QtTest import QTest

from console.audio.library import Library
from console.core.hierarchy import fold
from console.media.store import MediaStore
from console.store.db import Database, open_database
from console.ui.editor.demo import speech_like
from console.ui.library.library_view import LibraryView

RATE = 16000  # the files are generated at a phone-call rate; the library decodes them to 48 kHz

# title, category, state, source, author, seconds, kind, tags, expires in days (None: never)
ITEMS = (
    ("Bản tin thời sự sáng", "news", "approved", "Đài Truyền thanh xã", "Nguyễn Thị Lan", 272, "speech",
     ["bản tin", "sáng"], 1),
    ("Cảnh báo bão số 9: sơ tán dân ven biển", "emergency", "approved", "Ban Chỉ huy PCTT xã", "Trần Văn Hùng",
     95, "speech", ["bão", "khẩn"], 3),
    ("Thông báo lịch tiêm chủng mở rộng", "news", "submitted", "Trạm Y tế xã", "Lê Thị Mai", 78, "speech",
     ["y tế"], 10),
    ("Tuyên truyền Luật Đất đai 2024", "policy", "approved", "Đài Truyền thanh huyện", "Phạm Quốc Bảo", 356,
     "speech", ["pháp luật", "đất đai"], None),
    ("Thu thuế sử dụng đất phi nông nghiệp", "policy", "submitted", "UBND xã", "Võ Minh Tuấn", 64, "speech",
     ["thuế"], 30),
    ("Chương trình ca nhạc quê hương", "culture", "draft", "Đài Truyền thanh xã", "Đặng Thu Hà", 412, "music",
     ["ca nhạc"], None),
    ("Quảng cáo HTX nông nghiệp Tân Lập", "advertisement", "rejected", "HTX Tân Lập", "Bùi Văn Phúc", 42, "speech",
     ["quảng cáo"], 20),
    ("Nhạc hiệu đầu chương trình", "other", "approved", "Đài Truyền thanh xã", "", 12, "chime", ["nhạc hiệu"], None),
    ("Phòng chống sốt xuất huyết", "news", "draft", "Trạm Y tế xã", "Lê Thị Mai", 131, "speech",
     ["y tế", "mùa mưa"], None),
    ("Hướng dẫn phòng cháy chữa cháy rừng", "emergency", "approved", "Hạt Kiểm lâm", "Ngô Đức Thịnh", 150,
     "speech", ["rừng"], -2),
    ("Bản tin chiều tuần trước", "news", "archived", "Đài Truyền thanh xã", "Nguyễn Thị Lan", 245, "speech",
     ["bản tin"], None),
    ("Lời chào cuối chương trình", "other", "approved", "Đài Truyền thanh xã", "Nguyễn Thị Lan", 20, "speech",
     [], None),
)
SELECTED = "Quảng cáo HTX nông nghiệp Tân Lập"  # the item shown in the details panel
LOAD_TIMEOUT_S = 30
REJECT_NOTE = "Thiếu giấy phép quảng cáo; đề nghị bổ sung và đọc lại số điện thoại."
NOTES = {"Quảng cáo HTX nông nghiệp Tân Lập": "Phát 3 lần mỗi ngày trong tuần lễ khai trương.",
         "Cảnh báo bão số 9: sơ tán dân ven biển": "Phát lặp lại mỗi giờ đến khi có lệnh mới."}
EDITOR, APPROVER = "Nguyễn Thị Lan", "Trần Quốc Việt"  # who prepares the items, who approves them


def _signal(kind: str, seconds: int, seed: int) -> np.ndarray:
    if kind == "speech":
        return speech_like(seconds, RATE, seed=seed) * 0.8
    t = np.arange(seconds * RATE) / RATE
    if kind == "chime":  # three bell-like notes, each ringing out
        notes = (784.0, 659.3, 523.3)
        out = np.zeros_like(t)
        for i, f in enumerate(notes):
            start = i * 0.6
            rel = np.clip(t - start, 0, None)
            out += (t >= start) * np.sin(2 * np.pi * f * rel) * np.exp(-rel * 1.6) * 0.3
        return out
    chords = (220.0, 261.6, 329.6, 293.7)  # "music": a slow chord progression with a pulse
    f = np.array(chords)[(t // 2).astype(int) % len(chords)]
    pulse = 0.6 + 0.4 * np.sin(2 * np.pi * 2 * t) ** 2
    return 0.2 * pulse * (np.sin(2 * np.pi * f * t) + 0.5 * np.sin(2 * np.pi * 1.5 * f * t))


def _write_wav(path: Path, samples: np.ndarray) -> Path:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return path


def build_demo_library(folder: Path) -> tuple[Library, Database]:
    """The demo library and its database, which the caller closes. An editor imports and submits the
    items, an approver approves or returns them; the library returned acts as the approver."""
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(f"sqlite:///{folder / 'library.db'}")
    store = MediaStore(folder / "media")
    library = Library(db, store, EDITOR, "editor")
    approver = Library(db, store, APPROVER, "approver")
    files = [_write_wav(folder / f"{fold(title).replace(' ', '-').replace(':', '')}.wav", _signal(kind, seconds, i))
             for i, (title, _c, _s, _src, _a, seconds, kind, _tags, _e) in enumerate(ITEMS)]
    results = library.import_files(files)
    failed = [r.error for r in results if not r.ok]
    if failed:
        raise RuntimeError(f"the demo library could not import its files: {failed[0]}")
    for result, (title, category, state, source, author, _s, _k, tags, expires) in zip(results, ITEMS):
        library.update_metadata(result.id, title=title, category=category, source=source, author=author,
                                tags=tags, notes=NOTES.get(title, ""),
                                expires_on=date.today() + timedelta(days=expires) if expires is not None else None)
        if state in ("submitted", "approved", "rejected"):
            library.submit(result.id)
        if state == "approved":
            approver.approve(result.id)
        elif state == "rejected":
            approver.reject(result.id, REJECT_NOTE)
        elif state == "archived":
            approver.archive(result.id)
    return approver, db


@contextmanager
def demo_view(folder: Path) -> Iterator[LibraryView]:
    """A LibraryView over the demo library, listed, with :data:`SELECTED` selected and its history shown."""
    library, db = build_demo_library(folder)
    view = LibraryView(library, render_options={"fmt": "mp3", "bitrate_k": 64})
    try:
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while view.model.rowCount() < len(ITEMS) and time.monotonic() < deadline:
            QTest.qWait(20)
        selected = next((i.id for i in view.model.items() if i.title == SELECTED), None)
        if selected is not None:
            view.select_item(selected)
            while view.panel.history.count() == 0 and time.monotonic() < deadline:
                QTest.qWait(20)
        yield view
    finally:
        view.tasks.shutdown()
        view.close()
        view.deleteLater()
        db.close()
