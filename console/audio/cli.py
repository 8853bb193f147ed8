"""``python -m console audio ...``: the audio library from the command line.

    audio import FILE... [--json]       one result per file (JSON: one object per line)
    audio list [--search TEXT] [--category C] [--state S] [--json]
    audio render ID --out PATH [--format mp3|opus] [--bitrate K] [--lufs L] [--true-peak TP] [--json]
    audio submit|approve|archive ID [--note TEXT] [--json]
    audio reject ID --note TEXT [--json]

Commands act as the configured user (settings ``user_name``, ``user_role``). Exit codes: 0 done;
1 a file failed to import, or the action was refused (permission, state) or failed (render); 2 an
unknown item or no ffmpeg. Problems are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.core.approval import STATES

if TYPE_CHECKING:
    from console.audio.library import Library
    from console.settings import Settings

# Building the parser happens for every ``python -m console`` command, so this module imports
# nothing heavy at the top: the library (numpy, scipy, SQLAlchemy) is loaded by run().


def add_arguments(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add the ``audio`` command and its sub-commands (``dest="audio_command"``) to ``subparsers``;
    ``common`` is the parent parser of the options every command takes (--data-dir, --db, ...)."""
    audio = subparsers.add_parser("audio", help="the audio library: import, list, render, approve")
    sub = audio.add_subparsers(dest="audio_command", required=True, metavar="AUDIO_COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help)
        p.add_argument("--json", action="store_true", help="print JSON")
        return p

    p = command("import", "import audio or video files into the library")
    p.add_argument("files", nargs="+", metavar="FILE")
    p = command("list", "print the library, newest first")
    p.add_argument("--search", metavar="TEXT", help="words in the title, source, author, tags, notes or file name")
    p.add_argument("--category", help="news, policy, emergency, culture, advertisement or other")
    p.add_argument("--state", choices=STATES)
    p = command("render", "render an item's current revision for distribution")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--out", required=True, metavar="PATH", help="where to write the file")
    p.add_argument("--format", choices=("mp3", "opus"), help="default: setting render_format")
    p.add_argument("--bitrate", type=int, metavar="KBITS", help="default: setting render_bitrate_k")
    p.add_argument("--lufs", type=float, help="integrated loudness target (default: setting target_lufs)")
    p.add_argument("--true-peak", type=float, metavar="DBTP", help="default: setting target_true_peak")
    for name, what in (("submit", "submit an item for approval"), ("approve", "approve a submitted item"),
                       ("archive", "archive an item")):
        p = command(name, what)
        p.add_argument("id", type=int, metavar="ID")
        p.add_argument("--note", default="", metavar="TEXT")
    p = command("reject", "reject a submitted item, saying why")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--note", required=True, metavar="TEXT")


def _import(lib: Library, args: argparse.Namespace, settings: Settings) -> int:
    from console.audio.ffmpeg import format_duration

    failed = 0
    for result in lib.import_files(args.files):
        failed += not result.ok
        if args.json:
            print(json.dumps(result.as_json(), ensure_ascii=False), flush=True)
        elif result.ok:
            lufs = f"{result.lufs:.1f} LUFS" if result.lufs is not None else "silent"
            print(f"{'exists' if result.existing else 'added'} {result.id}: {result.file} "
                  f"({format_duration(result.duration_ms)}, {lufs})")
        else:
            print(f"failed: {result.error}", file=sys.stderr)
    return 1 if failed else 0


def _list(lib: Library, args: argparse.Namespace, settings: Settings) -> int:
    from console.audio.ffmpeg import format_duration
    from console.audio.library import item_json

    items = lib.list_items(search=args.search, category=args.category, state=args.state)
    if args.json:
        print(json.dumps([item_json(i) for i in items], ensure_ascii=False))
    else:
        for i in items:
            print(f"{i.id:>5}  {i.state:<9}  {i.category:<13}  {format_duration(i.duration_ms):>8}  {i.title}")
    return 0


def _render(lib: Library, args: argparse.Namespace, settings: Settings) -> int:
    from console.audio.ffmpeg import format_duration
    from console.audio.render import RenderError

    try:
        descriptor = lib.render(
            args.id, out=args.out, fmt=args.format or settings.render_format,
            bitrate_k=args.bitrate or settings.render_bitrate_k,
            lufs=settings.target_lufs if args.lufs is None else args.lufs,
            true_peak=settings.target_true_peak if args.true_peak is None else args.true_peak)
    except RenderError as exc:
        print(f"error: cannot render item {args.id}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(descriptor, ensure_ascii=False))
    else:
        print(f"wrote {descriptor['path']}: {descriptor['codec']}, {descriptor['bytes']} bytes, "
              f"{format_duration(descriptor['duration_ms'])}, {descriptor['lufs']} LUFS, "
              f"{descriptor['true_peak_db']} dBTP, sha256 {descriptor['sha256']}")
    return 0


def _move(action: str) -> Callable[[Library, argparse.Namespace, Settings], int]:
    def run(lib: Library, args: argparse.Namespace, settings: Settings) -> int:
        from console.audio.library import item_json

        item = getattr(lib, action)(args.id, args.note)
        if args.json:
            print(json.dumps(item_json(item), ensure_ascii=False))
        else:
            print(f"item {item.id} is now {item.state}")
        return 0
    return run


COMMANDS = {"import": _import, "list": _list, "render": _render, "submit": _move("submit"),
            "approve": _move("approve"), "reject": _move("reject"), "archive": _move("archive")}


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run ``args.audio_command`` with ``settings``; returns the exit code."""
    from console.audio.ffmpeg import AudioError, FfmpegNotFound
    from console.audio.library import Library, UnknownItem
    from console.core.approval import Refused
    from console.media.store import MediaStore
    from console.store.db import open_database

    # The audio library needs no reference data: seeding is left to the console's next start.
    db = open_database(settings.db_url, seed=False)
    try:
        lib = Library(db, MediaStore(settings.media_path), settings.user, settings.user_role)
        return COMMANDS[args.audio_command](lib, args, settings)
    except (Refused, AudioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (UnknownItem, FfmpegNotFound) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        db.close()
