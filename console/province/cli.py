"""``python -m console province ...``: the reference provincial collector.

    province [--db URL] [--port P] [--bind ADDR] [--tls-cert F --tls-key F [--client-ca F]] [--tz TZ]
    province token add STATION [--name NAME] [--db URL] [--json]      prints the token, once
    province token list [--db URL] [--json];  province token revoke STATION [--db URL] [--json]
    province bulletin send --station S --priority normal|priority|emergency --title T (--text T | --media FILE)
                           [--target CODE...] [--valid-from ISO8601] [--valid-to ISO8601] [--issued-by NAME]
                           [--db URL] [--json]
    province user add NAME [--password-stdin] [--reset] [--db URL] [--json]   a staff account (bulletin page)
    province user list [--db URL] [--json];  province user remove NAME [--db URL] [--json]

``--db`` is the collector's database (default: ``province.db`` in the data directory), never the
station's. Exit codes: 0 done; 1 refused (an unknown station, a bad bulletin); 2 bad options or an
unusable database.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from console.errors import CliError, wait_for_signal
from console.sync import api

if TYPE_CHECKING:
    from console.settings import Settings

DEFAULT_PORT = 8090


def add_arguments(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("province", parents=[common], help="the reference provincial collector (runs it without a subcommand)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT}; 0: any)")
    p.add_argument("--bind", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    p.add_argument("--client-ca", metavar="FILE", help="also accept client certificates of this CA (CN = station id)")
    p.add_argument("--tz", default="Asia/Ho_Chi_Minh", help="time zone of the overview's 'today'")
    psub = p.add_subparsers(dest="province_command", metavar="PROVINCE_COMMAND")
    # The common options again after a subcommand (``province token add S --db URL``), without defaults
    # of their own, which would replace those given before it (``province --db URL token add S``).
    again = argparse.ArgumentParser(add_help=False)
    for a in common._actions:
        again.add_argument(*a.option_strings, dest=a.dest, default=argparse.SUPPRESS, help=a.help,
                           metavar=a.metavar, choices=a.choices)

    def command(parent, name: str, help: str) -> argparse.ArgumentParser:
        c = parent.add_parser(name, parents=[again], help=help)
        c.add_argument("--json", action="store_true", help="print JSON")
        return c

    token = psub.add_parser("token", help="stations' access tokens")
    tsub = token.add_subparsers(dest="token_command", required=True, metavar="TOKEN_COMMAND")
    c = command(tsub, "add", "create a token for a station (created if new) and print it once")
    c.add_argument("station", metavar="STATION")
    c.add_argument("--name", default="", help="the station's display name")
    command(tsub, "list", "print the stations and how many tokens they have")
    c = command(tsub, "revoke", "revoke every token of a station")
    c.add_argument("station", metavar="STATION")

    bulletin = psub.add_parser("bulletin", help="bulletins for stations")
    bsub = bulletin.add_subparsers(dest="bulletin_command", required=True, metavar="BULLETIN_COMMAND")
    c = command(bsub, "send", "queue a bulletin for a station")
    c.add_argument("--station", required=True)
    c.add_argument("--priority", required=True, choices=api.PRIORITIES)
    c.add_argument("--title", required=True)
    what = c.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the bulletin's text")
    what.add_argument("--media", metavar="FILE", help="an audio file to broadcast")
    c.add_argument("--target", nargs="+", action="extend", default=[], metavar="CODE",
                   help="administrative unit codes (default: the whole station)")
    c.add_argument("--valid-from", metavar="ISO8601")
    c.add_argument("--valid-to", metavar="ISO8601")
    c.add_argument("--issued-by", default="", metavar="NAME")

    user = psub.add_parser("user", help="staff accounts of the bulletin page (/staff/)")
    usub = user.add_subparsers(dest="user_command", required=True, metavar="USER_COMMAND")
    c = command(usub, "add", "create a staff account; asks for its password (twice)")
    c.add_argument("name", metavar="NAME")
    c.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    c.add_argument("--reset", action="store_true", help="give an existing account a new password (ends its sessions)")
    command(usub, "list", "print the staff accounts")
    c = command(usub, "remove", "remove a staff account and end its sessions")
    c.add_argument("name", metavar="NAME")


def db_url(args: argparse.Namespace, settings: Settings) -> str:
    return args.database_url or f"sqlite:///{settings.data_path / 'province.db'}"


def _ms(text: str | None) -> int | None:
    if not text:
        return None
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"{text!r} is not an ISO 8601 date and time", 2) from None
    if t.tzinfo is None:
        from zoneinfo import ZoneInfo

        t = t.replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    return int(t.timestamp() * 1000)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from console.province import store

    db = store.open_collector(db_url(args, settings))
    try:
        if args.province_command is None:
            return _serve(args, db)
        with db.sessions.begin() as s:
            if args.province_command == "token":
                return _token(args, s)
            if args.province_command == "user":
                return _user(args, s, _password(args) if args.user_command == "add" else "")
            return _bulletin(args, s)
    except store.ApiError as e:
        raise CliError(str(e), 2 if e.status == 413 else 1) from None
    finally:
        db.close()


def _print(args, obj, text: str) -> None:
    print(json.dumps(obj, ensure_ascii=False) if args.json else text)


def _token(args, s) -> int:
    from console.province import store

    if args.token_command == "add":
        token = store.add_token(s, args.station, args.name)
        _print(args, {"station": args.station, "token": token},
               f"token for {args.station} (shown once, keep it safe):\n{token}")
    elif args.token_command == "revoke":
        n = store.revoke_tokens(s, args.station)
        _print(args, {"station": args.station, "revoked": n}, f"{n} token(s) of {args.station} revoked")
    else:
        rows = store.stations(s)
        _print(args, rows, "\n".join(f"{r['station']:<24} tokens {r['tokens']}  records {r['acked_through']}"
                                     for r in rows) or "no stations")
    return 0


def _password(args) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not sys.stdin.isatty():
        raise CliError("no terminal to ask for the password on: give it with --password-stdin", 2)
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            raise CliError("the two passwords differ", 1)
    return password


def _user(args, s, password: str) -> int:
    from console.province import store

    if args.user_command == "add":
        store.add_user(s, args.name, password, reset=args.reset)
        _print(args, {"user": args.name, "reset": args.reset},
               f"password of {args.name} changed" if args.reset else f"user {args.name} created")
    elif args.user_command == "remove":
        store.remove_user(s, args.name)
        _print(args, {"user": args.name, "removed": True}, f"user {args.name} removed")
    else:
        rows = store.users(s)
        _print(args, rows, "\n".join(r["name"] for r in rows) or "no users")
    return 0


def _bulletin(args, s) -> int:
    from console.province import store

    media = Path(args.media) if args.media else None
    if media is not None and not media.is_file():
        raise CliError(f"no such file: {media}", 2)
    b = store.send_bulletin(s, args.station, args.priority, args.title, text=args.text or "", media=media,
                            targets=args.target, valid_from=_ms(args.valid_from), valid_to=_ms(args.valid_to),
                            issued_by=args.issued_by)
    _print(args, {"station": args.station, **b}, f"bulletin {b['id']} queued for {args.station}")
    return 0


def _serve(args, db) -> int:
    from console.province.server import CollectorServer, tls_context

    if bool(args.tls_cert) != bool(args.tls_key):
        raise CliError("give both --tls-cert and --tls-key for HTTPS", 2)
    if args.client_ca and not args.tls_cert:
        raise CliError("--client-ca needs HTTPS (--tls-cert and --tls-key)", 2)
    try:
        ctx = tls_context(args.tls_cert, args.tls_key, args.client_ca) if args.tls_cert else None
    except (OSError, ValueError) as e:
        raise CliError(f"cannot use the TLS files: {e}", 2) from None
    try:
        server = CollectorServer(db, args.bind, args.port, ssl_context=ctx, tz=args.tz)
    except (ValueError, KeyError):  # zoneinfo: an unknown time zone
        raise CliError(f"unknown time zone {args.tz!r}", 2) from None
    try:
        server.start()
    except OSError as e:
        raise CliError(f"cannot listen on {args.bind}:{args.port}: {e.strerror or e}", 2) from None
    shown = db.engine.url.render_as_string(hide_password=True)
    print(f"collector listening on {server.url}, database {shown}", file=sys.stderr, flush=True)
    try:
        wait_for_signal()
    finally:
        server.stop()
    return 0
