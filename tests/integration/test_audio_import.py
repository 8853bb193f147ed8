"""The audio library service on real files, ffmpeg and databases (SQLite and PostgreSQL): import
of every format, bad input, batches, duplicates, cancellation, metadata, revisions, approval,
permissions, the history, and rendering for distribution."""

import hashlib
import shutil
import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from console.audio import ffmpeg
from console.audio.library import Library, UnknownItem
from console.audio.render import RenderCancelled
from console.core.approval import PermissionDenied, TransitionRefused
from console.core.editlist import EditList
from console.media.store import MediaStore
from console.store.db import open_database
from console.store.models import MediaHistory, MediaItem, MediaRender, MediaRevision, now_ms
from console.store.writer import DbWriter
from fixtures.audio import FORMATS, need


BAD_INPUT = [
    ("truncated.mp3", "truncated or corrupt: only 3.0 s of the 6.0 s it announces could be decoded"),
    ("corrupt.mp3", "truncated or corrupt: "),
    ("truncated.m4a", "truncated or corrupt: moov atom not found"),
    ("empty.mp3", "file is empty (0 bytes)"),
    ("text.mp3", "not an audio file"),
    ("long.flac", "longer than 10 hours (12:03:00)"),
    ("noaudio.mp4", "no audio track"),
]


@pytest.fixture
def db(db_url):
    database = open_database(db_url, seed=False)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(sqlite_url):
    database = open_database(sqlite_url, seed=False)
    yield database
    database.close()


@pytest.fixture
def store(tmp_path):
    return MediaStore(tmp_path / "media")


def library(db, store, user="minh", role="admin", **kw):
    return Library(db, store, user, role, **kw)


def counts(db):
    with db.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (MediaItem, MediaRevision, MediaHistory))


def stored_files(store):
    return sorted(p.name for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- formats ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*FORMATS, "mp4"])
def test_each_format_imports_with_sensible_duration_and_loudness(name, audio_files, sqlite_db, store):
    path = need(audio_files, name)
    lib = library(sqlite_db, store)
    [result] = lib.import_files([path])
    assert result.ok, result.error
    assert result.sha256 == sha256(path) and store.path(result.sha256).read_bytes() == path.read_bytes()
    assert result.duration_ms == pytest.approx(3000, abs=60)
    # The lossless original of the same signal measures about -27 LUFS. AMR-NB is narrowband
    # (8 kHz) speech coding: the noise above 4 kHz is gone, so it reads several LU lower.
    reference = lib.import_files([audio_files["wav"]])[0] if name != "wav" else result
    assert result.lufs == pytest.approx(reference.lufs, abs=6.0 if name == "amr" else 2.0)
    assert result.true_peak_db < 0
    item = lib.get(result.id)
    assert (item.state, item.category, item.language, item.created_by) == ("draft", "other", "vi", "minh")
    assert item.original_filename == path.name and item.source_sha256 == result.sha256
    editlist = lib.editlist(item.id)
    assert editlist.sources() == {result.sha256} and editlist.frames * 1000 // 48000 == result.duration_ms


def test_a_video_gives_its_audio_track_and_its_title(audio_files, sqlite_db, store):
    path = need(audio_files, "mp4")
    info = ffmpeg.probe(path)
    assert info.has_audio and info.has_video
    [result] = library(sqlite_db, store).import_files([path])
    item = library(sqlite_db, store).get(result.id)
    assert item.title == "Thông báo họp dân"
    assert item.original_format.startswith("mov,mp4")


def test_the_first_revision_is_the_whole_source(audio_files, sqlite_db, store):
    lib = library(sqlite_db, store)
    [result] = lib.import_files([audio_files["wav"]])
    editlist = lib.editlist(result.id)
    assert editlist == EditList.whole(result.sha256, 3 * 48000, 48000, 1)
    [revision] = lib.revisions(result.id)
    assert (revision.number, revision.created_by) == (1, "minh")
    assert lib.get(result.id).current_revision_id == revision.id


