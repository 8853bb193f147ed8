"""The content-addressed media store: every file is kept once, named by the sha256 of its bytes.

Layout: ``{root}/{sha[:2]}/{sha}.{ext}``, so the file name is the protocol's
``{media_base}/{sha256}.{ext}`` (docs/protocol.md). A file enters the store through a temporary
file in ``{root}/.tmp`` that is hashed while it is copied, flushed to disk and then renamed into
place atomically: a reader never sees a partial file, and a failed copy (disk full, a USB stick
pulled out) leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

COPY_CHUNK = 1 << 20
_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXT = re.compile(r"[a-z0-9]{1,8}")


@dataclass(frozen=True)
class Stored:
    sha256: str
    path: Path
    bytes: int
    created: bool  # False: the store already held this content


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; Windows cannot open a directory for this)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open(source: str | os.PathLike | BinaryIO):
    return open(source, "rb") if isinstance(source, (str, os.PathLike)) else nullcontext(source)


class MediaStore:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    @staticmethod
    def name(sha256: str, ext: str) -> str:
        """The file name of content ``sha256`` with extension ``ext``: ``{sha256}.{ext}``."""
        return f"{sha256}.{ext}"

    def put(self, source: str | os.PathLike | BinaryIO, ext: str) -> Stored:
        """Copy a file (a path, or a binary file object read to its end) into the store.

        Content already in the store is not stored again (whatever its extension there): the
        existing file is returned with ``created=False``. On any error the temporary copy is
        removed and the error propagates.
        """
        ext = ext.lower().lstrip(".")
        if not _EXT.fullmatch(ext):
            raise ValueError(f"bad media file extension {ext!r}")
        tmp_dir = self.root / ".tmp"
        tmp_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, suffix=".part")
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out, _open(source) as src:
                while chunk := src.read(COPY_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            existing = self.path(sha)
            if existing is not None:
                tmp.unlink()
                return Stored(sha, existing, size, created=False)
            final = self.root / sha[:2] / self.name(sha, ext)
            final.parent.mkdir(exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return Stored(sha, final, size, created=True)
        except BaseException:
            with suppress(FileNotFoundError):
                tmp.unlink()
            raise

    def path(self, sha256: str) -> Path | None:
        """The stored file of content ``sha256``, or None."""
        if not _SHA256.fullmatch(sha256):
            return None
        return next(iter(sorted((self.root / sha256[:2]).glob(f"{sha256}.*"))), None)

    def remove(self, sha256: str) -> bool:
        """Delete content ``sha256`` from the store; False if it was not there."""
        path = self.path(sha256)
        if path is None:
            return False
        path.unlink(missing_ok=True)
        return True
