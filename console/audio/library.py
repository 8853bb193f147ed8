"""The audio library service: import, metadata, revisions, approval, rendering, history.

No Qt. The GUI calls it from background tasks: the long operations (:meth:`Library.import_files`,
:meth:`Library.render`) report ``progress(fraction)`` and stop when ``cancel`` is set. Permission
and state checks happen here (``console.core.approval``), never in widgets; every change writes a
``media_history`` row naming the user.

Imported files are copied into the media store first (the original may be on a USB stick that
is pulled out), decoded from that copy to 48 kHz mono and measured (loudness per BS.1770-4) while
decoding, in constant memory. An item and its first revision, ``EditList.whole(...)`` over the
source, are written in one transaction; if anything fails, the copy is removed again unless
another item or render uses the same content.
"""

from __future__ import annotations

import re
import tempfile
import threading
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console.audio.ffmpeg import (
    AudioError,
    Probe,
    decode_chunks,
    format_duration,
    looks_like_media,
    probe,
)
from console.core.approval import check_permission, transition
from console.core.editlist import EditList
from console.core.hierarchy import fold
from console.media.store import MediaStore, Stored
from console.store.db import Database
from console.store.models import (
    MEDIA_CATEGORIES,
    MEDIA_STATES,
    MediaHistory,
    MediaItem,
    MediaRender,
    MediaRevision,
    now_ms,
)
from console.store.writer import DbWriter

RATE = 48000  # the rate of edit lists over imported sources (mono)
MAX_DURATION_MS = 10 * 3600 * 1000
Progress = Callable[[float], None]
T = TypeVar("T")

_TEXT_FIELDS = {"title": 256, "source": 256, "author": 128, "language": 16, "notes": None}
METADATA_FIELDS = (*_TEXT_FIELDS, "category", "tags", "expires_on")


class UnknownItem(LookupError):
    """No item with that id."""