# -- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, reason", BAD_INPUT)
def test_bad_input_is_named_and_leaves_nothing(name, reason, audio_files, sqlite_db, store):
    # (On PostgreSQL too: the batch test below.)
    path = need(audio_files, name)
    lib = library(sqlite_db, store)
    lib.import_files([audio_files["wav"]])
    before = (counts(sqlite_db), stored_files(store))
    [result] = lib.import_files([path])
    assert not result.ok and result.id is None
    assert result.error.startswith(f"{path}: {reason}"), result.error
    assert "\n" not in result.error
    assert (counts(sqlite_db), stored_files(store)) == before


def test_a_missing_file_is_named(sqlite_db, store, tmp_path):
    [result] = library(sqlite_db, store).import_files([tmp_path / "gone.mp3"])
    assert result.error == f"{tmp_path / 'gone.mp3'}: file not found"


def test_a_batch_goes_on_past_failures_and_reports_each_file(audio_files, db, store):
    names = ["mp3", "empty.mp3", "wav", "text.mp3", "truncated.mp3", "corrupt.mp3", "ogg", "long.flac"]
    paths = [audio_files[n] for n in names]
    seen = []
    results = library(db, store).import_files(paths, progress=seen.append)
    assert [r.file for r in results] == [str(p) for p in paths]
    assert [r.ok for r in results] == [True, False, True, False, False, False, True, False]
    assert counts(db) == (3, 3, 3)
    assert sorted(stored_files(store)) == sorted(f"{r.sha256}.{n}" for r, n in zip(results, names) if r.ok)
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_importing_the_same_content_again_finds_the_item(audio_files, db, store, tmp_path):
    lib = library(db, store)
    [first] = lib.import_files([audio_files["mp3"]])
    copy = tmp_path / "ban-sao.mp3"
    shutil.copy(audio_files["mp3"], copy)
    again, renamed = lib.import_files([audio_files["mp3"], copy])
    for r in (again, renamed):
        assert r.ok and r.existing and r.id == first.id and r.sha256 == first.sha256
        assert (r.duration_ms, r.lufs) == (first.duration_ms, first.lufs)
    assert not first.existing
    assert counts(db) == (1, 1, 1) and len(stored_files(store)) == 1


def test_cancel_undoes_the_file_in_progress(audio_files, sqlite_db, store):
    cancel = threading.Event()
    paths = [audio_files["wav"], audio_files["flac"], audio_files["mp3"]]

    def progress(fraction):
        if fraction > 1 / 3:  # the second file has started decoding
            cancel.set()

    results = library(sqlite_db, store).import_files(paths, progress=progress, cancel=cancel)
    assert [r.file for r in results] == [str(paths[0])]
    assert counts(sqlite_db) == (1, 1, 1) and stored_files(store) == [f"{results[0].sha256}.wav"]


def test_a_database_failure_leaves_no_file_behind(audio_files, sqlite_db, store, monkeypatch):
    lib = library(sqlite_db, store)

    def broken(fn):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(lib, "_write", broken)
    [result] = lib.import_files([audio_files["wav"]])
    assert result.error == f"{audio_files['wav']}: cannot save in the database: database is locked"
    assert stored_files(store) == [] and counts(sqlite_db) == (0, 0, 0)


def test_the_original_may_vanish_once_imported(audio_files, sqlite_db, store, tmp_path):
    stick = tmp_path / "usb" / "ghi-am.mp3"
    stick.parent.mkdir()
    shutil.copy(audio_files["mp3"], stick)
    [result] = library(sqlite_db, store).import_files([stick])
    shutil.rmtree(stick.parent)
    assert store.path(result.sha256).read_bytes() == audio_files["mp3"].read_bytes()


def test_a_colon_in_a_relative_name_is_not_a_protocol(audio_files, sqlite_db, store, tmp_path, monkeypatch):
    shutil.copy(audio_files["mp3"], tmp_path / "tin:30.mp3")  # ffmpeg would read "tin:" as a protocol
    monkeypatch.chdir(tmp_path)
    [result] = library(sqlite_db, store).import_files(["tin:30.mp3"])
    assert result.ok, result.error
    assert library(sqlite_db, store).get(result.id).title == "tin:30"


# -- ffmpeg without ffprobe, and the wheel's ffmpeg ---------------------------------------------------


