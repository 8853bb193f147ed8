"""Where the station keeps its province token: the OS keyring (``keyring``: Windows Credential
Locker, macOS Keychain, the Secret Service on Linux desktops) where one exists, else a file in the
data directory readable by this user only, with a warning, since it is plain text.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

SERVICE = "tt-console-province"
FILE_NAME = "province-token"


def _keyring():
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring

        return None if isinstance(keyring.get_keyring(), NoKeyring) else keyring
    except Exception:  # noqa: BLE001 - no usable keyring (not installed, no backend, no session bus)
        return None


def load_token(data_dir: Path, station: str) -> str | None:
    """The stored token of ``station``: from the keyring, else from the file; None if neither has it."""
    ring = _keyring()
    if ring is not None:
        try:
            token = ring.get_password(SERVICE, station)
            if token:
                return token
        except Exception as e:  # noqa: BLE001 - a locked or broken keyring: try the file
            log.warning("cannot read the province token from the OS keyring: %s", e)
    path = data_dir / FILE_NAME
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def save_token(data_dir: Path, station: str, token: str) -> str:
    """Store ``token`` for ``station``; returns where: ``"keyring"`` or the file's path."""
    ring = _keyring()
    if ring is not None:
        try:
            ring.set_password(SERVICE, station, token)
            (data_dir / FILE_NAME).unlink(missing_ok=True)
            return "keyring"
        except Exception as e:  # noqa: BLE001
            log.warning("cannot store the province token in the OS keyring: %s", e)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILE_NAME
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token + "\n")
    os.chmod(path, 0o600)
    log.warning("no OS keyring: the province token is kept in plain text in %s (readable by this user only)", path)
    return str(path)
