"""Read along, drawn: the picture eases to the passage being read, outlined, the rest dimmed.
Real pygame drawing on off-screen surfaces; time is moved by hand."""

from dataclasses import replace

import pytest
from PIL import Image, ImageDraw

from kiosk.decks.model import Deck, Part, Screen
from kiosk.screen import palette, zoom
from kiosk.screen.draw import Painter
from kiosk.walk.view import OFF, PULSE, View

PAGE = (1000, 1414)
PARTS = (Part("The first paragraph.", (100, 200, 800, 120), "first"),
         Part("The second paragraph.", (100, 900, 800, 200), "second"))


@pytest.fixture
def letter(tmp_path):
    """A white A4 page with two grey paragraphs where the parts are (dark 'words')."""
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    for part in PARTS:
        x, y, w, h = part.rect
        for line in range(y + 10, y + h - 10, 30):
            draw.rectangle((x + 10, line, x + w - 10, line + 14), fill=(40, 40, 40))
    page.save(tmp_path / "page.png")
    screen = Screen("page-1", "page.png", "The first paragraph. The second paragraph.",
                    "Did you understand?", parts=PARTS)
    return Deck("letter", "Letter", 1, "en-GB", (screen,), folder=tmp_path)


def view_of(deck, part=None, narrating=True):
    screen = deck.screens[0]
    return View("screen", deck=deck, screen=screen, question=screen.ask,
                lamps=(PULSE, PULSE), region=None if part is None else PARTS[part].rect,
                narrating=narrating)


def pixels(surface):
    import pygame

    return pygame.image.tobytes(surface, "RGB")


def test_a_passage_fills_the_screen_outlined_with_the_page_round_it_dimmed(pygame_ready,
                                                                           letter):
    pygame = pygame_ready
    surface = pygame.Surface((800, 480))
    painter = Painter((800, 480))
    view = view_of(letter, 0)
    painter.draw(surface, view, 0.0)
    painter.draw(surface, view, 1.0)  # the zoom has settled
    assert not painter.moving(1.0)
    shot = zoom.region_shot((800, 480), PAGE, PARTS[0].rect)
    area = zoom.padded(PARTS[0].rect, PAGE)
    scale = 800 / shot.source[2]
    left = round((area[0] - shot.source[0]) * scale)
    top = round((area[1] - shot.source[1]) * scale)
    width = round(area[2] * scale)
    assert width >= 780  # the passage spans the screen: as large as the screen allows
    inside = surface.get_at((left + width // 2, top + 6))[:3]  # the paper inside the outline
    outside = surface.get_at((left + width // 2, top + round(area[3] * scale) + 40))[:3]
    assert min(inside) >= 245  # white paper, not dimmed
    assert outside[0] < 120  # the page beyond the passage, dimmed
    bottom = top + round(area[3] * scale)  # (the top edge may be the screen's own)
    outline = [surface.get_at((left + width // 2, y))[:3] for y in range(bottom - 4, bottom + 8)]
    assert palette.YELLOW in outline and palette.TEXT_DARK in outline
    # the taps land in the picture's own pixels, zoomed or not
    x, y = painter.to_image_pixels((left + width // 2, top + 20))
    assert abs(x - (area[0] + area[2] / 2)) < 3 and abs(y - (area[1] + 20 / scale)) < 3


def test_the_outline_stands_out_on_the_paper_and_on_the_dimmed_page():
    dimmed_white = tuple(v * zoom.DIM[0] // 255 for v in (255, 255, 255))
    assert palette.contrast_ratio(zoom.OUTLINE_INNER, palette.WHITE) >= 7.0
    assert palette.contrast_ratio(zoom.OUTLINE, dimmed_white) >= 4.5
    assert palette.contrast_ratio(zoom.OUTLINE, zoom.OUTLINE_INNER) >= 7.0


def test_the_zoom_eases_between_passages_and_rests_when_it_arrives(pygame_ready, letter):
    pygame = pygame_ready
    surface = pygame.Surface((800, 480))
    painter = Painter((800, 480))
    still = {"lamps": (OFF, OFF)}  # no breathing lamps: only the zoom may move
    first, second = replace(view_of(letter, 0), **still), replace(view_of(letter, 1), **still)
    painter.draw(surface, first, 0.0)
    painter.draw(surface, first, 1.0)
    at_first = pixels(surface)
    painter.draw(surface, second, 5.0)  # the voice moved on: the move starts
    assert painter.moving(5.1) and painter.moving(5.39)
    painter.draw(surface, second, 5.2)
    halfway = pixels(surface)
    painter.draw(surface, second, 5.4)
    assert not painter.moving(5.4)
    at_second = pixels(surface)
    assert len({at_first, halfway, at_second}) == 3
    painter.draw(surface, second, 9.0)
    assert pixels(surface) == at_second  # at rest it stays put


def test_after_the_last_passage_the_whole_page_and_its_question_come_back(pygame_ready,
                                                                          letter):
    pygame = pygame_ready
    surface = pygame.Surface((800, 480))
    painter = Painter((800, 480))
    painter.draw(surface, view_of(letter, 1), 0.0)
    read = view_of(letter, None, narrating=False)
    painter.draw(surface, read, 2.0)
    painter.draw(surface, read, 3.0)
    layout = painter.layout(read, PAGE)
    assert layout.text_size >= 28  # the question is shown again
    assert painter.image_rect == pygame.Rect(layout.picture)
    whole = pixels(surface)
    other = Painter((800, 480))
    other.draw(surface, read, 3.0)  # the same screen drawn by a painter that never zoomed
    assert pixels(surface) == whole


def test_while_read_the_question_is_folded_away(pygame_ready, letter):
    painter = Painter((800, 480))
    assert painter.layout(view_of(letter, 0), PAGE).text_size == 0
    assert painter.layout(replace(view_of(letter, 0), narrating=False, region=None),
                          PAGE).text_size >= 28


@pytest.mark.parametrize("size", [(800, 480), (720, 1280), (1920, 1080)])
def test_a_read_along_page_is_decoded_sharp_enough_for_its_closest_zoom(size):
    loaded = zoom.load_size(PAGE, PARTS, size)
    shot = zoom.region_shot(size, PAGE, PARTS[0].rect)
    on_screen = size[0] / shot.source[2] * PAGE[0]  # the page's width when zoomed
    assert loaded[0] >= min(PAGE[0], round(on_screen) - 1)
    assert loaded[0] <= PAGE[0]


def test_the_ease_starts_and_ends_gently():
    assert zoom.ease(0) == 0 and zoom.ease(1) == 1 and zoom.ease(0.5) == pytest.approx(0.5)
    assert zoom.ease(0.1) < 0.1 and zoom.ease(0.9) > 0.9