@pytest.fixture
def no_ffprobe(tmp_path, monkeypatch):
    """PATH holds only the system ffmpeg: no ffprobe anywhere."""
    system = shutil.which("ffmpeg")
    if system is None:
        pytest.skip("no system ffmpeg")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "ffmpeg").symlink_to(system)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("TT_FFMPEG", raising=False)
    monkeypatch.delenv("TT_FFPROBE", raising=False)
    assert ffmpeg.find_tools() == ffmpeg.Tools(str(bin_dir / "ffmpeg"), None)


@pytest.mark.parametrize("name", [*FORMATS, "mp4", "noaudio.mp4"])
def test_probing_with_ffmpeg_alone_agrees_with_ffprobe(name, audio_files, monkeypatch, request):
    path = need(audio_files, name)
    if shutil.which("ffprobe") is None:
        pytest.skip("no ffprobe to compare with")
    with_ffprobe = ffmpeg.probe(path)
    request.getfixturevalue("no_ffprobe")
    alone = ffmpeg.probe(path)
    assert alone.duration_ms == pytest.approx(with_ffprobe.duration_ms, abs=10)
    for field in ("sample_rate", "channels", "codec", "has_audio", "has_video", "format", "duration_estimated"):
        assert getattr(alone, field) == getattr(with_ffprobe, field), field
    assert alone.tags.get("title") == with_ffprobe.tags.get("title")


def test_import_works_without_ffprobe(no_ffprobe, audio_files, sqlite_db, store):
    video, *bad = library(sqlite_db, store).import_files([audio_files["mp4"]] + [audio_files[n] for n, _ in BAD_INPUT])
    assert video.ok and library(sqlite_db, store).get(video.id).title == "Thông báo họp dân"
    for result, (name, reason) in zip(bad, BAD_INPUT):
        assert result.error.startswith(f"{audio_files[name]}: {reason}"), result.error


def test_the_ffmpeg_of_the_wheel_is_found_last(audio_files, sqlite_db, store, tmp_path, monkeypatch):
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    monkeypatch.delenv("TT_FFMPEG", raising=False)
    monkeypatch.delenv("TT_FFPROBE", raising=False)
    assert ffmpeg.find_tools() == ffmpeg.Tools(imageio_ffmpeg.get_ffmpeg_exe(), None)
    [ok, bad] = library(sqlite_db, store).import_files([audio_files["mp3"], audio_files["truncated.mp3"]])
    assert ok.ok and ok.duration_ms == pytest.approx(3000, abs=60)
    assert "truncated or corrupt" in bad.error


def test_environment_overrides_come_first(monkeypatch, tmp_path):
    system = shutil.which("ffmpeg")
    if system is None:
        pytest.skip("no system ffmpeg")
    monkeypatch.setenv("TT_FFMPEG", system)
    monkeypatch.setenv("TT_FFPROBE", system)  # any executable: the override is taken as given
    assert ffmpeg.find_tools() == ffmpeg.Tools(system, system)
    monkeypatch.setenv("TT_FFMPEG", str(tmp_path / "nope"))
    with pytest.raises(ffmpeg.FfmpegNotFound, match=r"TT_FFMPEG is set to .*nope, which is not an executable"):
        ffmpeg.find_tools()


def test_decode_returns_float_samples_at_the_asked_rate(audio_files):
    mono = ffmpeg.decode(audio_files["wav"])
    assert mono.dtype == "float32" and mono.shape == (3 * 48000,)
    stereo = ffmpeg.decode(audio_files["mp3"], rate=16000, channels=2)
    assert stereo.shape[1] == 2 and abs(len(stereo) - 3 * 16000) < 1200
    with pytest.raises(ffmpeg.AudioError, match="corrupt.mp3: truncated or corrupt"):
        ffmpeg.decode(audio_files["corrupt.mp3"])


# -- metadata, revisions, approval, history --------------------------------------------------------


@pytest.fixture
def item_id(audio_files, db, store):
    [result] = library(db, store, user="hoa", role="editor").import_files([audio_files["wav"]])
    return result.id


