"""The benchmarks' deck: screens like pages of text, so decoding a picture is real work.

Shared by bench_press.py and bench_pi_budget.py so both measure the same deck, written by
the kiosk's one deck writer (``kiosk.authoring.deck_writer``, the ``authoring`` extra).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.authoring.deck_writer import write_deck_file
from kiosk.decks.model import DEFAULT_ASK, Deck, Screen

SIZE = (1920, 1080)


def make_deck(folder: Path, screens: int, size: tuple[int, int] = SIZE) -> None:
    """Write deck.toml and ``screens`` pictures of ``size`` pixels into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    screen_list = []
    for number in range(screens):
        image = Image.new("RGB", size, (250, 250, 250))
        draw = ImageDraw.Draw(image)
        for row in range(12):
            draw.rectangle((120, 100 + row * 75, 1800 - (row * 97 + number) % 600, 140 + row * 75),
                           fill=((number * 7) % 200, 60, 120 + row * 10))
        image.save(folder / f"s{number:03}.png")
        screen_list.append(Screen(f"s{number:03}", f"s{number:03}.png",
                                  f"This is screen {number}.", DEFAULT_ASK))
    write_deck_file(folder, Deck("bench", "Benchmark", 1, "en-GB", tuple(screen_list)))
