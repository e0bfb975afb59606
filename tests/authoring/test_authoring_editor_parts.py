"""Read-along parts in ``kiosk deck edit``: drawn, moved, resized, deleted and reordered like
hotspots, saved as [[screen.part]] tables with the designer's comments and words kept, and
drawn in the window (numbered, in their own colour)."""

import tomllib

import pytest
from editor_helpers import draw, letter_folder, type_words
from PIL import Image

from kiosk.authoring.deck_tables import document_text, load_editor, save
from kiosk.authoring.editor import (
    HOTSPOT,
    IDLE,
    LABELLING,
    NEW_PART_SAY,
    PART,
    WORDING,
    Drag,
    Key,
    Pick,
    Press,
    Release,
)
from kiosk.authoring.editor_window import PART_COLOUR, PART_DARK, EditorWindow
from kiosk.decks.model import Part
from kiosk.decks.reader import read_deck

LETTER = """\
# The clinic letter, page by page.
id = "clinic-letter"
title = "Clinic letter"
version = 2
language = "en-GB"

# ---- Page 1
[[screen]]
id = "page-1"
image = "pages/page-1.png"

# Who it is from
[[screen.part]]
say = "Brookfield Hospital, Diabetes Clinic."
rect = [50, 40, 500, 60]   # the letterhead

# The date and time
[[screen.part]]
say = \"\"\"
Your appointment is on Tuesday 9 March
at twenty to ten in the morning.\"\"\"
rect = [50, 200, 700, 120]
label = "date and time"

[[screen.part]]
say = "Please come to the Main Outpatients Reception."
rect = [50, 400, 700, 100]

# ---- Page 2: nothing to zoom to yet
[[screen]]
id = "page-2"
image = "pages/page-2.png"
say = "Yours sincerely, the Appointments Centre."
"""


@pytest.fixture
def letter(tmp_path):
    return letter_folder(tmp_path / "clinic-letter", LETTER)


def test_parts_load_in_reading_order_and_a_letter_draws_parts(letter):
    editor = load_editor(letter)
    assert editor.kind == PART  # a deck with parts and no hotspots: a drag draws a part
    parts = editor.screen.parts
    assert [p.rect for p in parts] == [[50, 40, 500, 60], [50, 200, 700, 120],
                                       [50, 400, 700, 100]]
    assert parts[1].say == ("Your appointment is on Tuesday 9 March\n"
                            "at twenty to ten in the morning.")
    assert parts[1].label == "date and time" and editor.screen.spots == []


def test_a_new_part_asks_for_its_words_then_can_be_named_and_read_earlier(letter):
    editor = load_editor(letter)
    draw(editor, (50, 600), (750, 700))
    assert editor.mode == WORDING and editor.label == ""
    type_words(editor, "Bring a list of   your medicines.")
    assert editor.mode == IDLE
    new = editor.screen.parts[-1]
    assert (new.rect, new.say, new.kind) == ([50, 600, 700, 100],
                                              "Bring a list of your medicines.", PART)
    assert "Part 4" in editor.message
    editor.handle(Key("f2"))
    assert editor.mode == LABELLING
    type_words(editor, "medicines")
    assert new.label == "medicines"
    editor.handle(Key("ctrl+up"))
    editor.handle(Key("ctrl+up"))
    assert [p.say for p in editor.screen.parts][1] == "Bring a list of your medicines."
    assert "part 2" in editor.message
    editor.handle(Key("ctrl+up"))
    editor.handle(Key("ctrl+up"))  # already first: stays first
    assert editor.screen.parts[0] is new
    editor.handle(Key("ctrl+down"))
    assert editor.screen.parts[1] is new


def test_escape_keeps_a_new_part_as_a_draft_and_empty_words_change_nothing(letter):
    editor = load_editor(letter)
    editor.handle(Press(300, 250))  # the part written over two lines: Enter, Enter
    editor.handle(Release(300, 250))
    editor.handle(Key("return"))
    assert editor.label.startswith("Your appointment is on Tuesday 9 March")
    editor.handle(Key("return"))
    assert not editor.dirty  # the same words, wrapped differently: nothing to save
    draw(editor, (50, 600), (750, 700))
    editor.handle(Key("escape"))
    assert editor.screen.parts[-1].say == NEW_PART_SAY
    editor.handle(Key("return"))  # Enter on a part: its words (not a target)
    assert editor.mode == WORDING
    editor.handle(Key("return"))
    assert editor.screen.parts[-1].say == NEW_PART_SAY


def test_move_resize_delete_work_on_parts_as_on_hotspots(letter):
    editor = load_editor(letter)
    editor.handle(Press(300, 250))  # inside part 2: drag it down 20 px
    editor.handle(Drag(300, 270))
    editor.handle(Release(300, 270))
    assert editor.screen.parts[1].rect == [50, 220, 700, 120]
    editor.handle(Press(750, 500))  # part 3's bottom-right corner: make it smaller
    editor.handle(Drag(600, 480))
    editor.handle(Release(600, 480))
    assert editor.screen.parts[2].rect == [50, 400, 550, 80]
    editor.handle(Press(100, 60))  # part 1: delete it
    editor.handle(Release(100, 60))
    editor.handle(Key("delete"))
    assert editor.message == "Part removed."
    assert [p.rect[1] for p in editor.screen.parts] == [220, 400]