def test_metadata_updates_are_checked_and_recorded(item_id, db, store):
    lib = library(db, store, user="hoa", role="editor")
    item = lib.update_metadata(item_id, title="  Lịch tiêm chủng  ", category="news", tags=["y tế", "y tế", " trẻ em "],
                               expires_on="2026-12-31", author="Trạm y tế xã")
    assert (item.title, item.category, item.tags, item.expires_on) == \
        ("Lịch tiêm chủng", "news", ["y tế", "trẻ em"], date(2026, 12, 31))
    again = lib.update_metadata(item_id, title="Lịch tiêm chủng")  # no change: nothing recorded
    assert again.updated_at == item.updated_at
    assert [h.note for h in lib.history(item_id)] == ["speech.wav", "changed title, category, tags, expires_on, author"]
    for bad in ({"category": "sports"}, {"title": " "}, {"tags": "a,b"}, {"expires_on": "soon"}, {"colour": "red"}):
        with pytest.raises(ValueError):
            lib.update_metadata(item_id, **bad)
    with pytest.raises(UnknownItem, match="There is no audio item 999"):
        lib.update_metadata(999, title="x")


def test_approval_through_the_service(item_id, db, store):
    editor = library(db, store, user="hoa", role="editor")
    approver = library(db, store, user="lan", role="approver")
    technician = library(db, store, user="tuan", role="technician")
    started = now_ms()

    with pytest.raises(PermissionDenied, match=r"^tuan \(technician\) may not submit items for approval\.$"):
        technician.submit(item_id)
    with pytest.raises(TransitionRefused, match="only submitted items can"):
        approver.approve(item_id)
    assert editor.submit(item_id).state == "submitted"
    with pytest.raises(PermissionDenied, match=r"^hoa \(editor\) may not approve items\.$"):
        editor.approve(item_id)
    with pytest.raises(TransitionRefused, match="needs a note"):
        approver.reject(item_id, "")
    assert approver.reject(item_id, "Đọc sai tên xã").state == "rejected"
    assert editor.update_metadata(item_id, title="Bản sửa").state == "draft"  # rejected -> draft on edit
    editor.submit(item_id)
    assert approver.approve(item_id, "OK").state == "approved"
    assert approver.archive(item_id).state == "archived"
    with pytest.raises(TransitionRefused, match="archived cannot be edited"):
        editor.update_metadata(item_id, title="again")

    history = editor.history(item_id)
    assert [(h.user_name, h.action, h.from_state, h.to_state) for h in history] == [
        ("hoa", "import", None, "draft"),
        ("hoa", "submit", "draft", "submitted"),
        ("lan", "reject", "submitted", "rejected"),
        ("hoa", "edit", "rejected", "draft"),
        ("hoa", "submit", "draft", "submitted"),
        ("lan", "approve", "submitted", "approved"),
        ("lan", "archive", "approved", "archived"),
    ]
    assert history[2].note == "Đọc sai tên xã" and history[5].note == "OK"
    assert started <= history[1].ts and history[-1].ts <= now_ms()  # history() is in time order


def test_a_new_revision_keeps_the_original_and_needs_new_approval(item_id, db, store):
    editor = library(db, store, user="hoa", role="editor")
    approver = library(db, store, user="lan", role="approver")
    editor.submit(item_id)
    approver.approve(item_id)
    original = editor.editlist(item_id)
    shorter = original.trim(0, 48000)
    revision = editor.save_revision(item_id, shorter, "first second only")
    assert revision.number == 2
    item = editor.get(item_id)
    assert (item.state, item.duration_ms, item.current_revision_id) == ("draft", 1000, revision.id)
    assert editor.editlist(item_id) == shorter
    assert [EditList.from_json(r.editlist) for r in editor.revisions(item_id)] == [original, shorter]
    last = editor.history(item_id)[-1]
    assert (last.action, last.from_state, last.to_state, last.note) == \
        ("revision", "approved", "draft", "revision 2: first second only")
    with pytest.raises(ValueError, match="not in the media store"):
        editor.save_revision(item_id, EditList.whole("ab" * 32, 100, 48000))
    with pytest.raises(PermissionDenied):
        approver.save_revision(item_id, shorter)


def test_technicians_cannot_import(audio_files, sqlite_db, store):
    with pytest.raises(PermissionDenied, match="may not import audio"):
        library(sqlite_db, store, user="tuan", role="technician").import_files([audio_files["wav"]])
    assert counts(sqlite_db) == (0, 0, 0)


