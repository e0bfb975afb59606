"""The layout puts the prototype first: every bundled screen at the five display sizes, with
the question's height measured by the real text code (Noto fonts through Pillow)."""

from functools import cache

import pytest
from PIL import Image

from kiosk.decks.reader import read_deck
from kiosk.home import CHECKOUT
from kiosk.screen.layout import CUE_GLOW, MARGIN, MIN_QUESTION, best_share, plan, unit_of
from kiosk.screen.text import text_height
from kiosk.walk import phrases

SIZES = [(800, 480), (1024, 600), (1280, 720), (720, 1280), (1920, 1080)]
DECKS = ("hospital-letter", "diabetes-app")


@cache
def deck(deck_id):
    return read_deck(CHECKOUT / "prototypes" / deck_id, thorough=False)


def bundled_screens():
    """(name, picture size, question) for every screen and every translation of it."""
    found = []
    for deck_id in DECKS:
        d = deck(deck_id)
        for screen in d.screens:
            versions = [("", screen)] + [(f"/{language}", screen.in_language(language,
                                                                            d.language)[0])
                                         for language in screen.translations]
            for suffix, local in versions:
                image, question = local.image, local.ask
                with Image.open(d.path_of(image)) as picture:
                    found.append((f"{deck_id}/{screen.id}{suffix}", picture.size, question))
    return found


SCREENS = bundled_screens()


def measure_for(question):
    return lambda size, width: text_height(question, size, width, bold=True)


