"""Building the sync worker from the station's settings (used by ``Station`` and ``sync run``).

Settings (``console/settings.py``; until they are registered there, these defaults apply):
``province_url`` (empty: no province link), ``province_token`` (discouraged: use ``sync token set``,
which keeps it in the OS keyring), ``province_cert_file``/``province_key_file`` (mutual TLS),
``province_ca_file`` (the province's CA, else the system's), ``province_emergency`` (``confirm``: an
emergency bulletin waits for one click; ``play``: it is broadcast at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from console.sync import credentials
from console.sync.client import HttpProvince
from console.sync.inbox import Inbox
from console.sync.worker import HISTORY_FILE, SyncWorker

DEFAULTS = {"province_url": "", "province_token": "", "province_cert_file": "", "province_key_file": "",
            "province_ca_file": "", "province_emergency": "confirm"}


def setting(settings, key: str) -> Any:
    return settings.values.get(key, DEFAULTS[key])


class SyncConfigError(ValueError):
    """The province link is not configured well enough to start; one line for the user."""


def make_province(settings, *, url: str | None = None, token: str | None = None, station: str | None = None,
                  cert: str | None = None, key: str | None = None, ca: str | None = None) -> HttpProvince:
    url = url or setting(settings, "province_url")
    station = station or settings.site_id
    if not url:
        raise SyncConfigError("no province: give --province URL (or set province_url)")
    cert = cert or setting(settings, "province_cert_file") or None
    key = key or setting(settings, "province_key_file") or None
    token = token or setting(settings, "province_token") or credentials.load_token(settings.data_path, station)
    if not token and not cert:
        raise SyncConfigError("no province token: give --token, or store one with `python -m console sync token set`, "
                              "or configure a client certificate")
    try:
        return HttpProvince(url, station, token, cert=cert, key=key, ca=ca or setting(settings, "province_ca_file") or None)
    except (ValueError, OSError) as e:
        raise SyncConfigError(str(e)) from None


def make_worker(settings, db, province: HttpProvince | None = None, *, writer=None, library=None, scheduler=None,
                live=None, on_change=None, on_bulletin=None, **worker_options: Any) -> SyncWorker:
    """The worker with its inbox; ``on_bulletin(state, bulletin)`` hears every change in the inbox. Its
    history is kept in the data directory (``sync-history.json``)."""
    inbox = Inbox(db, writer=writer, library=library, scheduler=scheduler, live=live,
                  emergency=setting(settings, "province_emergency"), on_change=on_bulletin)
    worker_options.setdefault("history_path", Path(settings.data_path) / HISTORY_FILE)
    return SyncWorker(db, province or make_province(settings), inbox=inbox, writer=writer,
                      media_dir=Path(settings.data_path) / "inbox", on_change=on_change, **worker_options)
