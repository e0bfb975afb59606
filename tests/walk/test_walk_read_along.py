"""Read along: a screen with parts is read a passage at a time, the view following the voice."""

from walk_driver import start

from kiosk.decks.model import Deck, Part, Screen, Translation
from kiosk.walk.events import (
    Green,
    Red,
    Replay,
    Speak,
    SpeechFinished,
    SpeechStarted,
    StopSpeech,
    Tap,
)

PARTS = (
    Part("Your appointment is on Tuesday.", (40, 60, 700, 120), "date"),
    Part("Please come to reception.", (40, 200, 700, 100)),
    Part("Bring your medicines.", (40, 320, 700, 90), "medicines"),
)


def letter(translation: Translation | None = None) -> Deck:
    page = Screen("page-1", "page.png", " ".join(p.say for p in PARTS), "Did you understand?",
                  parts=PARTS,
                  translations={"pa": translation} if translation else {})
    plain = Screen("page-2", "page2.png", "A plain screen.", "Was that clear?")
    return Deck("letter", "Letter", 1, "en-GB", (page, plain))


def at_the_letter(deck=None):
    """A participant at the first (read-along) screen; the effects of arriving."""
    driver = start(deck or letter())
    driver.press(Green())  # welcome
    arrived = driver.press(Green())  # how it works -> the first screen
    assert driver.walk.state == "screen"
    return driver, arrived


def speaks(effects):
    return [e for e in effects if isinstance(e, Speak)]


def hear(driver, news):
    """The speaker's news reaches the walk, as the app passes it on."""
    assert driver.walk.handle(news, driver.now) == []


def test_arriving_speaks_each_part_in_order_each_tagged_then_the_question():
    driver, arrived = at_the_letter()
    said = speaks(arrived)
    assert [s.text for s in said] == [p.say for p in PARTS] + ["Did you understand?"]
    assert [s.tag.part for s in said] == [0, 1, 2, None]
    assert len({s.tag.reading for s in said}) == 1
    assert isinstance(arrived[arrived.index(said[0]) - 1], StopSpeech)


def test_the_region_follows_the_voice_and_the_question_waits_for_it():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    view = driver.walk.view()
    assert view.narrating and view.region == PARTS[0].rect  # zooming as the first part starts
    hear(driver, SpeechStarted(tags[0]))
    hear(driver, SpeechFinished(tags[0]))
    hear(driver, SpeechStarted(tags[1]))
    assert driver.walk.view().region == PARTS[1].rect
    hear(driver, SpeechFinished(tags[1]))
    hear(driver, SpeechStarted(tags[2]))
    assert driver.walk.view().region == PARTS[2].rect and driver.walk.view().narrating
    hear(driver, SpeechFinished(tags[2]))
    view = driver.walk.view()
    assert view.region is None and not view.narrating  # the whole page, and the question
    hear(driver, SpeechStarted(tags[3]))
    assert driver.walk.view().region is None


def test_the_question_starting_ends_narration_even_if_a_part_never_said_it_ended():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    hear(driver, SpeechStarted(tags[3]))
    assert not driver.walk.view().narrating and driver.walk.view().region is None


def test_hear_again_mid_part_replays_that_part_then_a_second_press_the_whole_screen():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    hear(driver, SpeechStarted(tags[1]))
    again = driver.press(Replay(), after=2.0)
    assert [(s.text, s.tag.part) for s in speaks(again)] == [
        (PARTS[1].say, 1), ("Did you understand?", None)]
    assert StopSpeech() in again
    assert driver.walk.view().region == PARTS[1].rect and driver.walk.view().narrating
    # news of the reading cut short changes nothing
    hear(driver, SpeechFinished(tags[1]))
    assert driver.walk.view().region == PARTS[1].rect
    whole = driver.press(Replay(), after=1.0)
    assert [s.tag.part for s in speaks(whole)] == [0, 1, 2, None]
    assert driver.walk.view().region == PARTS[0].rect
    replays = driver.records("replay")
    assert [(r.replay_number, r.part) for r in replays] == [(1, 2), (2, None)]
    assert replays[0].fields["part"] == 2 and "part" not in replays[1].fields