def test_writes_can_go_through_the_single_writer(audio_files, db, store):
    writer = DbWriter(db).start()
    try:
        lib = library(db, store, writer=writer)
        [result] = lib.import_files([audio_files["wav"]])
        lib.submit(result.id)
        lib.approve(result.id)
        assert writer.stats()["calls"] == 3
    finally:
        assert writer.stop()
    assert library(db, store).get(result.id).state == "approved"


def test_list_search_and_filters(audio_files, db, store):
    lib = library(db, store)
    results = lib.import_files([audio_files["mp4"], audio_files["wav"], audio_files["mp3"]])
    video, wav, mp3 = (r.id for r in results)
    lib.update_metadata(wav, category="news", tags=["Đường làng"])
    lib.submit(mp3)
    assert [i.id for i in lib.list_items()] == [mp3, wav, video]  # newest first
    assert [i.id for i in lib.list_items(search="thong bao HOP")] == [video]  # accents and case ignored
    assert [i.id for i in lib.list_items(search="duong lang")] == [wav]  # tags are searched
    assert [i.id for i in lib.list_items(search="speech.mp3")] == [mp3]  # and the file name
    assert [i.id for i in lib.list_items(category="news")] == [wav]
    assert [i.id for i in lib.list_items(state="submitted")] == [mp3]
    created = lib.get(wav).created_at
    assert wav in [i.id for i in lib.list_items(since=created, until=created)]
    assert lib.list_items(since=now_ms() + 60_000) == []


# -- render ----------------------------------------------------------------------------------------

DESCRIPTOR_KEYS = {"item_id", "revision", "sha256", "name", "path", "bytes", "duration_ms", "codec", "format",
                   "bitrate_k", "lufs", "true_peak_db", "lra"}


def renders(db):
    with db.sessions() as s:
        return list(s.scalars(select(MediaRender).order_by(MediaRender.id)))


def test_render_stores_the_distribution_file_and_describes_it(item_id, db, store, tmp_path):
    lib = library(db, store, user="hoa", role="editor")
    out = tmp_path / "phat-thanh.mp3"
    d = lib.render(item_id, out=out)
    assert set(d) == DESCRIPTOR_KEYS
    assert d["sha256"] == sha256(out) and d["bytes"] == out.stat().st_size
    assert d["name"] == f"{d['sha256']}.mp3" and d["path"] == str(out)
    assert store.path(d["sha256"]).read_bytes() == out.read_bytes()
    assert (d["item_id"], d["revision"], d["codec"], d["format"], d["bitrate_k"]) == (item_id, 1, "mp3", "mp3", 64)
    assert d["duration_ms"] == pytest.approx(3000, abs=100)
    assert d["lufs"] == pytest.approx(-16.0, abs=1.0) and d["true_peak_db"] <= -0.5
    [row] = renders(db)
    assert (row.sha256, row.format, row.bytes, row.duration_ms) == (d["sha256"], "mp3", d["bytes"], d["duration_ms"])
    assert row.revision_id == lib.get(item_id).current_revision_id
    last = lib.history(item_id)[-1]
    assert (last.user_name, last.action, last.from_state, last.to_state) == ("hoa", "render", "draft", "draft")


def test_render_of_a_new_revision_in_opus_into_the_store_only(item_id, db, store):
    lib = library(db, store)
    lib.save_revision(item_id, lib.editlist(item_id).trim(0, 48000))
    d = lib.render(item_id, fmt="opus", bitrate_k=32, lufs=-20.0)
    assert (d["revision"], d["codec"], d["name"]) == (2, "opus", f"{d['sha256']}.opus")
    assert d["path"] == str(store.path(d["sha256"])) and d["sha256"] == sha256(store.path(d["sha256"]))
    assert d["duration_ms"] == pytest.approx(1000, abs=100) and d["lufs"] == pytest.approx(-20.0, abs=1.0)


def test_a_cancelled_or_refused_render_leaves_nothing(item_id, db, store):
    before = stored_files(store)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RenderCancelled):
        library(db, store).render(item_id, cancel=cancel)
    with pytest.raises(PermissionDenied, match="may not render items"):
        library(db, store, user="tuan", role="technician").render(item_id)
    with pytest.raises(ValueError, match="the folder .*nowhere does not exist"):
        library(db, store).render(item_id, out=store.root / "nowhere" / "x.mp3")
    assert stored_files(store) == before and renders(db) == []
