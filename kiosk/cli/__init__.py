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

# The subcommand modules, in the order they appear in ``kiosk --help``. Each imports only
# argparse and the standard library at the top; the work (and pygame, numpy, ...) is
# imported inside each command, so ``kiosk run`` never loads the designers' tools.
COMMAND_MODULES = ("kiosk.cli.run", "kiosk.cli.deck", "kiosk.cli.sessions", "kiosk.cli.keys")

# Packages that are not installed with the kiosk itself, and the extra that brings each.
EXTRAS = {
    "numpy": "designer",
    "pypdfium2": "authoring",
    "tomlkit": "authoring",
    "textstat": "authoring",
}
# Commands that need an extra, checked before they start so no work is half done.
NEEDS_EXTRA = {("report",): "designer", ("deck", "new"): "authoring",
               ("deck", "edit"): "authoring"}


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
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    home = resolve_home(args.home)
    if args.command == "run":
        from kiosk.screen.pygame_setup import give_big_buffers_back, import_pygame

        give_big_buffers_back()
        import_pygame()
    missing = _missing_extra(args)
    if missing:
        print(missing_extra_message(args, *missing), file=sys.stderr)
        return 1
    try:
        return int(args.handler(args, home) or 0)
    except KioskError as error:
        print(error, file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        extra = EXTRAS.get((error.name or "").split(".")[0])
        if extra is None:
            raise
        print(missing_extra_message(args, error.name or "", extra), file=sys.stderr)
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


def _command_words(args: argparse.Namespace) -> tuple[str, ...]:
    action = getattr(args, f"{args.command}_command", None)
    return (args.command, action) if action else (args.command,)


def _missing_extra(args: argparse.Namespace) -> tuple[str, str] | None:
    """(a missing package, its extra) when this command needs an extra not installed here."""
    import importlib.util

    extra = NEEDS_EXTRA.get(_command_words(args))
    for package, wanted in EXTRAS.items():
        if wanted == extra and importlib.util.find_spec(package) is None:
            return package, extra
    return None


def missing_extra_message(args: argparse.Namespace, package: str, extra: str) -> str:
    """Plain words for a designer's command run where only the kiosk itself is installed."""
    command = " ".join(_command_words(args))
    what = {"designer": "the designers' tools (reports and heat maps)",
            "authoring": "the deck-making tools (PDF import, hotspot editor, wording checks)"}
    return (f"'kiosk {command}' needs {what[extra]}, which are not installed here "
            f"({package} is missing). Install them with:\n"
            f"  pip install 'coffee-morning-kiosk[{extra}]'\n"
            f"or, in a checkout of the kiosk: .venv/bin/pip install -e '.[{extra}]'")


if __name__ == "__main__":
    sys.exit(main())