def test_tab_switches_which_kind_is_drawn_and_grabbed(letter):
    editor = load_editor(letter)
    editor.handle(Key("tab"))
    assert editor.kind == HOTSPOT and "clickable areas" in editor.message
    draw(editor, (600, 420), (700, 470))  # a button drawn inside part 3, not moving it
    editor.handle(Pick("page-2"))
    editor.handle(Key("return"))
    assert [s.goto for s in editor.screen.spots] == ["page-2"]
    assert editor.screen.parts[2].rect == [50, 400, 700, 100]
    editor.handle(Press(100, 450))  # on part 3 only: parts are not grabbed now
    editor.handle(Release(100, 450))
    assert editor.area is None
    editor.handle(Key("tab"))
    editor.handle(Press(650, 450))  # inside both: working on parts, the part is grabbed
    editor.handle(Release(650, 450))
    assert editor.area is editor.screen.parts[2]


def test_parts_round_trip_into_deck_toml_with_comments_and_words_intact(letter):
    editor = load_editor(letter)
    editor.handle(Press(300, 250))  # move "date and time"
    editor.handle(Drag(310, 260))
    editor.handle(Release(310, 260))
    editor.handle(Press(100, 450))  # delete the last part
    editor.handle(Release(100, 450))
    editor.handle(Key("delete"))
    draw(editor, (50, 600), (750, 700))
    type_words(editor, "Bring your glasses.")
    editor.handle(Key("right"))  # page 2: its first part
    draw(editor, (40, 40), (760, 200))
    type_words(editor, "Yours sincerely.")
    save(letter, editor)
    assert not editor.dirty and editor.message == "Saved."

    text = (letter / "deck.toml").read_text(encoding="utf-8")
    for comment in ("# The clinic letter, page by page.", "# Who it is from",
                    "# the letterhead", "# The date and time",
                    "# ---- Page 2: nothing to zoom to yet"):
        assert comment in text, comment
    # An unchanged part keeps its words exactly as written (a multi-line string).
    assert '"""\nYour appointment is on Tuesday 9 March\nat twenty to ten' in text
    assert text.index("# ---- Page 2") < text.index('id = "page-2"')
    assert text.index('say = "Yours sincerely."') > text.index('id = "page-2"')
    screens = tomllib.loads(text)["screen"]
    assert [(p["rect"], p.get("label")) for p in screens[0]["part"]] == [
        ([50, 40, 500, 60], None), ([60, 210, 700, 120], "date and time"),
        ([50, 600, 700, 100], None)]
    assert screens[0]["part"][2]["say"] == "Bring your glasses."
    assert screens[1]["part"] == [{"say": "Yours sincerely.", "rect": [40, 40, 720, 160]}]

    deck = read_deck(letter)  # valid, and the kiosk reads the parts as drawn
    assert deck.screens[0].parts[2] == Part("Bring your glasses.", (50, 600, 700, 100))
    assert deck.screens[1].say == "Yours sincerely, the Appointments Centre."
    again = load_editor(letter)
    assert [p.rect for p in again.screens[0].parts] == [p.rect for p in editor.screens[0].parts]
    assert document_text(again) == text


def test_a_reordered_part_is_saved_in_its_new_place(letter):
    editor = load_editor(letter)
    editor.handle(Press(100, 450))
    editor.handle(Release(100, 450))
    editor.handle(Key("ctrl+up"))
    save(letter, editor)
    says = [p.say for p in read_deck(letter).screens[0].parts]
    assert says[1] == "Please come to the Main Outpatients Reception."
    assert says[2].startswith("Your appointment is on Tuesday 9 March")
    text = (letter / "deck.toml").read_text(encoding="utf-8")
    # Each table moved with the comment written above it, and its words as written.
    assert '# The date and time\n[[screen.part]]\nsay = """\nYour appointment' in text
    assert '# Who it is from\n[[screen.part]]\nsay = "Brookfield Hospital' in text
    assert text.index("Please come") < text.index("# The date and time")
    assert text.rstrip().endswith('say = "Yours sincerely, the Appointments Centre."')


def test_unchanged_save_rewrites_nothing(letter):
    assert document_text(load_editor(letter)) == LETTER


