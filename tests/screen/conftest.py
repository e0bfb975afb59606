import pytest
from PIL import Image, ImageDraw

from kiosk.decks.model import Deck, Hotspot, Screen


@pytest.fixture
def pygame_ready():
    import pygame

    pygame.init()
    yield pygame
    pygame.quit()


@pytest.fixture
def picture_deck(tmp_path):
    """A two-screen deck with real 1500x900 PNGs: a blue button drawn where the hotspot is."""
    folder = tmp_path / "deck"
    folder.mkdir()
    for name in ("one", "two"):
        image = Image.new("RGB", (1500, 900), "white")
        ImageDraw.Draw(image).rectangle((300, 600, 899, 799), fill=(0, 94, 184))
        image.save(folder / f"{name}.png")
    screens = (
        Screen("one", "one.png", "This is the first screen.", "Did you understand this?",
               hotspots=(Hotspot((300, 600, 600, 200), "two", "Book"),)),
        Screen("two", "two.png", "This is the second screen.", "Was that clear?"),
    )
    return Deck("demo", "Demo", 1, "en-GB", screens, folder=folder)