def overlaps(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def cue_box(cue):
    (x, y), r = cue.centre, cue.radius
    return (x - r, y - r, 2 * r, 2 * r)


def inside(box, display):
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= display[0] and y + h <= display[1]


def test_every_kind_of_bundled_picture_is_there():
    sizes = {size for _, size, _ in SCREENS}
    assert (780, 1688) in sizes and (1000, 1414) in sizes  # phone frames and A4 pages


def task_screens():
    """(name, picture size, words) for what a task puts under the app's screens: each task's
    instruction on its screens, and the kiosk's own words when it is done, in each language."""
    d = deck("diabetes-app")
    found = []
    for task in d.tasks:
        for screen_id in task.path:
            with Image.open(d.path_of(d.screen(screen_id).image)) as picture:
                found.append((f"task/{task.id}/{screen_id}", picture.size, task.instruction))
    with Image.open(d.path_of(d.screen(d.tasks[0].done[0]).image)) as picture:
        for language in ("en-GB", "pa"):
            words = phrases.words_for(language)
            for said in (words.task_done, words.easy_ask):
                found.append((f"task/{language}/{said}", picture.size, said))
    return found


SHOWN = SCREENS + task_screens()


@pytest.mark.parametrize("display", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name,picture,question", SHOWN, ids=[s[0] for s in SHOWN])
def test_the_picture_gets_most_of_what_its_shape_allows(name, picture, question, display):
    layout = plan(display, picture, measure_for(question))
    x, y, w, h = layout.picture
    assert w / h == pytest.approx(picture[0] / picture[1], rel=0.01)  # never distorted
    assert inside(layout.picture, display) and inside(layout.question, display)
    assert not overlaps(layout.picture, layout.question)
    for cue in (layout.no, layout.yes):
        assert inside(cue_box(cue), display) and not overlaps(cue_box(cue), layout.picture)
        assert not overlaps(cue_box(cue), layout.question)
    assert layout.no.centre[0] < layout.yes.centre[0]  # red on the left, as on the box
    assert best_share(layout, display, picture) >= 0.85


def questions_shown():
    """Every question a bundled deck puts on screen: screens', translations', tasks'."""
    shown = {question for _, _, question in SCREENS}
    d = deck("diabetes-app")
    shown |= {task.instruction for task in d.tasks}
    for language in ("en-GB", "pa"):
        words = phrases.words_for(language)
        shown |= {words.easy_ask, words.task_done}
    return sorted(shown)


@pytest.mark.parametrize("picture", [(780, 1688), (1000, 1414), (1500, 900)])
def test_question_words_are_never_below_28px_at_800x480(picture):
    for question in questions_shown():
        layout = plan((800, 480), picture, measure_for(question))
        assert layout.text_size >= MIN_QUESTION, question
        assert layout.question[3] == text_height(question, layout.text_size,
                                                 layout.question[2], bold=True)


def test_portrait_pictures_stand_between_columns_on_a_landscape_display():
    layout = plan((800, 480), (1000, 1414), measure_for("Did you understand this?"))
    assert layout.shape == "columns"
    assert layout.picture[3] == 480  # full height
    assert layout.picture[0] == layout.panels[0][2]  # between the two columns
    assert layout.question[0] + layout.question[2] <= layout.picture[0]  # words on the left


def test_a_landscape_picture_on_a_portrait_display_is_full_width_with_large_words_below():
    question = "Did you understand when and where your appointment is?"
    layout = plan((720, 1280), (1500, 900), measure_for(question))
    assert layout.shape == "below"
    assert layout.picture[:3] == (0, 0, 720)
    assert layout.question[1] >= layout.picture[3]
    assert layout.text_size >= 54  # larger than the 36 px the kiosk's own words get at 800x480


def test_a_phone_frame_on_a_portrait_display_keeps_its_height_with_the_cues_beside_it():
    """The words go across the whole width under the phone, the cues in the narrow columns
    beside it, clear of it even when lit: so a long question still leaves it 85%."""
    question = "Did you understand that your reading was saved, and that it is on target?"
    layout = plan((720, 1280), (780, 1688), measure_for(question))
    assert layout.shape == "aside"
    x, y, w, h = layout.picture
    assert layout.question[1] >= y + h and layout.question[2] >= 0.9 * 720
    ring = round(CUE_GLOW * unit_of((720, 1280)))
    assert layout.no.centre[0] + layout.no.radius + ring <= x
    assert layout.yes.centre[0] - layout.yes.radius - ring >= x + w
    for cue in (layout.no, layout.yes):
        assert cue.centre[1] + cue.radius + ring <= y + h  # beside the phone, above the words
        assert cue.radius >= 24
    assert layout.text_size >= MIN_QUESTION
    assert best_share(layout, (720, 1280), (780, 1688)) >= 0.85


def test_a_short_question_leaves_a_phone_frame_taller_and_gets_larger_words():
    short = plan((720, 1280), (780, 1688), measure_for("Was that easy?"))
    long = plan((720, 1280), (780, 1688), measure_for("Did you understand " * 4))
    assert short.picture[3] > long.picture[3]
    assert short.text_size > long.text_size


def test_the_question_band_shrinks_to_what_its_words_need():
    short = plan((1024, 600), (1500, 900), measure_for("Clear?"))
    long = plan((1024, 600), (1500, 900), measure_for("Did you understand " * 6))
    assert short.picture[3] > long.picture[3]


@pytest.mark.parametrize("display", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("picture", [(780, 1688), (1000, 1414)])
def test_with_the_question_folded_the_picture_fills_what_its_shape_allows(display, picture):
    layout = plan(display, picture, measure_for("Did you understand this screen?"),
                  folded=True)
    assert best_share(layout, display, picture) == pytest.approx(1.0, abs=0.01)
    for cue in (layout.no, layout.yes):
        assert inside(cue_box(cue), display) and not overlaps(cue_box(cue), layout.picture)


@pytest.mark.parametrize("display", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_while_a_wide_passage_is_read_the_cues_keep_to_the_foot_of_the_screen(display):
    """A letterhead zoomed to the full width leaves a tall band under it where the page goes
    on, dimmed: the cues sit at the bottom corners, not over the lines next to the passage."""
    letterhead = (40, 30, 920, 190)
    layout = plan(display, (1000, 1414), measure_for(""), region=letterhead, folded=True)
    for cue in (layout.no, layout.yes):
        x, y, w, h = cue_box(cue)
        assert display[1] - (y + h) <= round(MARGIN * unit_of(display))
        assert not overlaps(cue_box(cue), layout.picture)


def test_a_region_of_the_picture_is_laid_out_at_its_own_shape():
    """What a zoom onto one paragraph of a letter will reuse."""
    paragraph = (60, 400, 880, 300)  # a wide strip of an A4 page, in the page's pixels
    layout = plan((800, 480), (1000, 1414), measure_for("Did you understand this?"),
                  region=paragraph)
    x, y, w, h = layout.picture
    assert w / h == pytest.approx(880 / 300, rel=0.01)
    assert best_share(layout, (800, 480), (880, 300)) >= 0.5


def test_a_question_far_too_long_still_gets_a_layout():
    """A deck check advises against it, but a screen must never fail to draw."""
    question = "Did you understand every single word of this very long question? " * 12
    layout = plan((800, 480), (1000, 1414), measure_for(question))
    assert layout.text_size == MIN_QUESTION
    assert layout.picture[2] / layout.picture[3] == pytest.approx(1000 / 1414, rel=0.01)
    assert layout.picture[3] >= 480 * 0.2
