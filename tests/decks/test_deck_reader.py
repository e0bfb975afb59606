"""Reading deck.toml: what real designers hand over is accepted, every mistake is named."""

from __future__ import annotations

import os
import wave

import pytest
from deck_helpers import GOOD_TOML, make_deck, make_image

from kiosk.decks.model import DEFAULT_ASK
from kiosk.decks.reader import read_deck
from kiosk.errors import DeckProblems, KioskError


def problems_of(folder) -> list[str]:
    with pytest.raises(DeckProblems) as caught:
        read_deck(folder)
    assert isinstance(caught.value, KioskError)
    return caught.value.problems


def test_a_good_deck_reads_into_the_model(good_deck):
    deck = read_deck(good_deck)
    assert (deck.id, deck.title, deck.version, deck.language) == (
        "clinic-letter",
        "Clinic letter",
        1,
        "en-GB",
    )
    assert [s.id for s in deck.screens] == ["p1", "p2"]
    first, second = deck.screens
    assert first.image == "screens/page 1.png"
    assert first.ask == "Did you understand this page?"  # the deck's own default
    assert second.ask == "Do you know what to bring?"
    assert deck.variants == ("original", "easy-read")
    assert first.hotspots[0].rect == (600, 500, 150, 80)
    assert first.hotspots[0].goto == "p2" and first.hotspots[0].label == "Next page"
    assert deck.extra == {"made_by": "Tests"}
    assert deck.folder == good_deck
    assert deck.path_of(first.image).is_file()


def test_without_a_deck_wide_ask_the_kiosk_default_is_used(tmp_path):
    toml = GOOD_TOML.replace('ask = "Did you understand this page?"\n', "")
    deck = read_deck(make_deck(tmp_path / "d", toml))
    assert deck.ask == DEFAULT_ASK and deck.screens[0].ask == DEFAULT_ASK


def test_notepad_files_with_bom_and_crlf_are_read(tmp_path):
    toml = GOOD_TOML.replace("\n", "\r\n")
    folder = make_deck(tmp_path / "d", toml, encoding="utf-8-sig")
    assert (folder / "deck.toml").read_bytes().startswith(b"\xef\xbb\xbf")
    deck = read_deck(folder)
    assert deck.id == "clinic-letter"
    assert "\r" not in deck.screens[0].say


def test_notepad_unicode_utf16_is_read(tmp_path):
    folder = make_deck(tmp_path / "d", GOOD_TOML.replace("\n", "\r\n"), encoding="utf-16")
    assert read_deck(folder).title == "Clinic letter"


def test_a_file_saved_in_an_old_windows_encoding_is_explained(tmp_path):
    toml = GOOD_TOML.replace("Clinic letter", "Zaproszenie do przychodni łódź")
    folder = make_deck(tmp_path / "d", toml, encoding="cp1250")
    (problem,) = problems_of(folder)
    assert "not saved as UTF-8" in problem and "Save As" in problem


def test_punjabi_urdu_and_polish_text_and_file_names(tmp_path):
    toml = """\
id = "letter-pa"
title = "ਹਸਪਤਾਲ ਦੀ ਚਿੱਠੀ"
version = 3
language = "pa"
ask = "ਕੀ ਤੁਸੀਂ ਇਹ ਸਮਝ ਗਏ?"

[[screen]]
id = "ਪੰਨਾ-1"
image = "Ekrany/Strona ł 1.PNG"
say = "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।"

[[screen]]
id = "urdu"
image = "تصویر.JPEG"
say = "آپ کی ملاقات منگل کو ہے۔"
"""
    folder = make_deck(tmp_path / "d", toml, {"Ekrany/Strona ł 1.PNG": (640, 480)})
    make_image(folder / "تصویر.JPEG", (640, 480), "JPEG")
    deck = read_deck(folder)
    assert deck.title == "ਹਸਪਤਾਲ ਦੀ ਚਿੱਠੀ"
    assert deck.screens[0].image == "Ekrany/Strona ł 1.PNG"
    assert deck.screens[1].say.startswith("آپ")


