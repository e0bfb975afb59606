"""``[[screen.part]]``: a screen read a passage at a time, each with its region of the picture."""

import pytest
from deck_helpers import make_deck

from kiosk.decks.model import Part
from kiosk.decks.reader import read_deck
from kiosk.errors import DeckProblems

PARTS_TOML = """\
id = "letter"
title = "Letter"
version = 1
language = "en-GB"

[[screen]]
id = "page-1"
image = "page.png"

[[screen.part]]
say = "Your appointment is on Tuesday 9 March at 9:40."
rect = [40, 60, 700, 120]
label = "date and time"

[[screen.part]]
say = "Please come to the Main Outpatients Reception."
rect = [40, 200, 700, 100]

[screen.translations.pa]
parts = ["ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।", "ਕਿਰਪਾ ਕਰਕੇ ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।"]
"""


def deck_with(tmp_path, toml):
    return make_deck(tmp_path / "d", toml, images={"page.png": (800, 600)})


def test_parts_are_read_in_order_and_make_the_whole_say(tmp_path):
    deck = read_deck(deck_with(tmp_path, PARTS_TOML))
    screen = deck.screens[0]
    assert screen.parts == (
        Part("Your appointment is on Tuesday 9 March at 9:40.", (40, 60, 700, 120),
             "date and time"),
        Part("Please come to the Main Outpatients Reception.", (40, 200, 700, 100)),
    )
    assert screen.say == " ".join(part.say for part in screen.parts)


def test_a_translation_gives_each_region_its_own_words(tmp_path):
    screen = read_deck(deck_with(tmp_path, PARTS_TOML)).screens[0]
    local, _ = screen.in_language("pa", "en-GB")
    assert [p.say for p in local.parts] == ["ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।",
                                            "ਕਿਰਪਾ ਕਰਕੇ ਰਿਸੈਪਸ਼ਨ 'ਤੇ ਆਓ।"]
    assert [p.rect for p in local.parts] == [p.rect for p in screen.parts]


def test_a_translation_with_only_say_is_read_whole(tmp_path):
    toml = PARTS_TOML.replace('parts = ["ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।", "ਕਿਰਪਾ ਕਰਕੇ ਰਿਸੈਪਸ਼ਨ \'ਤੇ ਆਓ।"]',
                              'say = "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।"')
    local, _ = read_deck(deck_with(tmp_path, toml)).screens[0].in_language("pa", "en-GB")
    assert local.parts == () and local.say == "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।"


@pytest.mark.parametrize("change, words", [
    (("rect = [40, 200, 700, 100]", "rect = [40, 200, 900, 100]"), "part 2: rect [40, 200, 900, "
     "100] goes off the image, which is 800 x 600 pixels"),
    (('say = "Please come', 'sey = "Please come'), "part 2: say is missing"),
    (("rect = [40, 60, 700, 120]\n", ""), "part 1: rect is missing"),
    (('parts = ["ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।", ', 'parts = ['),
     "parts has 1 passages but the screen has 2"),
    (("label = \"date and time\"", "lable = \"date and time\""), "part 1: 'lable' is not a field"),
])
def test_bad_parts_are_explained(tmp_path, change, words):
    with pytest.raises(DeckProblems) as caught:
        read_deck(deck_with(tmp_path, PARTS_TOML.replace(*change)))
    assert words in str(caught.value)
