"""The hotspot editor: the pure state machine driven by made-up mouse and key events, saving
into deck.toml with the designer's comments kept, and the pygame window drawn headless."""

import tomllib

import pytest
from PIL import Image

from kiosk.authoring.deck_tables import document_text, load_editor, save
from kiosk.authoring.editor import (
    IDLE,
    LABELLING,
    PICKING,
    QUIT,
    SAVE,
    Close,
    Drag,
    Key,
    Pick,
    Press,
    Release,
    Text,
)
from kiosk.authoring.editor_window import EditorWindow, run_editor
from kiosk.decks.reader import read_deck

DECK = """\
# The booking app, as mocked up on 3 March.
id = "booking-app"
title = "Booking app"   # what facilitators see
version = 3
language = "en-GB"

# ---- Home
[[screen]]
id = "home"
image = "screens/Home.png"
say = "This is the home screen."

# The big blue button
[[screen.hotspot]]
rect = [100, 500, 400, 120]  # measured in Figma
goto = "book"
label = "Book"

# A link nobody uses
[[screen.hotspot]]
rect = [600, 500, 200, 80]
goto = "help"

# ---- Booking
[[screen]]
id = "book"
image = "screens/Book.png"
say = "Choose a day."
# no areas yet

[[screen]]
id = "help"
image = "screens/Help.png"
say = "Call us for help."
"""


@pytest.fixture
def deck(tmp_path):
    folder = tmp_path / "booking-app"
    (folder / "screens").mkdir(parents=True)
    for name in ("Home", "Book", "Help"):
        Image.new("RGB", (1000, 700), (240, 244, 245)).save(folder / "screens" / f"{name}.png")
    (folder / "deck.toml").write_text(DECK, encoding="utf-8")
    return folder


def draw(editor, start, end, steps=4):
    editor.handle(Press(*start))
    for n in range(1, steps + 1):
        editor.handle(Drag(start[0] + (end[0] - start[0]) * n / steps,
                           start[1] + (end[1] - start[1]) * n / steps))
    editor.handle(Release(*end))


def test_drawing_an_area_asks_where_it_goes_then_its_label(deck):
    editor = load_editor(deck)
    editor.handle(Key("right"))  # to "book"
    assert editor.screen.id == "book"
    draw(editor, (50, 60), (350, 160))
    assert editor.mode == PICKING
    assert editor.targets() == ["home", "help"]
    editor.handle(Key("down"))
    editor.handle(Key("up"))
    editor.handle(Pick("help"))
    assert editor.mode == LABELLING
    for char in "Get hlep":
        editor.handle(Text(char))
    editor.handle(Key("backspace"))
    editor.handle(Key("backspace"))
    editor.handle(Key("backspace"))
    editor.handle(Text("elp"))
    editor.handle(Key("return"))
    assert editor.mode == IDLE
    spot = editor.screen.spots[0]
    assert (spot.rect, spot.goto, spot.label) == ([50, 60, 300, 100], "help", "Get help")
    assert editor.dirty


def test_a_click_is_not_an_area_and_escape_drops_an_area_without_a_target(deck):
    editor = load_editor(deck)
    editor.handle(Key("right"))
    draw(editor, (10, 10), (14, 13))
    assert editor.screen.spots == [] and editor.mode == IDLE
    draw(editor, (10, 10), (200, 200))
    editor.handle(Key("escape"))
    assert editor.screen.spots == [] and editor.mode == IDLE


def test_move_resize_and_delete_and_areas_stay_on_the_picture(deck):
    editor = load_editor(deck)
    # Move the "Book" area by dragging its middle, far off to the right: it stops at the edge.
    editor.handle(Press(300, 560))
    editor.handle(Drag(700, 560))
    editor.handle(Drag(5000, 560))
    editor.handle(Release(5000, 560))
    assert editor.screen.spots[0].rect == [600, 500, 400, 120]
    # Resize it from its top-left corner.
    editor.handle(Press(601, 499))
    editor.handle(Drag(650, 450))
    editor.handle(Release(650, 450))
    assert editor.screen.spots[0].rect == [650, 450, 350, 170]
    # Select the second area and delete it.
    editor.handle(Press(610, 300))  # empty: deselects, starts a (too small) drawing
    editor.handle(Release(610, 300))
    editor.handle(Press(625, 540))  # inside area 1 only (area 0 now starts at x=650)
    editor.handle(Release(625, 540))
    assert editor.selected == 1
    editor.handle(Key("delete"))
    assert [s.goto for s in editor.screen.spots] == ["book"]


def test_enter_and_f2_change_target_and_label(deck):
    editor = load_editor(deck)
    editor.handle(Press(300, 560))
    editor.handle(Release(300, 560))
    editor.handle(Key("return"))
    assert editor.mode == PICKING and editor.targets()[editor.choice] == "book"
    editor.handle(Key("down"))
    editor.handle(Key("return"))
    assert editor.screen.spots[0].goto == "help"
    editor.handle(Key("escape"))  # keep the label as it was
    assert editor.screen.spots[0].label == "Book"
    editor.handle(Key("f2"))
    editor.handle(Text(" now"))
    editor.handle(Key("return"))
    assert editor.screen.spots[0].label == "Book now"