def test_paths_typed_with_other_capitals_or_backslashes_find_the_real_file(tmp_path):
    toml = GOOD_TOML.replace("screens/page 1.png", "SCREENS\\\\Page 1.PNG")
    deck = read_deck(make_deck(tmp_path / "d", toml))
    assert deck.screens[0].image == "screens/page 1.png"


def test_every_problem_is_reported_at_once(tmp_path):
    toml = """\
id = "My Deck!"
title = ""
version = "2"
language = "English"

[[screen]]
id = "p1"
image = "Screens/page1.png"
say = "   "

[[screen.hotspot]]
rect = [700, 500, 200, 200]
goto = "nowhere"
label = "Book"

[[screen]]
id = "p2"
image = "Screens/page2.png"
say = "Second page."

[[screen]]
id = "p1"
image = "Screens/page1.png"
say = "A copy."
ask = ""

[[screen.hotspot]]
rect = [10, 10, "wide", 5]
"""
    folder = make_deck(tmp_path / "d", toml, {"Screens/page1.png": (800, 600)})
    problems = problems_of(folder)
    expected = [
        "id 'My Deck!' is not a safe name",
        "title is empty",
        "version '2' must be a whole number such as 1 (without quotes)",
        "language 'English' is not a language code",
        "screen 'p1': say is empty",
        "screen 'p1': hotspot 1 ('Book'): goto 'nowhere' is not a screen in this deck",
        "screen 'p1': hotspot 1 ('Book'): rect [700, 500, 200, 200] goes off the image, "
        "which is 800 x 600 pixels",
        "screen 'p2': image 'Screens/page2.png' is not in the deck",
        "screen 'p1' appears twice (screens 1 and 3)",
        "screen 'p1': ask is empty",
        "screen 'p1': hotspot 1: rect [10, 10, 'wide', 5] must be four whole numbers",
        "screen 'p1': hotspot 1: goto is missing",
    ]
    for sentence in expected:
        assert any(sentence in p for p in problems), (sentence, problems)
    assert len(problems) == len(expected)
    assert "such as 'my-deck'" in problems[0]


def test_missing_fields_are_named(tmp_path):
    folder = make_deck(tmp_path / "d", "[[screen]]\nimage = 3\n", {})
    problems = problems_of(folder)
    for field in ("id is missing", "title is missing", "version is missing", "language is missing"):
        assert any(p.startswith(field) for p in problems), problems
    assert "screen 1: id is missing: give every screen a short name" in problems
    assert "screen 1: image 3 must be a file name in quotes" in problems
    assert any(p.startswith("screen 1: say is missing") for p in problems)


@pytest.mark.parametrize(
    "toml, expected",
    [
        ('id = "x"\ntitle = "T"\nversion = 1\nlanguage = "en"\n', "there are no screens"),
        (
            'id = "x"\ntitle = "T"\nversion = 1\nlanguage = "en"\n[screen]\nid = "a"\n',
            "[[screen]] (two square brackets)",
        ),
        ('id = "x"\ntitle = "T\nversion = 1\n', "deck.toml is not written correctly"),
        ('id = "x"\nversion = 0\n', "version 0 must be 1 or more"),
        ('id = "x"\nversion = true\n', "version True must be a whole number"),
        ('id = "../../etc"\n', "id '../../etc' is not a safe name"),
    ],
)
def test_broken_or_odd_toml_is_explained(tmp_path, toml, expected):
    problems = problems_of(make_deck(tmp_path / "d", toml, {}))
    assert any(expected in p for p in problems), problems


def test_no_deck_toml(tmp_path):
    (tmp_path / "empty").mkdir()
    (problem,) = problems_of(tmp_path / "empty")
    assert problem.startswith("there is no deck.toml in this folder")


@pytest.mark.parametrize(
    "image, expected",
    [
        ("../outside.png", "climbs out of the deck with '..'"),
        ("/etc/passwd.png", "points outside the deck"),
        ("C:\\\\Users\\\\me\\\\a.png", "points outside the deck"),
        ("screens/page 1.gif", "must be a PNG or JPEG file"),
        ("screens/Page1.png", "is not in the deck (there is a 'screens/other/Page1.PNG'"),
    ],
)
def test_image_paths_must_stay_inside_the_deck(tmp_path, image, expected):
    make_image(tmp_path / "outside.png")
    toml = GOOD_TOML.replace('"screens/page 1.png"', f'"{image}"')
    folder = make_deck(tmp_path / "d", toml)
    if image.endswith("Page1.png"):
        (folder / "screens" / "page 1.png").rename(folder / "screens" / "elsewhere.png")
        (folder / "screens" / "other").mkdir()
        make_image(folder / "screens" / "other" / "Page1.PNG")
    problems = problems_of(folder)
    assert any(p.startswith("screen 'p1': image") and expected in p for p in problems), problems