def test_hear_again_after_the_narration_reads_the_whole_screen():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    for tag in tags[:3]:
        hear(driver, SpeechStarted(tag))
        hear(driver, SpeechFinished(tag))
    again = driver.press(Replay())
    assert [s.tag.part for s in speaks(again)] == [0, 1, 2, None]
    assert driver.records("replay")[-1].part is None
    assert driver.walk.view().narrating


def test_a_part_heard_again_ends_with_the_whole_page_and_the_question():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    hear(driver, SpeechStarted(tags[0]))
    again = driver.press(Replay())
    part_tag = speaks(again)[0].tag
    hear(driver, SpeechStarted(part_tag))
    hear(driver, SpeechFinished(part_tag))
    assert not driver.walk.view().narrating and driver.walk.view().region is None


def test_green_and_red_answer_mid_narration_without_waiting_for_the_voice():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    hear(driver, SpeechStarted(tags[0]))
    out = driver.press(Red(), after=0.5)
    assert StopSpeech() in out
    answer = driver.records("answer")[-1]
    assert (answer.screen_id, answer.response) == ("page-1", "not_understood")
    hear(driver, SpeechFinished(tags[0]))  # the cut-short part's news, during the cross
    driver.wait(1.0)
    view = driver.walk.view()
    assert view.screen.id == "page-2" and view.region is None and not view.narrating
    plain = speaks(driver.effects)[-2:]
    assert [s.tag for s in plain] == [None, None]  # a plain screen is read as before


def test_speech_news_is_not_a_press_so_a_walk_away_is_still_noticed():
    driver, arrived = at_the_letter()
    tags = [s.tag for s in speaks(arrived)]
    for second in range(0, 200, 20):
        driver.wait(20)
        hear(driver, SpeechStarted(tags[0]) if second % 40 else SpeechFinished(tags[0]))
    assert driver.walk.state == "still_there"
    assert driver.walk.view().kind == "still_there"


def test_a_translation_with_its_own_parts_is_read_along_in_its_language():
    pa = Translation(say="ਇੱਕ ਦੋ ਤਿੰਨ", ask="ਕੀ ਸਮਝ ਆਈ?", parts=("ਇੱਕ", "ਦੋ", "ਤਿੰਨ"))
    deck = letter(pa)
    driver = start(deck)
    driver.press(Green())
    driver.press(Red())  # the next language: Punjabi
    driver.press(Green())  # chosen
    arrived = driver.press(Green())  # how it works -> the screen
    said = speaks(arrived)
    assert [(s.text, s.language, s.tag.part) for s in said] == [
        ("ਇੱਕ", "pa", 0), ("ਦੋ", "pa", 1), ("ਤਿੰਨ", "pa", 2), ("ਕੀ ਸਮਝ ਆਈ?", "pa", None)]
    assert driver.walk.view().region == PARTS[0].rect


def test_a_translation_read_whole_does_not_zoom():
    deck = letter(Translation(say="ਸਾਰੀ ਚਿੱਠੀ", ask="ਕੀ ਸਮਝ ਆਈ?"))
    driver = start(deck)
    driver.press(Green())
    driver.press(Red())
    driver.press(Green())
    arrived = driver.press(Green())
    assert [s.text for s in speaks(arrived)] == ["ਸਾਰੀ ਚਿੱਠੀ", "ਕੀ ਸਮਝ ਆਈ?"]
    assert driver.walk.view().region is None and not driver.walk.view().narrating


def test_a_recorded_screen_with_parts_plays_the_recording_whole():
    screen = Screen("page-1", "page.png", "All of it.", "Understood?", audio="page.ogg",
                    parts=PARTS)
    deck = Deck("rec", "Recorded", 1, "en-GB", (screen,))
    driver, arrived = at_the_letter(deck)
    assert [s.text for s in speaks(arrived)] == ["All of it.", "Understood?"]
    assert driver.walk.view().region is None


def test_a_tap_mid_narration_on_a_screen_without_hotspots_changes_nothing():
    driver, arrived = at_the_letter()
    assert driver.press(Tap(100, 100)) == []
    assert driver.walk.view().region == PARTS[0].rect
