"""A bundled deck as drawn: the kiosk's own model (kiosk/decks/model.py), the pictures drawn
for it and its comments. deck.toml is written by the project's one deck writer
(kiosk/authoring/deck_writer.py), then read back by the kiosk's reader to check it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from kiosk.authoring.deck_writer import Notes, deck_fields, write_deck_file
from kiosk.decks.model import Deck, Screen

HERE = Path(__file__).resolve().parents[1]  # prototypes/: the bundled decks live here
MAX_DECK_BYTES = 2_000_000  # keep each bundled deck small enough for a USB copy and git

Drawn = tuple[Screen, Image.Image]  # a screen and its picture


@dataclass
class Example:
    """A bundled deck as drawn: the deck, its pictures by path inside it, its comments."""

    deck: Deck
    pictures: dict[str, Image.Image]
    notes: Notes


def picture_path(screen_id: str, language: str | None = None) -> str:
    """Each language's pictures in a folder of their own: screens/pa/easy-read-1.png."""
    return f"screens/{language}/{screen_id}.png" if language else f"screens/{screen_id}.png"


def example_notes(about: str, deck: Deck) -> Notes:
    """The comments of a bundled deck.toml: what the deck is, and a line above each part of
    the file a designer copying it would look for."""
    top = [f"# {line}".rstrip() for line in about.strip().splitlines()]
    top.append("# Made by prototypes/make_examples.py: change the words there and run it again.")
    screens: dict[str, list[str]] = {}
    variant = None
    for screen in deck.screens:
        if screen.variant != variant and screen.variant:
            screens[screen.id] = [f"# ---- variant: {screen.variant} " + "-" * 50, ""]
        variant = screen.variant
    return Notes(
        top=top,
        screens=screens,
        tasks=["# ---- tasks " + "-" * 62,
               "# Each task is read aloud; the participant taps the app's buttons to do it.",
               "# Reaching a done screen ends it; along the path is a direct success.", ""],
        profile=["# ---- profile questions " + "-" * 50,
                 "# Asked before the deck, each optional and anonymous: yes, no or rather not",
                 "# say. Results are shown per answer, never for fewer than 5 people.", ""],
        language_names=["# Each language's name, said in that language when participants "
                        "choose one.", "# (The kiosk knows these already; written here as an "
                        "example.)"],
        rect="x, y, width, height",
    )


def check_deck(example: Example, folder: Path) -> None:
    """Read the written deck back with the kiosk's own reader (every check an install makes:
    pictures, rects on the image, gotos, tasks' paths): it must be the deck that was drawn."""
    from kiosk.decks.reader import read_deck

    deck = example.deck
    read = read_deck(folder)
    assert read.language_names.items() >= deck.language_names.items(), deck.id
    drawn = dataclasses.replace(deck, language_names=read.language_names)
    assert deck_fields(read) == deck_fields(drawn), f"{deck.id} reads back differently"


def write_deck(example: Example, home: Path = HERE) -> None:
    """Write the deck folder: screens/*.png and deck.toml, then check both."""
    deck = example.deck
    folder = home / deck.id
    screens = folder / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    for old in screens.rglob("*.png"):  # a screen renamed in this script leaves no stale file
        if old.relative_to(folder).as_posix() not in example.pictures:
            old.unlink()
    for path, picture in example.pictures.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        # 256 colours look the same for flat drawings like these and make files 2-3x smaller
        image = picture.quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image.save(folder / path, optimize=True)
    write_deck_file(folder, deck, example.notes)
    check_deck(example, folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < MAX_DECK_BYTES, f"{deck.id} is {size} bytes"
    languages = [lang for lang in deck.languages if lang != deck.language]
    more = f", translated into {', '.join(languages)}" if languages else ""
    more += f", {len(deck.tasks)} tasks" if deck.tasks else ""
    more += f", {len(deck.profile)} profile questions" if deck.profile else ""
    print(f"{deck.id}: {len(deck.screens)} screens{more}, {size / 1e6:.2f} MB")
