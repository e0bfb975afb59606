"""``kiosk deck check|install|list|remove``: decks from the command line, in plain English."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.home import Home


def register(subparsers: argparse._SubParsersAction) -> None:
    deck = subparsers.add_parser(
        "deck",
        help="check, install, list or remove prototype decks",
        description="Prototype decks: a folder or .zip holding deck.toml and its pictures. "
        "The format is described in prototypes/README.md.",
    )
    commands = deck.add_subparsers(dest="deck_command", metavar="ACTION")

    check = commands.add_parser(
        "check",
        help="check decks without installing them, listing every problem",
        description="Check a deck folder, a .zip, or a folder holding several (a USB stick). "
        "Every problem is listed at once. Exit status 1 if any deck has problems.",
    )
    check.add_argument("path", type=Path, metavar="PATH")
    check.set_defaults(handler=check_command)

    install = commands.add_parser(
        "install",
        help="install decks from a folder, a .zip or a USB stick",
        description="Install every deck at PATH. A newer version replaces the installed one; "
        "a bad deck is refused with its reasons and nothing else changes.",
    )
    install.add_argument("path", type=Path, metavar="PATH")
    install.add_argument(
        "--force",
        action="store_true",
        help="install even if the same or a newer version is installed",
    )
    install.set_defaults(handler=install_command)

    listing = commands.add_parser("list", help="list the installed decks")
    listing.set_defaults(handler=list_command)

    remove = commands.add_parser(
        "remove", help="remove an installed deck (its session logs are kept)"
    )
    remove.add_argument("deck_id", metavar="ID")
    remove.set_defaults(handler=remove_command)

    def help_for_deck(args: argparse.Namespace, home: Home) -> int:
        deck.print_help()
        return 2

    deck.set_defaults(handler=help_for_deck)


def check_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.decks.library import check_path

    results = check_path(args.path)
    for result in results:
        if result.deck is None:
            print(f"{result.source}: {len(result.problems)} " + _plural(result.problems, "problem"))
            for problem in result.problems:
                print(f"  - {problem}")
        else:
            print(f"{result.source}: OK - {summary(result.deck)}")
            note = _voice_note(result.deck.language)
            if note:
                print(f"  Note: {note}.")
    return 0 if all(r.ok for r in results) else 1


def install_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.decks.library import DeckLibrary

    results = DeckLibrary(home).install(args.path, force=args.force)
    for result in results:
        print(result.describe())
    return 0 if all(r.ok for r in results) else 1


def list_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.decks.library import DeckLibrary

    library = DeckLibrary(home)
    decks = library.installed()
    if not decks:
        print(f"No decks are installed (in {home.decks}). Add some with: kiosk deck install PATH")
    width = max((len(d.id) for d in decks), default=0)
    for deck in decks:
        print(f"{deck.id:<{width}}  v{deck.version:<3} {deck.language:<6} {summary_short(deck)}")
    for damaged in library.skipped:
        print(f"Damaged, not shown to participants: {damaged.source}")
        for problem in damaged.problems:
            print(f"  - {problem}")
    return 0


def remove_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.decks.library import DeckLibrary
    from kiosk.errors import DeckProblems

    library = DeckLibrary(home)
    try:
        version = f" (version {library.get(args.deck_id).version})"
    except DeckProblems:
        version = ""
    library.remove(args.deck_id)
    print(f"Removed '{args.deck_id}'{version}. Its session logs are kept.")
    return 0


def summary(deck) -> str:
    """The one line a good deck gets from ``check``."""
    return f"'{deck.title}' ({deck.id}, version {deck.version}, {deck.language}), " + (
        summary_short(deck, with_title=False)
    )


def summary_short(deck, with_title: bool = True) -> str:
    parts = [f"{len(deck.screens)} " + _plural(deck.screens, "screen")]
    if deck.variants:
        parts.append("variants " + ", ".join(deck.variants))
    hotspots = sum(len(s.hotspots) for s in deck.screens)
    if hotspots:
        parts.append(f"{hotspots} " + _plural(range(hotspots), "hotspot"))
    recorded = sum(1 for s in deck.screens if s.audio)
    if recorded:
        parts.append(f"{recorded} recorded")
    text = ", ".join(parts)
    return f"{deck.title} ({text})" if with_title else text


def _plural(items, word: str) -> str:
    return word if len(items) == 1 else word + "s"


def _voice_note(language: str) -> str | None:
    from kiosk.decks.narration import choose_voice, default_engine

    engine = default_engine()
    voices = engine.voices()
    if not voices:
        return "this machine has no speech engine, so narration cannot be made here"
    if choose_voice(language, voices) is None:
        return f"this machine has no voice for '{language}', so the screens will not be read aloud"
    return None
