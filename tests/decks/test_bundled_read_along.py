"""The bundled original letter is read along: each part's rectangle holds its block of words,
whole, as rendered from the PDF (rects found with pypdfium2 by prototypes/make_examples.py)."""

import pytest
from PIL import Image

from kiosk.decks.narration import narration_plan
from kiosk.decks.reader import read_deck
from kiosk.home import CHECKOUT

DECK = CHECKOUT / "prototypes" / "hospital-letter"


@pytest.fixture(scope="module")
def deck():
    return read_deck(DECK)


def ink(image, box) -> int:
    """Dark pixels (words) inside ``box`` (left, top, right, bottom) of a greyscale page."""
    crop = image.crop(box)
    return sum(crop.histogram()[:128])


def test_each_original_page_is_read_in_parts_down_the_page(deck):
    originals = [s for s in deck.screens if s.variant == "original"]
    assert [len(s.parts) for s in originals] == [6, 4, 3]
    for screen in originals:
        tops = [part.rect[1] for part in screen.parts]
        assert tops == sorted(tops), screen.id
        for above, below in zip(screen.parts, screen.parts[1:], strict=False):
            assert above.rect[1] + above.rect[3] <= below.rect[1], (screen.id, above.label)
        assert screen.say == " ".join(part.say for part in screen.parts)
        assert all(part.label for part in screen.parts)
    assert not any(s.parts for s in deck.screens if s.variant == "easy-read")


def test_each_part_holds_its_words_whole(deck):
    for screen in deck.screens:
        if not screen.parts:
            continue
        with Image.open(deck.path_of(screen.image)) as picture:
            page = picture.convert("L")
        for part in screen.parts:
            x, y, w, h = part.rect
            assert ink(page, (x, y, x + w, y + h)) > 0.02 * w * h, (screen.id, part.label)
            # a thin band just outside the rectangle is paper: no word is cut in two
            for band in ((x - 4, y - 4, x + w + 4, y - 1), (x - 4, y + h + 1, x + w + 4, y + h + 4),
                         (x - 4, y, x - 1, y + h), (x + w + 1, y, x + w + 4, y + h)):
                assert ink(page, band) == 0, (screen.id, part.label, band)


def test_every_part_is_narrated_at_install(deck):
    planned = {(spoken.language, spoken.text) for spoken in narration_plan(deck)}
    for screen in deck.screens:
        for part in screen.parts:
            assert (deck.language, part.say) in planned