def test_similar_name_elsewhere_is_suggested(tmp_path):
    toml = GOOD_TOML.replace('"screens/page 1.png"', '"page 1.png"')
    (problem,) = problems_of(make_deck(tmp_path / "d", toml))
    assert problem == (
        "screen 'p1': image 'page 1.png' is not in the deck (there is a "
        "'screens/page 1.png': is that the one?)"
    )


def test_a_link_to_a_file_outside_the_deck_is_refused(tmp_path):
    secret = make_image(tmp_path / "private" / "photo.png")
    folder = make_deck(tmp_path / "d")
    os.remove(folder / "screens" / "page 1.png")
    os.symlink(secret, folder / "screens" / "page 1.png")
    (problem,) = problems_of(folder)
    assert problem == "screen 'p1': image 'screens/page 1.png' is a link to a file outside the deck"


def write_wav(path, seconds=0.5):
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(22050)
        clip.writeframes(b"\x10\x00" * int(22050 * seconds))


def test_recorded_audio_wav_and_ogg(tmp_path):
    toml = GOOD_TOML.replace(
        'variant = "original"', 'variant = "original"\naudio = "Audio/Page 1.WAV"'
    ).replace('variant = "easy-read"', 'variant = "easy-read"\naudio = "audio/p2.ogg"')
    folder = make_deck(tmp_path / "d", toml)
    (folder / "Audio").mkdir()
    write_wav(folder / "Audio" / "Page 1.WAV")
    (folder / "audio").mkdir()
    (folder / "audio" / "p2.ogg").write_bytes(b"OggS" + b"\x00" * 100)
    deck = read_deck(folder)
    assert deck.screens[0].audio == "Audio/Page 1.WAV"
    assert deck.screens[1].audio == "audio/p2.ogg"

    (folder / "audio" / "p2.ogg").write_text("not a recording")
    (problem,) = problems_of(folder)
    assert problem == (
        "screen 'p2': audio 'audio/p2.ogg' is not an OGG recording (its contents are "
        "something else)"
    )


def test_audio_must_be_wav_or_ogg_inside_the_deck(tmp_path):
    toml = GOOD_TOML.replace('variant = "original"', 'audio = "p1.mp3"').replace(
        'variant = "easy-read"', 'audio = "../p2.wav"'
    )
    problems = problems_of(make_deck(tmp_path / "d", toml))
    assert problems == [
        "screen 'p1': audio 'p1.mp3' must be a WAV or OGG file",
        "screen 'p2': audio '../p2.wav' climbs out of the deck with '..': keep files inside "
        "the deck",
    ]


def test_damaged_images_are_named_with_their_screen(tmp_path):
    folder = make_deck(tmp_path / "d")
    (folder / "screens" / "page 1.png").write_text("this is a text file, not a picture")
    data = (folder / "screens" / "page2.jpg").read_bytes()
    (folder / "screens" / "page2.jpg").write_bytes(data[: len(data) // 2])
    problems = problems_of(folder)
    assert problems == [
        "screen 'p1': image 'screens/page 1.png' is not a PNG or JPEG picture (the file's "
        "contents are not an image)",
        "screen 'p2': image 'screens/page2.jpg' is damaged or cut short (perhaps only part "
        "of it was copied); export or copy it again",
    ]


def test_quick_reading_skips_full_decoding_but_still_knows_sizes(tmp_path):
    folder = make_deck(tmp_path / "d")
    data = (folder / "screens" / "page2.jpg").read_bytes()
    (folder / "screens" / "page2.jpg").write_bytes(data[: len(data) // 2])
    deck = read_deck(folder, thorough=False)
    assert deck.id == "clinic-letter"
    with pytest.raises(DeckProblems):
        read_deck(folder)
