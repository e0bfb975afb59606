"""``kiosk export | import | report | sessions``: the session log's commands.

- ``kiosk export DEST``: copy every session on this kiosk into a new bundle folder in DEST
  (a USB stick). Safe to repeat; nothing is deleted.
- ``kiosk import BUNDLE...``: (designer) merge bundles, or folders of bundles, into the
  designer store ``<home>/designer-store``. Damaged bundles are refused, each answer counted once.
- ``kiosk report [--out DIR]``: (designer) the HTML report, tidy CSVs and posters from the
  designer store, into DIR (default ``<home>/report``).
- ``kiosk sessions list``: the sessions on this kiosk and whether each is exported.
- ``kiosk sessions clear-exported --yes``: delete sessions that are ended and already in an
  exported bundle. ``--yes`` is the command line's second confirmation (the facilitator menu
  asks twice on screen); without it nothing is deleted.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.help import help_handler
from kiosk.home import Home, bundled_decks_folder

if TYPE_CHECKING:
    from kiosk.sessions.log import ResponseLog


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser("export", help="copy the session logs into a folder (USB)")
    export.add_argument("dest", metavar="DEST", help="the folder to put the bundle in")
    export.set_defaults(handler=export_command)

    imp = subparsers.add_parser("import", help="(designer) import exported logs")
    imp.add_argument("bundles", metavar="BUNDLE", nargs="+",
                     help="a bundle folder, or a folder holding bundles")
    imp.set_defaults(handler=import_command)

    report = subparsers.add_parser("report", help="(designer) make the report and posters")
    report.add_argument("--out", metavar="DIR", help="where to write it (default: <home>/report)")
    report.add_argument("--no-posters", action="store_true", help="skip the A4 posters")
    report.set_defaults(handler=report_command)

    sessions = subparsers.add_parser("sessions", help="list or clear this kiosk's sessions")
    inner = sessions.add_subparsers(dest="sessions_command", metavar="ACTION")
    listing = inner.add_parser("list", help="the sessions on this kiosk")
    listing.set_defaults(handler=list_command)
    clear = inner.add_parser("clear-exported",
                             help="delete sessions already exported (needs --yes)")
    clear.add_argument("--yes", action="store_true",
                       help="really delete them (the second confirmation)")
    clear.set_defaults(handler=clear_command)
    sessions.set_defaults(handler=help_handler(sessions))


def designer_store(home: Home) -> Path:
    return home.root / "designer-store"


def _open_log(home: Home, read_only: bool = False) -> ResponseLog:
    from kiosk.sessions.log import ResponseLog
    from kiosk.settings import read_settings

    return ResponseLog(home.log, read_settings(home).kiosk_id, read_only=read_only)


def export_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.sessions.export import export_bundle

    with _open_log(home) as log:
        for message in log.recover():
            print(message)
        sessions = log.sessions()
        if not sessions:
            print("There are no sessions on this kiosk to copy.")
            return 0
        bundle = export_bundle(log, Path(args.dest))
        answers = sum(1 for e in log.events() if e["kind"] == "answer")
    print(f"Copied {len(sessions)} session{'s' if len(sessions) != 1 else ''} "
          f"({answers} answers) to {bundle}.")
    return 0


def progress_line(line: str) -> None:
    """A line about work under way, on stderr (what the command found goes to stdout)."""
    print(line, file=sys.stderr, flush=True)


def import_command(args: argparse.Namespace, home: Home, identities: list[Any] | None = None
                   ) -> int:
    """``kiosk import``: ``identities``, the designer's private keys for encrypted bundles
    (``keys.py`` adds ``--key``)."""
    from kiosk.sessions.importer import import_bundles

    summary = import_bundles(designer_store(home), [Path(b) for b in args.bundles],
                             identities or [], progress=progress_line)
    for line in summary.lines():
        print(line)
    return 1 if summary.refused else 0


def report_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.errors import KioskError
    from kiosk.sessions.importer import DesignerStore, store_exists
    from kiosk.sessions.report import write_store_report

    if not store_exists(designer_store(home)):
        raise KioskError("Nothing has been imported yet. First run: kiosk import BUNDLE...")
    out = Path(args.out) if args.out else home.root / "report"
    folders = [home.decks] + [f for f in [bundled_decks_folder()] if f is not None]
    store = DesignerStore(designer_store(home), read_only=True, progress=progress_line)
    try:
        # a year of answers takes a while (about 20 s): say that something is happening
        progress_line(f"Counting the answers and drawing the report in {out} ...")
        written = write_store_report(store.sql, out, folders, posters=not args.no_posters)
    finally:
        store.close()
    print(f"The report is in {written[0]}")
    for path in written[1:]:
        print(f"  also {path.name}")
    return 0


def list_command(args: argparse.Namespace, home: Home) -> int:
    with _open_log(home, read_only=True) as log:
        sessions = log.sessions()
        counts: dict[str, int] = {}
        for event in log.events():
            if event["kind"] == "answer":
                counts[event["session_id"]] = counts.get(event["session_id"], 0) + 1
        exported = set(log.exported_sessions())
        for problem in log.problems:
            print(problem)
    if not sessions:
        print("There are no sessions on this kiosk.")
        return 0
    for s in sessions:
        state = s.get("end_reason") or "open"
        copied = "exported" if s["session_id"] in exported else "not exported yet"
        print(f"{s['started_at'][:16].replace('T', ' ')}  {s['venue']}  "
              f"{s['deck_id']} v{s['deck_version']}  {counts.get(s['session_id'], 0)} answers  "
              f"{state}  {copied}  ({s['session_id']})")
    return 0


def clear_command(args: argparse.Namespace, home: Home) -> int:
    if not args.yes:
        print("This deletes, from this kiosk, every session that has already been copied "
              "to a USB stick. Run it again with --yes to do it.")
        return 2
    with _open_log(home) as log:
        cleared = log.clear_exported()
        left = len(log.sessions())
    print(f"Deleted {len(cleared)} exported session{'s' if len(cleared) != 1 else ''}; "
          f"{left} not yet exported are kept.")
    return 0
