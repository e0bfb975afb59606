"""Easy Read / GOV.UK wording warnings: shown for the original letter, not for the rewrite,
never an error, and honest about what they cannot score."""

from kiosk.authoring.wording import (
    check_deck,
    check_screen,
    plain_alternatives,
    reading_age,
    sentences,
    summarise,
)
from kiosk.decks.model import Deck, Screen

ORIGINAL = (
    "As a person registered with diabetes, you are eligible for annual retinal screening in "
    "accordance with national guidance, and we are writing to inform you that an appointment "
    "has been arranged for you to attend the screening clinic at Hollins Lane Surgery.\n\n"
    "Screening involves the instillation of eye drops to dilate the pupils, following which "
    "digital photographs of the retina are obtained prior to the development of symptoms."
)
EASY = ("You have an eye test. It is on Thursday 18 March.\n\nGo to Hollins Lane Surgery.\n\n"
        "We put drops in your eyes. Then we take photos of your eyes.\n\n"
        "Do not drive for 6 hours after the test. The drops make things blurry.")


def deck(*screens, language="en-GB"):
    return Deck(id="d", title="D", version=1, language=language, screens=tuple(screens))


def test_the_original_gets_warnings_and_the_rewrite_none():
    warnings = [str(w) for w in check_screen("p1", ORIGINAL, "en-GB")]
    assert any(w.startswith("screen 'p1': a sentence has 42 words") for w in warnings)
    assert any("reading age about" in w for w in warnings)
    assert "screen 'p1': 'prior to': try 'before'" in warnings
    assert "screen 'p1': 'attend': try 'go to'" in warnings
    assert check_screen("e1", EASY, "en-GB") == []


def test_the_summary_compares_variants():
    report = check_deck(deck(Screen("p1", "p1.png", ORIGINAL, "?", variant="original"),
                             Screen("e1", "e1.png", EASY, "?", variant="easy-read")))
    original_age = reading_age(ORIGINAL)
    easy_age = reading_age(EASY)
    assert original_age > 12 and easy_age <= 9
    assert report.summary == f"original: reading age {original_age}; easy-read: {easy_age}"
    assert all(w.screen_id == "p1" for w in report.warnings)


def test_other_languages_are_not_scored_but_long_sentences_still_count():
    punjabi = "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ। " + " ".join(["ਸ਼ਬਦ"] * 20) + "।"
    warnings = check_screen("p1", punjabi, "pa")
    assert [w.message.split(":")[0] for w in warnings] == ["a sentence has 20 words (Easy Read"]
    assert "English only" in summarise(deck(Screen("p1", "p1.png", punjabi, "?"), language="pa"))


def test_word_forms_and_phrases_are_found_once_each():
    found = plain_alternatives("Please attend. Attending is required; we require it prior to "
                               "that. Commencement, commence.")
    assert found == [("attend", "go to"), ("Attending", "go to"), ("required", "need"),
                     ("require", "need"), ("prior to", "before"), ("Commencement", "start"),
                     ("commence", "start")]


def test_short_text_gets_no_reading_age_and_sentences_split_at_blank_lines():
    assert reading_age("Hello there.") is None
    assert sentences("Dear Mr Nowak,\n\nYou have a test. It is soon!") == [
        "Dear Mr Nowak,", "You have a test.", "It is soon!"]
    summary = summarise(deck(Screen("p1", "p1.png", "Hello.", "?")))
    assert summary == "reading age too few words to score"
