"""The ``kiosk`` command: parses arguments and wires parts together, nothing more.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function
that adds its parsers and sets ``handler`` (a function taking the parsed arguments and the
``Home`` and returning an exit status).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence

from kiosk.errors import KioskError
from kiosk.home import resolve_home

# The subcommand modules, in the order they appear in ``kiosk --help``.
COMMAND_MODULES = ("kiosk.cli.run", "kiosk.cli.deck", "kiosk.cli.sessions", "kiosk.cli.keys")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="A prototype-testing kiosk: read screens aloud, answer with red and green.",
    )
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="the data folder (default: $KIOSK_HOME, else sessions/ in a checkout)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # that part of the kiosk is not written yet
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    home = resolve_home(args.home)
    try:
        return int(args.handler(args, home) or 0)
    except KioskError as error:
        print(error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception:  # noqa: BLE001 - a facilitator must never see a traceback
        details = traceback.format_exc()
        try:
            home.root.mkdir(parents=True, exist_ok=True)
            with open(home.kiosk_log, "a", encoding="utf-8") as log:
                log.write(details + "\n")
            where = f" The details are in {home.kiosk_log}."
        except OSError:
            where = ""
        print(f"Something went wrong inside the kiosk and it stopped.{where}", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
