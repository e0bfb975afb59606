"""``kiosk deck check|install|list|remove``: decks from the command line, in plain English."""

from __future__ import annotations

import argparse
from collections.abc import Sequence, Sized
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.help import help_handler
from kiosk.home import Home

if TYPE_CHECKING:
    from kiosk.decks.model import Deck


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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

    _register_authoring(commands)

    deck.set_defaults(handler=help_handler(deck))


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
            for note in result.notes:
                print(f"  Note: {note}")
    for result in results:
        if result.deck is not None:
            _print_wording(result.source, result.deck)
    return 0 if all(r.ok for r in results) else 1


def _print_wording(source: str, deck: Deck) -> None:
    """Easy Read / GOV.UK wording warnings: advice for the designer, never a refusal."""
    from kiosk.authoring.wording import check_deck

    try:
        report = check_deck(deck)
    except ModuleNotFoundError as error:  # textstat comes with the [authoring] extra
        print(f"{source}: no wording advice here ({error.name} is not installed; it comes "
              "with: pip install 'coffee-morning-kiosk[authoring]').")
        return
    if not report.worth_showing:  # only a few short words: nothing to say about them
        return
    count = len(report.warnings)
    heading = (f"{count} wording " + _plural(range(count), "warning")) if count else (
        "no wording warnings")
    print(f"{source}: {heading} (Easy Read advice; the deck is usable as it is)")
    for warning in report.warnings:
        print(f"  - {warning}")
    print(f"  Summary: {report.summary}.")


def install_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.decks.library import DeckLibrary

    results = DeckLibrary(home).install(args.path, force=args.force)
    for result in results:
        print(result.describe())
    counted = [r.narration for r in results if r.narration is not None]
    if counted:
        made = sum(n.made for n in counted)
        reused = sum(n.reused for n in counted)
        failed = sum(n.could_not_make for n in counted)
        print(f"Narration: {made} {_plural(range(made), 'clip')} made, {reused} reused, "
              f"{failed} could not be made.")
    silent = [r for r in results if r.ok and not r.ready]
    if silent:
        names = ", ".join(f"'{r.deck_id}'" for r in silent)
        print(f"Not ready: some screens of {names} would be silent (no narration). "
              "See the notes above.")
    return 0 if all(r.ready for r in results) else 1


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


def summary(deck: Deck) -> str:
    """The one line a good deck gets from ``check``."""
    return f"'{deck.title}' ({deck.id}, version {deck.version}, {deck.language}), " + (
        summary_short(deck, with_title=False)
    )


def summary_short(deck: Deck, with_title: bool = True) -> str:
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


def _plural(items: Sized, word: str) -> str:
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


# ---------------------------------------------------------------------------- authoring


