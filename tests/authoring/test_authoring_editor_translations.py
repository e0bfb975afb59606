"""A new read-along part on a translated screen gets its words in each translation, typed in
``kiosk deck edit`` (the words asked in turn after the part's own; F3 types them again), so
the deck passes check without editing ``parts = [...]`` by hand."""

import tomllib

import pytest
from editor_helpers import draw, letter_folder, select, type_words

from kiosk.authoring.deck_tables import load_editor, save
from kiosk.authoring.editor import IDLE, TRANSLATING, WORDING, Key
from kiosk.authoring.editor_window import EditorWindow
from kiosk.decks.reader import read_deck
from kiosk.errors import DeckProblems

URDU = ["آپ کی ملاقات منگل کو ہے۔", "براہ کرم استقبالیہ پر آئیں۔"]

LETTER = """\
# A letter read a paragraph at a time, in English, Punjabi and Urdu.
id = "clinic-letter"
title = "Clinic letter"
version = 1
language = "en-GB"

[[screen]]
id = "page-1"
image = "pages/page-1.png"

# The date and time
[[screen.part]]
say = "Your appointment is on Tuesday."
rect = [50, 200, 700, 120]

[[screen.part]]
say = "Please come to reception."
rect = [50, 400, 700, 100]

# Checked by a Punjabi reader on 3 March.
[screen.translations.pa]
parts = ["ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।", "ਕਿਰਪਾ ਕਰਕੇ ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।"]

[screen.translations.ur]
parts = ["آپ کی ملاقات منگل کو ہے۔", "براہ کرم استقبالیہ پر آئیں۔"]

[[screen]]
id = "page-2"
image = "pages/page-2.png"
say = "Yours sincerely."

[screen.translations.pa]
say = "ਤੁਹਾਡਾ ਸ਼ੁਭਚਿੰਤਕ।"
"""


@pytest.fixture
def letter(tmp_path):
    return letter_folder(tmp_path / "clinic-letter", LETTER)


def test_a_new_part_asks_for_its_words_in_each_translation_and_the_deck_passes_check(letter):
    editor = load_editor(letter)
    draw(editor, (50, 600), (750, 700))
    assert editor.mode == WORDING
    type_words(editor, "Bring your glasses.")
    assert (editor.mode, editor.language) == (TRANSLATING, "pa")
    assert "Punjabi (pa)" in editor.message and "part 3" in editor.message
    type_words(editor, "ਆਪਣੀਆਂ ਐਨਕਾਂ ਲੈ ਕੇ ਆਓ।")
    assert (editor.mode, editor.language) == (TRANSLATING, "ur")
    type_words(editor, "اپنی عینک ساتھ لائیں۔")
    assert editor.mode == IDLE
    save(letter, editor)
    assert editor.message == "Saved."

    deck = read_deck(letter)  # deck check's own reader: the lists match the parts again
    punjabi, _ = deck.screens[0].in_language("pa", "en-GB")
    assert [p.say for p in punjabi.parts][2] == "ਆਪਣੀਆਂ ਐਨਕਾਂ ਲੈ ਕੇ ਆਓ।"
    assert punjabi.parts[2].rect == (50, 600, 700, 100)
    urdu, _ = deck.screens[0].in_language("ur", "en-GB")
    assert [p.say for p in urdu.parts] == [*URDU, "اپنی عینک ساتھ لائیں۔"]
    text = (letter / "deck.toml").read_text(encoding="utf-8")
    assert "# Checked by a Punjabi reader on 3 March.\n[screen.translations.pa]" in text
    assert "# The date and time\n[[screen.part]]" in text


def test_escape_leaves_a_translation_for_later_saving_says_which_part_and_f3_finishes_it(letter):
    editor = load_editor(letter)
    draw(editor, (50, 600), (750, 700))
    type_words(editor, "Bring your glasses.")
    editor.handle(Key("escape"))
    assert editor.mode == IDLE
    assert "no words yet in pa, ur: F3" in editor.message
    save(letter, editor)
    assert "its pa translation gives 2 passages: type the pa words of part 3" in editor.message
    with pytest.raises(DeckProblems):  # deck check refuses it until the words are typed
        read_deck(letter)

    editor.handle(Key("f3"))  # the new part is still selected
    assert (editor.mode, editor.language, editor.label) == (TRANSLATING, "pa", "")
    type_words(editor, "ਐਨਕਾਂ।")
    type_words(editor, "عینک۔")
    save(letter, editor)
    assert editor.message == "Saved."
    parts = tomllib.loads((letter / "deck.toml").read_text(encoding="utf-8"))["screen"][0][
        "translations"]
    assert parts["pa"]["parts"][2] == "ਐਨਕਾਂ।" and parts["ur"]["parts"][2] == "عینک۔"


def test_f3_retypes_a_parts_translation_and_the_words_follow_a_reordered_part(letter):
    editor = load_editor(letter)
    select(editor, 100, 450)
    editor.handle(Key("f3"))
    assert editor.label == "ਕਿਰਪਾ ਕਰਕੇ ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।"  # the words as they are, to change
    for _ in editor.label:
        editor.handle(Key("backspace"))
    type_words(editor, "ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।")
    editor.handle(Key("escape"))  # Urdu stays as it was
    editor.handle(Key("ctrl+up"))  # and the part is now read first, its words with it
    assert editor.dirty
    save(letter, editor)
    screen = read_deck(letter).screens[0]
    assert screen.translations["pa"].parts == ("ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।", "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।")
    assert screen.translations["ur"].parts == (URDU[1], URDU[0])


def test_an_empty_translation_keeps_the_words_there_and_untranslated_screens_ask_nothing(letter):
    editor = load_editor(letter)
    select(editor, 100, 250)
    editor.handle(Key("f3"))
    for _ in editor.label:
        editor.handle(Key("backspace"))
    type_words(editor, "   ")  # like a part's own words: a part must say something
    assert editor.screen.parts[0].translated["pa"] == "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।"
    editor.handle(Key("escape"))

    editor.handle(Key("right"))  # page 2: its Punjabi is read whole, with no words per part
    draw(editor, (50, 50), (750, 300))
    type_words(editor, "Yours sincerely.")
    assert editor.mode == IDLE
    editor.handle(Key("f3"))
    assert editor.mode == IDLE and "are read whole" in editor.message
    save(letter, editor)
    assert editor.message == "Saved."
    assert read_deck(letter).screens[1].parts[0].say == "Yours sincerely."


def test_the_window_types_a_translation_with_f3_and_shows_the_language(letter):
    import pygame

    pygame.init()
    try:
        surface = pygame.display.set_mode((1280, 800))
        editor = load_editor(letter)
        window = EditorWindow(editor, letter, (1280, 800))
        window.draw(surface)
        select(editor, 100, 250)
        editor.handle(window.translate(pygame.event.Event(
            pygame.KEYDOWN, key=pygame.K_F3, mod=0, unicode="")))
        assert (editor.mode, editor.language) == (TRANSLATING, "pa")
        editor.handle(window.translate(pygame.event.Event(pygame.TEXTINPUT, text="ੳ")))
        assert editor.label.endswith("ੳ")
        window.draw(surface)  # the typing box reads "Words (pa): ..."
    finally:
        pygame.quit()
