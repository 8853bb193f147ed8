"""``python -m console sync ...``: the station's link to the province, from the command line.

    sync run [--province URL] [--token TOKEN] [--station ID] [--cert F --key F] [--ca F] [--once] [--json]
    sync status [--json]                         (backlog, errors, inbox, the last 20 history entries)
    sync token set TOKEN [--station ID]          ("-" reads the token from standard input)

``run`` works on the station's database (``--db``/``--data-dir``): it ships the outbox and brings
bulletins into the inbox until interrupted; with ``--once`` it drains what it can and prints
``{"shipped", "acked_through", "backlog", "bulletins"}``. Priority bulletins are scheduled as in the
console; emergency bulletins wait for confirmation (no live service here). Exit codes: 0 done;
1 the province could not be reached or refused; 2 bad options or configuration.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import CliError, wait_for_signal

if TYPE_CHECKING:
    from console.settings import Settings


def add_arguments(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("sync", help="the station's link to the province: ship records, receive bulletins")
    ssub = p.add_subparsers(dest="sync_command", required=True, metavar="SYNC_COMMAND")
    c = ssub.add_parser("run", parents=[common], help="ship the outbox and pull bulletins")
    c.add_argument("--province", metavar="URL", help="the province API's base URL (default: province_url)")
    c.add_argument("--token", help="bearer token (default: the stored one)")
    c.add_argument("--station", metavar="ID", help="station id at the province (default: site_id)")
    c.add_argument("--cert", metavar="FILE", help="client certificate for mutual TLS (PEM)")
    c.add_argument("--key", metavar="FILE", help="its private key (PEM)")
    c.add_argument("--ca", metavar="FILE", help="the province's CA certificate (default: the system's)")
    c.add_argument("--once", action="store_true", help="drain what can be drained now, print the result, exit")
    c.add_argument("--json", action="store_true", help="print JSON")
    c = ssub.add_parser("status", parents=[common], help="backlog, last success and error, inbox")
    c.add_argument("--json", action="store_true", help="print JSON")
    c = ssub.add_parser("token", help="the stored province token")
    tsub = c.add_subparsers(dest="token_command", required=True, metavar="TOKEN_COMMAND")
    c = tsub.add_parser("set", parents=[common], help="store the token (OS keyring, else a private file)")
    c.add_argument("token", metavar="TOKEN", help='the token, or "-" to read it from standard input')
    c.add_argument("--station", metavar="ID", help="station id at the province (default: site_id)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.sync_command == "token":
        from console.sync import credentials

        token = sys.stdin.readline().strip() if args.token == "-" else args.token.strip()
        if not token:
            raise CliError("the token is empty")
        where = credentials.save_token(settings.data_path, args.station or settings.site_id, token)
        print(f"token stored in {'the OS keyring' if where == 'keyring' else where}", file=sys.stderr)
        return 0
    from console.store.db import open_database

    db = open_database(settings.db_url)
    try:
        if args.sync_command == "status":
            return _status(args, settings, db)
        return _run(args, settings, db)
    finally:
        db.close()


def _status(args, settings, db) -> int:
    from console.sync import outbox
    from console.sync.inbox import Inbox
    from console.sync.worker import HISTORY_FILE, load_history

    with db.sessions() as s:
        st = outbox.state(s)
        head = outbox.last_seq(s)
        out = {"backlog": max(0, head - st.acked_through), "acked_through": st.acked_through, "last_seq": head,
               "last_success": st.last_success_at, "last_error": st.last_error, "last_error_at": st.last_error_at,
               "paused": st.paused, "backlog_by_type": outbox.backlog_by_type(s)}
    out["inbox"] = Inbox(db).counts()
    out["history"] = load_history(Path(settings.data_path) / HISTORY_FILE)[-20:]
    print(json.dumps(out, ensure_ascii=False) if args.json else
          f"backlog {out['backlog']} (acked through {out['acked_through']} of {head})"
          + (f"; last error: {out['last_error']}" if out["last_error"] else ""))
    return 0


def _run(args, settings, db) -> int:
    from console.audio.library import Library
    from console.media.store import MediaStore
    from console.schedule.service import Scheduler
    from console.sync.client import ProvinceError
    from console.sync.service import SyncConfigError, make_province, make_worker

    try:
        province = make_province(settings, url=args.province, token=args.token, station=args.station,
                                 cert=args.cert, key=args.key, ca=args.ca)
    except SyncConfigError as e:
        raise CliError(str(e)) from None
    library = Library(db, MediaStore(settings.media_path), settings.user, settings.user_role)
    scheduler = Scheduler(db, library, settings.user, settings.user_role)
    worker = make_worker(settings, db, province, library=library, scheduler=scheduler)
    if args.once:
        try:
            result = asyncio.run(worker.drain())
        except ProvinceError as e:
            raise CliError(str(e), 1) from None
        print(json.dumps(result) if args.json else
              f"shipped {result['shipped']}, acked through {result['acked_through']}, backlog {result['backlog']}, "
              f"{result['bulletins']} bulletin(s)")
        return 0
    worker.start()
    if not args.json:
        print(f"syncing with {province.base} as {province.station}; Ctrl+C stops", file=sys.stderr, flush=True)
    try:
        wait_for_signal()
    finally:
        worker.stop()
    st = worker.status()
    print(json.dumps(st.as_json()) if args.json else f"shipped {st.shipped}, backlog {st.backlog}")
    return 0
