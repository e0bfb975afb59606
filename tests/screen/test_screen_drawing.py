"""Real pygame drawing on off-screen surfaces, checked pixel by pixel where it matters."""

import pytest

from kiosk.screen import palette
from kiosk.screen.draw import MIN_TEXT, Painter
from kiosk.screen.text import render_text, script_of
from kiosk.walk.events import Green, HoldBoth
from kiosk.walk.walk import Walk

SIZES = [(800, 480), (1920, 1080), (1024, 600)]


@pytest.mark.parametrize("name", sorted(palette.TEXT_PAIRS))
def test_every_text_colour_pair_meets_wcag_aaa(name):
    text, background = palette.TEXT_PAIRS[name]
    assert palette.contrast_ratio(text, background) >= 7.0


def test_contrast_formula_matches_known_values():
    assert palette.contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert palette.contrast_ratio((0, 94, 184), (255, 255, 255)) == pytest.approx(6.38, abs=0.02)


def test_the_script_decides_the_font():
    assert script_of("Did you understand?") == "latin"
    assert script_of("ਕੀ ਤੁਸੀਂ ਸਮਝ ਗਏ?") == "gurmukhi"
    assert script_of("کیا آپ سمجھ گئے؟") == "arabic"


@pytest.mark.parametrize("words", ["Did you understand?", "ਕੀ ਤੁਸੀਂ ਸਮਝ ਗਏ?",
                                   "کیا آپ سمجھ گئے؟", "Czy rozumiesz? Zażółć gęślą jaźń."])
def test_text_in_any_script_is_drawn(pygame_ready, words):
    surface = render_text(words, 40, (255, 255, 255), 600)
    assert surface.get_width() > 100 and surface.get_height() >= 40
    opaque = sum(1 for x in range(surface.get_width()) for y in range(surface.get_height())
                 if surface.get_at((x, y)).a > 128)
    assert opaque > 200  # real glyphs, not empty boxes or nothing


def test_long_text_wraps_to_the_width(pygame_ready):
    surface = render_text("word " * 40, 36, (0, 0, 0), 300)
    assert surface.get_width() <= 300 and surface.get_height() > 36 * 5


def walk_on(deck):
    walk = Walk([deck], ["Library"], now=0.0, deck=deck, venue="Library")
    walk.startup_effects()
    return walk


@pytest.mark.parametrize("size", SIZES)
def test_a_deck_screen_is_undistorted_with_red_left_green_right(pygame_ready, picture_deck,
                                                                 size):
    pygame = pygame_ready
    walk = walk_on(picture_deck)
    walk.handle(Green(), 1)
    walk.handle(Green(), 2)
    surface = pygame.Surface(size)
    painter = Painter(size)
    painter.draw(surface, walk.view(), 2.0)
    rect = painter.image_rect
    assert rect is not None
    assert rect.width / rect.height == pytest.approx(1500 / 900, rel=0.01)  # never distorted
    layout = painter.layout(walk.view(), (1500, 900))
    assert tuple(rect) == layout.picture  # where kiosk/screen/layout.py puts it
    # the drawn blue button is where the hotspot says, in image pixels
    x, y = painter.to_image_pixels(rect.move(0, 0).topleft)
    assert (x, y) == (0, 0)
    centre = (rect.x + 600 / painter.image_scale, rect.y + 700 / painter.image_scale)
    assert tuple(surface.get_at((round(centre[0]), round(centre[1]))))[:3] == (0, 94, 184)
    hx, hy = painter.to_image_pixels(centre)
    assert picture_deck.screens[0].hotspot_at(hx, hy).goto == "two"
    # red on the left, green on the right, as on the box
    (left_x, left_y), radius = layout.no.centre, layout.no.radius
    left = surface.get_at((left_x, left_y - round(radius * 0.8)))[:3]
    right = surface.get_at((layout.yes.centre[0], left_y - round(radius * 0.8)))[:3]
    assert left[0] > 150 and left[1] < 80  # red
    assert right[1] > 120 and right[0] < 60  # green


def test_taps_on_the_letterbox_miss_the_image(pygame_ready, picture_deck):
    walk = walk_on(picture_deck)
    walk.handle(Green(), 1)
    walk.handle(Green(), 2)
    painter = Painter((800, 480))
    painter.draw(pygame_ready.Surface((800, 480)), walk.view(), 2.0)
    assert painter.to_image_pixels((2, 2)) == (None, None)


def test_a_missing_image_shows_the_words_instead(pygame_ready, picture_deck):
    (picture_deck.folder / "one.png").write_bytes(b"not a picture")
    walk = walk_on(picture_deck)
    walk.handle(Green(), 1)
    walk.handle(Green(), 2)
    surface = pygame_ready.Surface((800, 480))
    painter = Painter((800, 480))
    painter.draw(surface, walk.view(), 2.0)
    assert painter.image_rect is None
    x, y, _, _ = painter.layout(walk.view(), (800, 480)).picture  # the picture's place
    assert tuple(surface.get_at((x + 5, y + 5)))[:3] == palette.PALE_GREY


@pytest.mark.parametrize("size", SIZES)
def test_every_kind_of_screen_draws(pygame_ready, picture_deck, size):
    walk = walk_on(picture_deck)
    painter = Painter(size)
    surface = pygame_ready.Surface(size)
    kinds = []
    for event in (None, Green(), Green(), HoldBoth()):
        if event is not None:
            walk.handle(event, 1.0)
        painter.draw(surface, walk.view(), 1.0)
        kinds.append(walk.view().kind)
    assert kinds == ["welcome", "how", "screen", "menu"]


def test_the_kiosk_own_words_are_at_least_36px_on_the_smallest_screen():
    assert Painter((800, 480)).px(MIN_TEXT) >= 36
    assert Painter((1920, 1080)).px(MIN_TEXT) > 36