def test_closing_with_unsaved_changes_warns_once(deck):
    editor = load_editor(deck)
    assert editor.handle(Close()) == [QUIT]
    editor.handle(Key("right"))
    draw(editor, (10, 10), (200, 200))
    editor.handle(Key("return"))
    editor.handle(Key("return"))
    assert editor.handle(Close()) == []
    assert "Not saved" in editor.message
    assert editor.handle(Close()) == [QUIT]
    assert editor.handle(Key("ctrl+s")) == [SAVE]


def test_hotspots_round_trip_into_deck_toml_with_comments_intact(deck):
    editor = load_editor(deck)
    # home: move "Book", delete the unused link; book: add two areas; help: add one.
    editor.handle(Press(300, 560))
    editor.handle(Drag(310, 570))
    editor.handle(Release(310, 570))
    editor.handle(Press(700, 540))
    editor.handle(Release(700, 540))
    editor.handle(Key("delete"))
    editor.handle(Key("right"))
    for start, end, target, label in (((20, 20), (220, 120), "home", "Back"),
                                      ((500, 500), (900, 650), "help", "")):
        draw(editor, start, end)
        editor.handle(Pick(target))
        editor.handle(Text(label))
        editor.handle(Key("return"))
    editor.handle(Key("right"))
    draw(editor, (0, 0), (100, 100))
    editor.handle(Pick("home"))
    editor.handle(Key("return"))
    save(deck, editor)
    assert not editor.dirty

    text = (deck / "deck.toml").read_text(encoding="utf-8")
    for comment in ("# The booking app, as mocked up on 3 March.", "# what facilitators see",
                    "# ---- Home", "# The big blue button", "# ---- Booking",
                    "# no areas yet"):
        assert comment in text
    assert "# A link nobody uses" in text  # the deleted area's comment is kept, not lost
    assert text.index("# ---- Booking") < text.index('id = "book"')
    data = tomllib.loads(text)
    screens = {s["id"]: s for s in data["screen"]}
    assert screens["home"]["hotspot"] == [
        {"rect": [110, 510, 400, 120], "goto": "book", "label": "Book"}]
    assert screens["book"]["hotspot"] == [
        {"rect": [20, 20, 200, 100], "goto": "home", "label": "Back"},
        {"rect": [500, 500, 400, 150], "goto": "help"}]
    assert screens["help"]["hotspot"] == [{"rect": [0, 0, 100, 100], "goto": "home"}]
    assert data["version"] == 3 and data["title"] == "Booking app"

    # The saved deck is valid, and reopening it shows the same areas.
    read = read_deck(deck)
    assert [h.label for h in read.screen("book").hotspots] == ["Back", ""]
    again = load_editor(deck)
    assert [s.rect for s in again.screens[1].spots] == [[20, 20, 200, 100], [500, 500, 400, 150]]

    # A second save after more edits (the unchanged rect keeps its inline comment).
    again.handle(Press(300, 600))
    again.handle(Release(300, 600))
    again.handle(Key("f2"))
    again.handle(Text("!"))
    again.handle(Key("return"))
    save(deck, again)
    text2 = (deck / "deck.toml").read_text(encoding="utf-8")
    assert 'label = "Book!"' in text2 and "# The big blue button" in text2
    assert read_deck(deck).screen("home").hotspots[0].label == "Book!"


def test_unchanged_save_rewrites_nothing(deck):
    editor = load_editor(deck)
    assert document_text(editor) == DECK


def test_the_window_draws_and_takes_real_mouse_events(deck, tmp_path):
    import pygame

    pygame.init()
    try:
        surface = pygame.display.set_mode((1280, 800))
        editor = load_editor(deck)
        window = EditorWindow(editor, deck, (1280, 800))
        window.draw(surface)
        start = window.to_window(100, 100)
        end = window.to_window(400, 300)
        events = [
            pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1),
            pygame.event.Event(pygame.MOUSEMOTION, pos=end, buttons=(1, 0, 0), rel=(1, 1)),
            pygame.event.Event(pygame.MOUSEBUTTONUP, pos=end, button=1),
        ]
        for event in events:
            editor.handle(window.translate(event))
        assert editor.mode == PICKING
        window.draw(surface)
        help_row = next(rect for rect, action in window.rows if action == Pick("help"))
        click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=help_row.center, button=1)
        editor.handle(window.translate(click))
        editor.handle(window.translate(pygame.event.Event(pygame.TEXTINPUT, text="Help")))
        enter = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r")
        editor.handle(window.translate(enter))
        spot = editor.screen.spots[-1]
        assert spot.goto == "help" and spot.label == "Help"
        assert spot.rect[0] == pytest.approx(100, abs=3) and spot.rect[2] == pytest.approx(
            300, abs=4)
        window.draw(surface)
        pygame.image.save(surface, str(tmp_path / "editor.png"))
        ctrl_s = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_s, mod=pygame.KMOD_LCTRL,
                                    unicode="s")
        assert editor.handle(window.translate(ctrl_s)) == [SAVE]
    finally:
        pygame.quit()
    with Image.open(tmp_path / "editor.png") as shot:
        assert shot.size == (1280, 800)
        assert len(shot.convert("RGB").getcolors(1 << 24)) > 20  # a picture, not a blank window


def test_run_editor_opens_and_closes_headless(deck):
    assert run_editor(deck, (1024, 640), frames=3) == 0


def test_run_editor_refuses_a_broken_deck(tmp_path, capsys):
    (tmp_path / "deck.toml").write_text('id = "x"\n', encoding="utf-8")
    assert run_editor(tmp_path, (800, 600), frames=1) == 1
    assert "Fix these first" in capsys.readouterr().out
