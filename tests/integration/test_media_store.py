"""The content-addressed media store on a real file system: naming, de-duplication, and failed
copies that leave nothing behind."""

import errno
import hashlib
import io

import pytest

from console.media import store as store_mod
from console.media.store import MediaStore


def files_in(root):
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def store(tmp_path):
    return MediaStore(tmp_path / "media")


def test_put_names_the_file_by_its_sha256(store, tmp_path):
    src = tmp_path / "tin-tuc.MP3"
    src.write_bytes(b"ID3 some audio bytes" * 1000)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    stored = store.put(src, ".MP3")
    assert (stored.sha256, stored.bytes, stored.created) == (sha, src.stat().st_size, True)
    assert stored.path == store.root / sha[:2] / f"{sha}.mp3"
    assert stored.path.read_bytes() == src.read_bytes()
    assert store.path(sha) == stored.path
    assert store.name(sha, "mp3") == f"{sha}.mp3"
    assert files_in(store.root) == [stored.path.relative_to(store.root)]


def test_the_same_content_is_stored_once(store, tmp_path):
    a, b = tmp_path / "a.wav", tmp_path / "b.mp3"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    first = store.put(a, "wav")
    again = store.put(b, "mp3")  # another name and extension: still the same content
    assert again.created is False and again.path == first.path and again.sha256 == first.sha256
    assert len(files_in(store.root)) == 1


def test_put_reads_a_file_object(store):
    stored = store.put(io.BytesIO(b"x" * 3_000_000), "opus")  # more than one copy chunk
    assert stored.bytes == 3_000_000
    assert stored.sha256 == hashlib.sha256(b"x" * 3_000_000).hexdigest()


class VanishingSource(io.RawIOBase):
    """A USB stick pulled out after the first megabyte."""

    def __init__(self):
        self.reads = 0

    def readable(self):
        return True

    def read(self, n=-1):
        self.reads += 1
        if self.reads > 1:
            raise OSError(errno.EIO, "Input/output error")
        return b"a" * n


def test_a_source_failing_mid_copy_leaves_nothing(store):
    store.put(io.BytesIO(b"already here"), "mp3")
    before = files_in(store.root)
    with pytest.raises(OSError, match="Input/output error"):
        store.put(VanishingSource(), "mp3")
    assert files_in(store.root) == before


def test_a_full_disk_leaves_nothing(store, monkeypatch):
    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_mod.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        store.put(io.BytesIO(b"some audio"), "wav")
    assert files_in(store.root) == []


def test_path_and_remove(store):
    stored = store.put(io.BytesIO(b"abc"), "flac")
    assert store.path("0" * 64) is None and store.path("not a sha") is None
    assert store.remove(stored.sha256) is True
    assert store.path(stored.sha256) is None and files_in(store.root) == []
    assert store.remove(stored.sha256) is False


def test_a_bad_extension_is_refused(store):
    with pytest.raises(ValueError, match="extension"):
        store.put(io.BytesIO(b"abc"), "../x")