class _SourceAction(argparse.Action):
    """``--from X [--variant NAME] --from Y [--variant NAME]``: each variant names the --from
    before it, so the pairs read as they are typed."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        from kiosk.authoring.new_deck import Source

        if not isinstance(values, str):
            parser.error(f"{option_string} takes one value")

        sources = list(getattr(namespace, "sources", None) or [])
        if option_string == "--from":
            sources.append(Source(Path(values)))
        elif not sources:
            parser.error("--variant names the --from before it: put --from FILE first")
        elif sources[-1].variant is not None:
            parser.error("give one --variant after each --from")
        else:
            sources[-1].variant = values
        namespace.sources = sources


def _register_authoring(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser(
        "new",
        help="make a deck from a letter PDF or a folder of exported frames",
        description="Make a deck folder at DEST: one screen per PDF page (its text as the "
        "first draft of what is read aloud, a paragraph at a time, each paragraph's region "
        "zoomed as it is read) or per picture in a folder (in natural order, "
        "'Screen 2' before 'Screen 10'). Give several --from, each followed by --variant, "
        "for one deck holding both versions. See prototypes/AUTHORING.md.",
    )
    new.add_argument("dest", type=Path, metavar="DEST")
    new.add_argument("--from", dest="sources", action=_SourceAction, required=True,
                     metavar="FILE_OR_FOLDER", help="a PDF, or a folder of PNG/JPEG pictures")
    new.add_argument("--variant", action=_SourceAction, metavar="NAME", dest="sources",
                     help="the version the --from before it is, such as original or easy-read")
    new.add_argument("--id", dest="deck_id", metavar="ID",
                     help="the deck id (default: DEST's name)")
    new.add_argument("--title", help="the title facilitators see (default: the PDF's title)")
    new.add_argument("--language", default="en-GB", help="language code (default en-GB)")
    new.add_argument("--no-parts", dest="parts", action="store_false",
                     help="read each PDF page whole, not a paragraph at a time")
    new.set_defaults(handler=new_command)

    edit = commands.add_parser(
        "edit",
        help="draw clickable areas (hotspots) and read-along parts on a deck's screens",
        description="Open a window showing each screen of the deck: drag to draw a hotspot, "
        "pick the screen it leads to, type its label; Tab switches to read-along parts "
        "(a passage and the region zoomed while it is read), numbered in reading order. "
        "Ctrl+S saves into deck.toml, keeping your comments. Keys are listed in the window.",
    )
    edit.add_argument("deck", type=Path, metavar="DECK")
    edit.add_argument("--size", default="1280x800", metavar="WxH", help="window size")
    edit.set_defaults(handler=edit_command)

    preview = commands.add_parser(
        "preview",
        help="walk a deck as a participant would, in a window; nothing is recorded",
        description="Try a deck before a session: it is checked, read aloud and walked "
        "exactly as on the kiosk, with the keyboard as the buttons (g/Right = green, "
        "r/Left = red, Space = hear again). Nothing is installed or recorded.",
    )
    preview.add_argument("deck", type=Path, metavar="DECK")
    preview.add_argument("--size", default="1024x600", metavar="WxH", help="window size")
    preview.add_argument("--frames", type=int, help=argparse.SUPPRESS)  # for tests
    preview.set_defaults(handler=preview_command)


def new_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.authoring.new_deck import make_deck

    made = make_deck(args.dest, args.sources, deck_id=args.deck_id, title=args.title,
                     language=args.language, parts=args.parts)
    variants = list(dict.fromkeys(s.variant for s in made.screens if s.variant))
    more = f" ({', '.join(variants)})" if variants else ""
    parts = sum(len(s.parts) for s in made.screens)
    if parts:
        more += f", read a paragraph at a time ({parts} read-along parts)"
    print(f"Made the deck '{made.deck_id}' in {made.folder}: {len(made.screens)} "
          + _plural(made.screens, "screen") + more + ".")
    for note in made.notes:
        print(f"  Note: {note}.")
    print(f"Next: edit the words in {made.folder / 'deck.toml'}, then run "
          f"kiosk deck check \"{made.folder}\"")
    if parts:
        print(f"Adjust the parts' regions with: kiosk deck edit \"{made.folder}\"")
    return 0


def edit_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.authoring.editor_window import run_editor
    from kiosk.cli.run import parse_size

    return run_editor(args.deck, parse_size(args.size))


def preview_command(args: argparse.Namespace, home: Home) -> int:
    """Install the deck into a throw-away home and run the real kiosk on it, not recording.

    The narration cache is shared with ``home`` so a second preview starts at once.
    """
    import shutil
    import tempfile

    import pygame

    from kiosk.cli.run import assemble, open_display, parse_size
    from kiosk.decks.library import DeckLibrary, check_path
    from kiosk.home import Home as HomeLayout

    results = check_path(args.deck)
    bad = [r for r in results if not r.ok]
    good = [r.deck for r in results if r.deck is not None]
    if bad or len(good) != 1:
        for result in bad:
            print(f"{result.source}: {len(result.problems)} "
                  + _plural(result.problems, "problem"))
            for problem in result.problems:
                print(f"  - {problem}")
        if not bad:
            print(f"{args.deck} holds {len(results)} decks: preview one deck at a time.")
        return 1
    size = parse_size(args.size)
    scratch = Path(tempfile.mkdtemp(prefix="kiosk-preview-"))
    app = None
    try:
        preview_home = HomeLayout(scratch)
        home.narration_cache.mkdir(parents=True, exist_ok=True)
        preview_home.narration_cache.symlink_to(home.narration_cache, target_is_directory=True)
        installed = DeckLibrary(preview_home).install(args.deck)
        for done in installed:
            for note in done.notes:
                print(f"  Note: {note}.")
        deck_id = good[0].id
        print(f"Previewing '{deck_id}': g or Right = green, r or Left = red, Space = hear "
              "again. Close the window to stop. Nothing is recorded.")
        surface = open_display(size)
        app = assemble(preview_home, surface.get_size(), deck_id=deck_id, venue="Preview",
                       recording=False, use_gpio=False)
        app.run(surface, frames=args.frames)
    finally:
        if app is not None:
            app.close()
        pygame.quit()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0
