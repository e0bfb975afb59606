"""Deck 1: the hospital letter, original and easy-read (the easy-read pages also in Punjabi),
with three profile questions."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from kiosk.decks.model import Deck, ProfileQuestion, Screen, Translation

from .decks import Example, example_notes, picture_path
from .drawing import Style
from .easy_read import EASY_EN, EASY_PA, easy_say, render_easy
from .original_letter import (
    LETTER_PDF,
    ORIGINAL_PAGES,
    original_parts,
    render_pdf_pages,
    text_boxes,
    write_original_pdf,
)

PROFILE = (
    ProfileQuestion("english-first-language", "Is English your first language?",
                    {"pa": "ਕੀ ਅੰਗਰੇਜ਼ੀ ਤੁਹਾਡੀ ਪਹਿਲੀ ਭਾਸ਼ਾ ਹੈ?"}),
    ProfileQuestion("age-65-plus", "Are you 65 or older?",
                    {"pa": "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਸਾਲ ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੈ?"}),
    ProfileQuestion("smartphone-most-days", "Do you use a smartphone most days?",
                    {"pa": "ਕੀ ਤੁਸੀਂ ਜ਼ਿਆਦਾਤਰ ਦਿਨ ਸਮਾਰਟਫ਼ੋਨ ਵਰਤਦੇ ਹੋ?"}),
)


def hospital_letter(letter: Path = LETTER_PDF) -> Example:
    about = """
An outpatient appointment letter in two versions, to see which one people understand:
  original  - the letter as hospitals really write it (3 screens)
  easy-read - the same facts in short sentences with a picture for each (4 screens)
Each screen asks the same question for both versions, so answers can be compared.
The easy-read screens are also in Punjabi (Gurmukhi script), side by side with the
English in [screen.translations.pa], with their own Punjabi pictures. The original letter
has no translation, as in real life: Punjabi speakers see and hear it in English.
The original pages are read along: a [[screen.part]] per block of the letter, each
zoomed to and outlined on the page while it is read.
Please have a fluent Punjabi reader check the wording before using it with the public.
The hospital, trust, patient and phone numbers are all invented."""
    screens: list[Screen] = []
    pictures: dict[str, Image.Image] = {}
    blocks = write_original_pdf(letter)
    for page, image, where, boxes in zip(ORIGINAL_PAGES, render_pdf_pages(letter), blocks,
                                         text_boxes(letter), strict=True):
        parts = original_parts(page, where, boxes)
        screen = Screen(page.id, picture_path(page.id), " ".join(p.say for p in parts),
                        page.ask, "original", parts=tuple(parts))
        screens.append(screen)
        pictures[screen.image] = image
    body, heading = Style(44, line_height=1.3), Style(60)
    # Gurmukhi letters look smaller than Latin ones at the same size, so a little bigger
    body_pa = Style(46, script="gurmukhi", line_height=1.45)
    heading_pa = Style(56, script="gurmukhi")
    for i, (easy, easy_pa) in enumerate(zip(EASY_EN, EASY_PA, strict=True), 1):
        assert easy.id == easy_pa.id
        punjabi = Translation(easy_say(easy_pa, "।"), easy_pa.ask, picture_path(easy.id, "pa"))
        screen = Screen(easy.id, picture_path(easy.id), easy_say(easy, "."), easy.ask,
                        "easy-read", translations={"pa": punjabi})
        screens.append(screen)
        pictures[screen.image] = render_easy(easy, i, len(EASY_EN), body, heading)
        pictures[picture_path(easy.id, "pa")] = render_easy(easy_pa, i, len(EASY_PA), body_pa,
                                                            heading_pa)
    deck = Deck(
        id="hospital-letter",
        title="Your hospital appointment letter",
        version=3,
        language="en-GB",
        screens=tuple(screens),
        ask="Did you understand this?",
        profile=PROFILE,
        language_names={"en-GB": "English", "pa": "ਪੰਜਾਬੀ"},
    )
    return Example(deck, pictures, example_notes(about, deck))