def test_the_first_part_on_a_screen_with_hotspots_keeps_the_next_screens_comment(tmp_path):
    folder = tmp_path / "app"
    (folder / "s").mkdir(parents=True)
    for name in ("a", "b"):
        Image.new("RGB", (400, 800), "white").save(folder / "s" / f"{name}.png")
    (folder / "deck.toml").write_text("""\
id = "app"
title = "App"
version = 1
language = "en-GB"

[[screen]]
id = "a"
image = "s/a.png"
say = "Home."

[[screen.hotspot]]
rect = [10, 700, 380, 80]
goto = "b"

# ---- The second screen
[[screen]]
id = "b"
image = "s/b.png"
say = "Done."
""", encoding="utf-8")
    editor = load_editor(folder)
    assert editor.kind == HOTSPOT
    editor.handle(Key("tab"))
    draw(editor, (10, 10), (390, 300))
    type_words(editor, "Welcome to the app.")
    save(folder, editor)
    text = (folder / "deck.toml").read_text(encoding="utf-8")
    assert text.index("[[screen.part]]") < text.index("# ---- The second screen") < text.index(
        'id = "b"')
    deck = read_deck(folder)
    assert deck.screens[0].parts == (Part("Welcome to the app.", (10, 10, 380, 290)),)
    assert deck.screens[0].hotspots[0].goto == "b"


def test_translations_follow_removed_and_reordered_parts_and_a_new_one_is_pointed_out(letter):
    text = LETTER.replace('# ---- Page 2', '[screen.translations.pa]\nparts = ["ੳ", "ਅ", "ੲ"]\n\n'
                          '# ---- Page 2')
    (letter / "deck.toml").write_text(text, encoding="utf-8")
    editor = load_editor(letter)
    editor.handle(Press(100, 60))  # remove part 1: its passage goes too
    editor.handle(Release(100, 60))
    editor.handle(Key("delete"))
    editor.handle(Press(100, 450))  # read the last part first: its passage moves with it
    editor.handle(Release(100, 450))
    editor.handle(Key("ctrl+up"))
    save(letter, editor)
    assert editor.message == "Saved."
    local, _ = read_deck(letter).screens[0].in_language("pa", "en-GB")
    assert [(p.say, p.rect) for p in local.parts] == [("ੲ", (50, 400, 700, 100)),
                                                      ("ਅ", (50, 200, 700, 120))]
    # A new part has no words in Punjabi yet: saving says so (deck check refuses the deck).
    draw(editor, (50, 600), (750, 700))
    type_words(editor, "Bring your glasses.")
    save(letter, editor)
    assert "'page-1' now has 3 parts but its pa translation gives 2 passages" in editor.message
    saved = (letter / "deck.toml").read_text(encoding="utf-8")
    assert saved.index("[[screen.part]]") < saved.index("[screen.translations.pa]")
    assert tomllib.loads(saved)["screen"][0]["translations"]["pa"]["parts"] == ["ੲ", "ਅ"]
    # The removed first part's comments stay where they were, above the part now first
    # after it; the date's comment went with the date.
    assert '# The date and time\n[[screen.part]]\nsay = """\nYour appointment' in saved
    assert saved.index("# Who it is from") < saved.index("# The date and time")


def test_the_window_draws_parts_numbered_in_their_own_colour(letter, tmp_path):
    import pygame

    shot = tmp_path / "editor-parts.png"
    pygame.init()
    try:
        surface = pygame.display.set_mode((1280, 800))
        editor = load_editor(letter)
        window = EditorWindow(editor, letter, (1280, 800))
        window.draw(surface)
        # Real key events: Ctrl+Down reads part 1 later; Tab switches what a drag draws.
        editor.handle(window.translate(pygame.event.Event(
            pygame.MOUSEBUTTONDOWN, pos=window.to_window(100, 60), button=1)))
        editor.handle(window.translate(pygame.event.Event(
            pygame.MOUSEBUTTONUP, pos=window.to_window(100, 60), button=1)))
        editor.handle(window.translate(pygame.event.Event(
            pygame.KEYDOWN, key=pygame.K_DOWN, mod=pygame.KMOD_LCTRL, unicode="")))
        assert editor.screen.parts[1].rect == [50, 40, 500, 60]
        editor.handle(Key("escape"))
        window.draw(surface)
        pygame.image.save(surface, str(shot))
        parts = [window._window_rect(p.rect) for p in editor.screen.parts]
        editor.handle(window.translate(pygame.event.Event(
            pygame.KEYDOWN, key=pygame.K_TAB, mod=0, unicode="\t")))
        assert editor.kind == HOTSPOT
    finally:
        pygame.quit()
    with Image.open(shot) as image:
        image = image.convert("RGB")
        image.save("/tmp/editor-parts.png")  # kept for a person to look at
        for rect in parts:
            # The dashed outline in the parts' colour along the bottom edge ...
            edge = [image.getpixel((x, rect.bottom - 1)) for x in range(rect.left, rect.right)]
            assert sum(1 for c in edge if _near(c, PART_COLOUR)) > rect.width // 3
            # ... with gaps (dashes, unlike a hotspot's solid line) ...
            assert sum(1 for c in edge if _near(c, PART_COLOUR)) < rect.width * 0.8
            # ... and the number's badge just left of its top-left corner.
            assert _near(image.getpixel((rect.left - 7, rect.top + 13)), PART_DARK)
            assert not _near(image.getpixel((rect.left - 40, rect.top + 13)), PART_DARK)


def _near(colour, wanted, tolerance=40):
    return sum(abs(a - b) for a, b in zip(colour, wanted, strict=True)) < tolerance