class _Cancelled(Exception):
    pass


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file of a batch."""

    file: str
    ok: bool
    id: int | None = None
    sha256: str | None = None
    duration_ms: int | None = None
    lufs: float | None = None
    true_peak_db: float | None = None
    error: str | None = None  # one line naming the file and the reason
    existing: bool = False  # the content was already in the library: ``id`` is that item

    def as_json(self) -> dict[str, Any]:
        """The form printed by ``python -m console audio import --json``."""
        return {"file": self.file, "ok": self.ok, "id": self.id, "sha256": self.sha256,
                "duration_ms": self.duration_ms, "lufs": _round(self.lufs),
                "true_peak_db": _round(self.true_peak_db), "error": self.error}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def item_json(item: MediaItem) -> dict[str, Any]:
    """An item as plain JSON values (``audio list --json``)."""
    return {
        "id": item.id, "title": item.title, "category": item.category, "state": item.state,
        "source": item.source, "author": item.author, "language": item.language, "tags": list(item.tags),
        "notes": item.notes, "expires_on": item.expires_on.isoformat() if item.expires_on else None,
        "duration_ms": item.duration_ms, "lufs": _round(item.lufs), "true_peak_db": _round(item.true_peak_db),
        "lra": _round(item.lra), "sha256": item.source_sha256, "original_filename": item.original_filename,
        "original_format": item.original_format, "current_revision_id": item.current_revision_id,
        "created_at": item.created_at, "created_by": item.created_by, "updated_at": item.updated_at,
    }


def _ext(path: Path, info: Probe) -> str:
    ext = path.suffix.lower().lstrip(".")
    if re.fullmatch(r"[a-z0-9]{1,8}", ext):
        return ext
    first = info.format.split(",")[0].lower()
    return first if re.fullmatch(r"[a-z0-9]{1,8}", first) else "bin"


class Library:
    """The audio library as ``user`` acting with ``role`` (editor, approver, technician, admin).

    Writes go through ``writer`` (the console's single database writer) when one is given, else
    straight to the database in their own transactions.
    """

    def __init__(self, db: Database, store: MediaStore, user: str, role: str,
                 writer: DbWriter | None = None) -> None:
        self._db = db
        self.store = store
        self.user = user
        self.role = role
        self._writer = writer

    # -- plumbing -------------------------------------------------------------------------------

    def _write(self, fn: Callable[[Session], T]) -> T:
        if self._writer is not None:
            return self._writer.call(fn).result()
        with self._db.sessions.begin() as session:
            return fn(session)

    def _check(self, action: str) -> None:
        check_permission(self.user, self.role, action)

    @staticmethod
    def _item(session: Session, item_id: int) -> MediaItem:
        item = session.get(MediaItem, item_id)
        if item is None:
            raise UnknownItem(f"There is no audio item {item_id}.")
        return item

    def _history(self, session: Session, item: MediaItem, action: str, before: str | None,
                 note: str = "") -> None:
        session.add(MediaHistory(item_id=item.id, ts=now_ms(), user_name=self.user, action=action,
                                 from_state=before, to_state=item.state, note=note))

    def _referenced(self, sha256: str) -> bool:
        with self._db.sessions() as session:
            return session.scalar(select(MediaItem.id).where(MediaItem.source_sha256 == sha256).limit(1)) \
                is not None or session.scalar(
                    select(MediaRender.id).where(MediaRender.sha256 == sha256).limit(1)) is not None

    def _discard(self, stored: Stored) -> None:
        """Remove what a failed operation put in the store, unless something else uses it."""
        if stored.created and not self._referenced(stored.sha256):
            self.store.remove(stored.sha256)

    # -- reading --------------------------------------------------------------------------------

    def get(self, item_id: int) -> MediaItem:
        with self._db.sessions() as session:
            return self._item(session, item_id)

    def list_items(self, search: str | None = None, category: str | None = None, state: str | None = None,
                   since: int | None = None, until: int | None = None) -> list[MediaItem]:
        """Items, newest first. ``search`` matches title, source, author, tags, notes and the file
        name, ignoring case and Vietnamese accents; ``since``/``until`` bound the import time
        (UTC epoch ms, inclusive)."""
        if category and category not in MEDIA_CATEGORIES:
            raise ValueError(f"The category must be one of {', '.join(MEDIA_CATEGORIES)}.")
        if state and state not in MEDIA_STATES:
            raise ValueError(f"The state must be one of {', '.join(MEDIA_STATES)}.")
        query = select(MediaItem).order_by(MediaItem.created_at.desc(), MediaItem.id.desc())
        if category:
            query = query.where(MediaItem.category == category)
        if state:
            query = query.where(MediaItem.state == state)
        if since is not None:
            query = query.where(MediaItem.created_at >= since)
        if until is not None:
            query = query.where(MediaItem.created_at <= until)
        with self._db.sessions() as session:
            items = list(session.scalars(query))
        if search and (words := fold(search).split()):
            def text(i: MediaItem) -> str:
                return fold(" ".join([i.title, i.source, i.author, i.notes, i.original_filename, *i.tags]))
            items = [i for i in items if all(w in text(i) for w in words)]
        return items

    def revisions(self, item_id: int) -> list[MediaRevision]:
        with self._db.sessions() as session:
            self._item(session, item_id)
            return list(session.scalars(select(MediaRevision).where(MediaRevision.item_id == item_id)
                                        .order_by(MediaRevision.number)))

    def editlist(self, item_id: int) -> EditList:
        """The current revision's edit list."""
        with self._db.sessions() as session:
            item = self._item(session, item_id)
            return EditList.from_json(session.get(MediaRevision, item.current_revision_id).editlist)

    def history(self, item_id: int) -> list[MediaHistory]:
        """Who did what to the item, oldest first."""
        with self._db.sessions() as session:
            self._item(session, item_id)
            return list(session.scalars(select(MediaHistory).where(MediaHistory.item_id == item_id)
                                        .order_by(MediaHistory.ts, MediaHistory.id)))

    # -- import ---------------------------------------------------------------------------------

    def import_files(self, paths: Iterable[str | Path], progress: Progress | None = None,
                     cancel: threading.Event | None = None) -> list[ImportResult]:
        """Import each file; a failure is reported in its result and the batch goes on.

        When ``cancel`` is set, the file in progress is undone and the results of the files
        finished before it are returned.
        """
        self._check("import")
        paths = list(paths)
        results: list[ImportResult] = []
        for i, path in enumerate(paths):
            if cancel is not None and cancel.is_set():
                break

            def step(fraction: float, i: int = i) -> None:
                if progress is not None:
                    progress((i + fraction) / len(paths))
            try:
                results.append(self._import_one(Path(path), step, cancel))
            except _Cancelled:
                break
            except AudioError as exc:
                results.append(ImportResult(str(path), False, error=str(exc)))
            except OSError as exc:  # e.g. the store's disk is full
                results.append(ImportResult(str(path), False,
                                            error=f"{path}: cannot copy into the media store: {exc.strerror or exc}"))
            except SQLAlchemyError as exc:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                results.append(ImportResult(str(path), False, error=f"{path}: cannot save in the database: {reason}"))
            step(1.0)
        return results

    def _import_one(self, path: Path, progress: Progress, cancel: threading.Event | None) -> ImportResult:
        info = probe(path)
        if not info.has_audio:
            raise AudioError(path, "no audio track" if info.has_video or looks_like_media(path)
                             else "not an audio file")
        if info.duration_ms is not None and info.duration_ms > MAX_DURATION_MS:
            raise AudioError(path, f"longer than 10 hours ({format_duration(info.duration_ms)})")
        stored = self.store.put(path, _ext(path, info))
        try:
            with self._db.sessions() as session:
                existing = session.scalar(select(MediaItem).where(MediaItem.source_sha256 == stored.sha256)
                                          .order_by(MediaItem.id).limit(1))
            if existing is not None:
                return ImportResult(str(path), True, existing.id, stored.sha256,
                                    existing.duration_ms, existing.lufs, existing.true_peak_db, existing=True)
            frames, loudness = self._measure(path, stored.path, info, progress, cancel)
            duration_ms = frames * 1000 // RATE
            title = (info.tags.get("title") or "").strip() or path.stem

            def insert(session: Session) -> int:
                now = now_ms()
                item = MediaItem(
                    title=title[:256], category="other", source="", author="", language="vi", tags=[],
                    notes="", state=transition(None, "import"), source_sha256=stored.sha256,
                    original_filename=path.name[:512], original_format=info.format[:64],
                    duration_ms=duration_ms, lufs=loudness.lufs, true_peak_db=loudness.true_peak_db,
                    lra=loudness.lra, created_at=now, created_by=self.user, updated_at=now)
                session.add(item)
                session.flush()
                revision = MediaRevision(item_id=item.id, number=1, created_at=now, created_by=self.user,
                                         editlist=EditList.whole(stored.sha256, frames, RATE).to_json(),
                                         note="imported")
                session.add(revision)
                session.flush()
                item.current_revision_id = revision.id
                self._history(session, item, "import", None, path.name)
                return item.id

            item_id = self._write(insert)
        except BaseException:
            self._discard(stored)
            raise
        return ImportResult(str(path), True, item_id, stored.sha256, duration_ms, loudness.lufs,
                            loudness.true_peak_db)

    def _measure(self, path: Path, copy: Path, info: Probe, progress: Progress,
                 cancel: threading.Event | None):
        """Decode the store's copy, measuring as it goes: (frames, Loudness). Errors name ``path``."""
        from console.audio.loudness import (
            LoudnessMeter,  # scipy: loaded when first needed (fast CLI)
        )

        meter = LoudnessMeter(RATE)
        frames = 0
        expected = info.duration_ms * RATE / 1000 if info.duration_ms else None
        try:
            with closing(decode_chunks(copy, RATE, 1)) as chunks:
                for chunk in chunks:
                    if cancel is not None and cancel.is_set():
                        raise _Cancelled
                    meter.add(chunk)
                    frames += len(chunk)
                    if frames > MAX_DURATION_MS * RATE // 1000:
                        raise AudioError(path, "longer than 10 hours")
                    if expected:
                        progress(min(frames / expected, 1.0))
        except AudioError as exc:
            raise AudioError(path, exc.reason) from None
        if frames == 0:
            raise AudioError(path, "truncated or corrupt: no audio could be decoded")
        decoded_ms = frames * 1000 // RATE
        announced = info.duration_ms
        if announced and not info.duration_estimated and decoded_ms < announced - max(500, announced // 100):
            raise AudioError(path, f"truncated or corrupt: only {decoded_ms / 1000:.1f} s of the "
                                   f"{announced / 1000:.1f} s it announces could be decoded")
        return frames, meter.result()

    # -- metadata and revisions -----------------------------------------------------------------

    def update_metadata(self, item_id: int, **fields: Any) -> MediaItem:
        """Change metadata (``METADATA_FIELDS``). An actual change is an edit: a submitted, approved or
        rejected item goes back to draft. Returns the item."""
        self._check("edit")
        values = {name: _clean(name, value) for name, value in fields.items()}

        def apply(session: Session) -> MediaItem:
            item = self._item(session, item_id)
            changed = [name for name, value in values.items() if getattr(item, name) != value]
            if not changed:
                return item
            before = item.state
            item.state = transition(before, "edit")
            for name in changed:
                setattr(item, name, values[name])
            item.updated_at = now_ms()
            self._history(session, item, "edit", before, "changed " + ", ".join(changed))
            return item

        return self._write(apply)

    def save_revision(self, item_id: int, editlist: EditList, note: str = "") -> MediaRevision:
        """Save ``editlist`` as the item's new current revision (earlier ones stay). An edit: a
        submitted, approved or rejected item goes back to draft."""
        self._check("edit")
        missing = sorted(s for s in editlist.sources() if s and self.store.path(s) is None)
        if missing:
            raise ValueError(f"The edit list uses audio that is not in the media store: {', '.join(missing)}.")

        def apply(session: Session) -> MediaRevision:
            item = self._item(session, item_id)
            before = item.state
            item.state = transition(before, "edit")
            number = session.scalar(select(func.max(MediaRevision.number))
                                    .where(MediaRevision.item_id == item_id)) or 0
            now = now_ms()
            revision = MediaRevision(item_id=item_id, number=number + 1, editlist=editlist.to_json(),
                                     created_at=now, created_by=self.user, note=note)
            session.add(revision)
            session.flush()
            item.current_revision_id = revision.id
            item.duration_ms = editlist.frames * 1000 // editlist.rate
            item.updated_at = now
            self._history(session, item, "revision", before, f"revision {revision.number}"
                          + (f": {note}" if note else ""))
            return revision

        return self._write(apply)

    # -- approval -------------------------------------------------------------------------------

    def _move(self, item_id: int, action: str, note: str) -> MediaItem:
        self._check(action)

        def apply(session: Session) -> MediaItem:
            item = self._item(session, item_id)
            before = item.state
            item.state = transition(before, action, note)
            item.updated_at = now_ms()
            self._history(session, item, action, before, note.strip())
            return item

        return self._write(apply)

    def submit(self, item_id: int, note: str = "") -> MediaItem:
        return self._move(item_id, "submit", note)

    def approve(self, item_id: int, note: str = "") -> MediaItem:
        return self._move(item_id, "approve", note)

    def reject(self, item_id: int, note: str) -> MediaItem:
        """Reject a submitted item; the note saying why is required."""
        return self._move(item_id, "reject", note)

    def archive(self, item_id: int, note: str = "") -> MediaItem:
        return self._move(item_id, "archive", note)

    # -- render ---------------------------------------------------------------------------------

    def render(self, item_id: int, out: str | Path | None = None, fmt: str = "mp3", bitrate_k: int = 64,
               lufs: float = -16.0, true_peak: float = -1.0, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> dict[str, Any]:
        """Render the current revision for distribution, keep the file in the media store (and copy
        it to ``out`` if given) and record it. Returns the media descriptor: sha256, ``name``
        (``{sha256}.{ext}``, the file name under the media base URL), bytes, duration_ms, codec,
        lufs, true_peak_db, and more about the render."""
        self._check("render")
        from console.audio.render import (
            render as render_editlist,  # scipy: loaded when first needed
        )

        if out is not None and not Path(out).parent.is_dir():
            raise ValueError(f"Cannot write {out}: the folder {Path(out).parent} does not exist.")
        with self._db.sessions() as session:
            item = self._item(session, item_id)
            revision = session.get(MediaRevision, item.current_revision_id)
        editlist = EditList.from_json(revision.editlist)
        sources: dict[str, Path] = {}
        for sha in sorted(s for s in editlist.sources() if s):
            path = self.store.path(sha)
            if path is None:
                raise AudioError(f"item {item_id}", f"its source {sha} is missing from the media store")
            sources[sha] = path
        tmp_root = self.store.root / ".tmp"
        tmp_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=tmp_root) as tmp:
            target = Path(out) if out is not None else Path(tmp) / f"render.{fmt}"
            rendered = render_editlist(editlist, sources, target, fmt=fmt, bitrate_k=bitrate_k, lufs=lufs,
                                         true_peak=true_peak, progress=progress, cancel=cancel)
            stored = self.store.put(rendered.path, fmt)
        try:
            def record(session: Session) -> None:
                item = self._item(session, item_id)
                session.add(MediaRender(
                    revision_id=revision.id, sha256=stored.sha256, format=fmt, bitrate_k=bitrate_k,
                    bytes=stored.bytes, duration_ms=rendered.duration_ms, lufs=rendered.lufs,
                    true_peak_db=rendered.true_peak_db, lra=rendered.lra, created_at=now_ms()))
                self._history(session, item, "render", item.state,
                              f"revision {revision.number}, {fmt} {bitrate_k} kbit/s, {stored.sha256}")

            self._write(record)
        except BaseException:
            self._discard(stored)
            raise
        return {
            "item_id": item_id, "revision": revision.number, "sha256": stored.sha256,
            "name": self.store.name(stored.sha256, fmt), "path": str(Path(out) if out is not None else stored.path),
            "bytes": stored.bytes, "duration_ms": rendered.duration_ms, "codec": rendered.codec,
            "format": fmt, "bitrate_k": bitrate_k, "lufs": _round(rendered.lufs),
            "true_peak_db": _round(rendered.true_peak_db), "lra": _round(rendered.lra),
        }


def _clean(name: str, value: Any) -> Any:
    """A metadata value checked and normalised; ValueError with a sentence for the user."""
    if name in _TEXT_FIELDS:
        if not isinstance(value, str):
            raise ValueError(f"The {name} must be text.")
        value = value.strip()
        limit = _TEXT_FIELDS[name]
        if limit is not None and len(value) > limit:
            raise ValueError(f"The {name} is longer than {limit} characters.")
        if name in ("title", "language") and not value:
            raise ValueError(f"The {name} cannot be empty.")
        return value
    if name == "category":
        if value not in MEDIA_CATEGORIES:
            raise ValueError(f"The category must be one of {', '.join(MEDIA_CATEGORIES)}.")
        return value
    if name == "tags":
        if isinstance(value, str) or not all(isinstance(t, str) for t in value):
            raise ValueError("The tags must be a list of words.")
        return list(dict.fromkeys(t.strip() for t in value if t.strip()))
    if name == "expires_on":
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"The expiry date {value!r} is not a date (YYYY-MM-DD).") from None
    raise ValueError(f"unknown metadata field {name!r}; one of {', '.join(METADATA_FIELDS)}")

