"""The one deck writer: every field the reader knows goes out and reads back as the same deck,
comments land where they are meant to, and defaults are not repeated."""

import shutil
import tomllib
import wave

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kiosk.authoring.deck_writer import (
    Notes,
    deck_fields,
    deck_text,
    text_value,
    write_deck_file,
)
from kiosk.decks.model import Deck, Part, Screen, Task, Translation
from kiosk.decks.reader import read_deck

EVERYTHING = """\
id = "clinic-letter"
title = 'The "clinic" letter \\ page by page'
version = 4
language = "en-GB"
ask = "Did you understand this page?"
made_by = "the tests"

[translations.pa]
ask = "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਇਆ?"

[[screen]]
id = "p1"
variant = "original"
image = "s/p1.png"
audio = "s/p1.wav"
say = \"\"\"
Come at 9:40.
Bring "this letter" and C:\\\\glasses.\"\"\"

[[screen.hotspot]]
rect = [10, 20, 100, 50]
goto = "p2"

[[screen.hotspot]]
rect = [10, 200, 100, 50]
goto = "p3"
label = "Help"

[screen.translations.pa]
image = "s/pa/p1.png"
say = "9:40 ਵਜੇ ਆਓ।"
ask = "ਕੀ ਤੁਹਾਨੂੰ ਸਮਾਂ ਸਮਝ ਆਇਆ?"
audio = "s/pa/p1.wav"

[[screen]]
id = "p2"
variant = "easy-read"
image = "s/p2.png"
ask = "Do you know what to bring?"

[[screen.part]]
label = "date"
rect = [0, 0, 300, 100]
say = "Tuesday."

[[screen.part]]
rect = [0, 100, 300, 100]
say = "Bring your glasses."

[screen.translations.pa]
parts = ["ਮੰਗਲਵਾਰ।", "ਐਨਕਾਂ ਲਿਆਓ।"]

[screen.translations.ur]
say = "منگل۔"

[[screen]]
id = "p3"
image = "s/p3.png"
say = "Help."

[[screen.hotspot]]
rect = [0, 0, 50, 50]
goto = "p1"

[[task]]
id = "find-help"
instruction = "Find help."
start = "p1"
done = ["p3", "p2"]
path = ["p1", "p3"]
ask = "Was that quick?"

[task.translations.pa]
instruction = "ਮਦਦ ਲੱਭੋ।"
ask = "ਕੀ ਇਹ ਜਲਦੀ ਸੀ?"

[[task]]
id = "second-page"
instruction = "Go to the second page."
start = "p1"
done = "p2"

[[profile]]
id = "age-65-plus"
question = "Are you 65 or older?"

[profile.translations.pa]
question = "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਜਾਂ ਵੱਧ ਹੈ?"

[language_names]
pa = "ਪੰਜਾਬੀ"
"""

PICTURES = ["s/p1.png", "s/pa/p1.png", "s/p2.png", "s/p3.png"]


def deck_folder(folder, toml):
    for name in PICTURES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (400, 300), "white").save(folder / name)
    for name in ("s/p1.wav", "s/pa/p1.wav"):
        with wave.open(str(folder / name), "wb") as recording:
            recording.setnchannels(1)
            recording.setsampwidth(2)
            recording.setframerate(16000)
            recording.writeframes(b"\0\0" * 1600)
    (folder / "deck.toml").write_text(toml, encoding="utf-8")
    return folder


def test_every_field_the_reader_knows_is_written_and_reads_back_the_same(tmp_path):
    first = read_deck(deck_folder(tmp_path / "a", EVERYTHING))
    assert first.screens[0].audio and first.tasks[0].translations and first.extra
    again_folder = tmp_path / "b"
    shutil.copytree(tmp_path / "a", again_folder)
    write_deck_file(again_folder, first)
    again = read_deck(again_folder)
    assert deck_fields(again) == deck_fields(first)
    # ... and writing that again changes nothing: one way to write each deck.
    assert deck_text(again) == (again_folder / "deck.toml").read_text(encoding="utf-8")


def test_defaults_are_not_repeated(tmp_path):
    deck = read_deck(deck_folder(tmp_path / "a", EVERYTHING))
    data = tomllib.loads(deck_text(deck))
    p1, p2, p3 = data["screen"]
    assert "ask" not in p3  # the deck's own question
    assert "say" not in p2  # read in parts: its words are its parts' words
    assert "say" not in p2["translations"]["pa"]
    assert "ask" not in data["task"][1] and data["task"][0]["ask"] == "Was that quick?"
    assert data["task"][1]["done"] == "p2" and data["task"][0]["done"] == ["p3", "p2"]
    assert "label" not in p1["hotspot"][0] and p1["hotspot"][1]["label"] == "Help"


def test_notes_are_written_where_they_are_meant_to_be():
    deck = Deck(
        id="d", title="D", version=1, language="en-GB", ask="Did you understand this?",
        screens=(
            Screen("one", "s/1.png", "One.", "Did you understand this?"),
            Screen("two", "s/2.png", "Two. Three.", "Did you understand this?",
                   parts=(Part("Two.", (1, 2, 3, 4)), Part("Three.", (5, 6, 7, 8), "three"))),
        ),
        tasks=(Task("t", "Go on.", "one", ("two",)),),
    )
    notes = Notes(top=["# Top.", "#"], fields={"version": ["# Raise it."]},
                  screens={"one": ["# First."], "two": ["# ---- Second", "", "# Page 2."]},
                  says={"one": ["# Say it."], "two": ["# In parts."]},
                  tasks=["# Tasks."], rect="x, y, width, height")
    text = deck_text(deck, notes)
    assert text.startswith("# Top.\n#\n\nid = \"d\"\n")
    assert '# Raise it.\nversion = 1\n' in text
    assert '\n\n# First.\n[[screen]]\nid = "one"\n' in text
    assert '# Say it.\nsay = "One."\n' in text
    assert '\n\n# ---- Second\n\n# Page 2.\n[[screen]]\nid = "two"\n' in text
    assert '# In parts.\n\n[[screen.part]]\nrect = [1, 2, 3, 4]  # x, y, width, height\n' in text
    assert '\n\n# Tasks.\n[[task]]\n' in text
    assert tomllib.loads(text)["screen"][1]["part"][1] == {
        "label": "three", "rect": [5, 6, 7, 8], "say": "Three."}


def test_a_note_must_be_a_comment():
    deck = Deck("d", "D", 1, "en-GB", (Screen("one", "s/1.png", "One.", "Ask?"),))
    with pytest.raises(ValueError, match="a note is a line starting with '#'"):
        deck_text(deck, Notes(top=["Made by hand"]))


def test_translation_words_for_parts_are_written_as_a_list():
    deck = Deck("d", "D", 1, "en-GB", (
        Screen("one", "s/1.png", "A. B.", "Ask?",
               parts=(Part("A.", (0, 0, 5, 5)), Part("B.", (0, 5, 5, 5))),
               translations={"pa": Translation(say="ੳ। ਅ।", parts=("ੳ।", "ਅ।"))}),))
    table = tomllib.loads(deck_text(deck))["screen"][0]["translations"]["pa"]
    assert table == {"parts": ["ੳ।", "ਅ।"]}


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_is_quoted_so_toml_reads_it_back(text):
    value = tomllib.loads(f"x = {text_value(text).as_string()}\n")["x"]
    assert value == (text + "\n" if "\n" in text and "\r" not in text else text)
