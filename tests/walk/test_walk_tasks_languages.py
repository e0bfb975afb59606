"""Languages, profile questions, tasks and the facilitator code, driven with a hand clock."""

from dataclasses import replace

import pytest
from walk_driver import start

from kiosk.decks.model import Deck, Hotspot, ProfileQuestion, Screen, Task, Translation
from kiosk.walk.events import Green, HoldBoth, Red, Replay, Speak, Tap
from kiosk.walk.walk import Timing


def app_deck(**more) -> Deck:
    """home -> week -> reminder, and home -> help; each button 100x100 at a known place."""
    def spot(x, goto):
        return Hotspot((x, 0, 100, 100), goto, goto.title())

    screens = (
        Screen("home", "home.png", "Home screen.", "Clear?",
               hotspots=(spot(0, "week"), spot(200, "help"))),
        Screen("week", "week.png", "Your week.", "Clear?", hotspots=(spot(0, "reminder"),)),
        Screen("reminder", "reminder.png", "A reminder.", "Clear?", hotspots=(spot(0, "home"),)),
        Screen("help", "help.png", "Help.", "Clear?", hotspots=(spot(0, "home"),)),
    )
    tasks = (
        Task("find-reminder", "Find your reminder.", "home", ("reminder",),
             path=("home", "week", "reminder")),
        Task("find-help", "Find help.", "home", ("help",)),
    )
    return Deck("app", "App", 1, "en-GB", screens, tasks=tasks, **more)


def begin(d):
    d.press(Green())  # welcome
    d.press(Green())  # how it works


def test_a_task_done_on_the_expected_path_is_direct():
    d = start(app_deck())
    begin(d)
    assert d.walk.view().kind == "task_intro"
    assert "Find your reminder." in d.walk.view().lines
    d.press(Green())  # start the task on its start screen
    assert d.walk.view().screen.id == "home"
    d.press(Tap(50, 50))  # -> week
    d.press(Tap(50, 50), after=2.0)  # -> reminder: done
    end = d.records("task_end")[0].fields
    assert end["task"] == "find-reminder" and end["outcome"] == "direct"
    assert end["steps"] == 3 and end["seconds"] == 3.0
    steps = [r.fields["screen_id"] for r in d.records("task_step")]
    assert steps == ["home", "week", "reminder"]
    assert d.walk.view().ack == "yes"  # "Well done!"
    d.wait(2.5)
    assert d.walk.view().question == "Was that easy to do?"
    d.press(Green())
    answer = d.records("answer")[0].fields
    assert answer["task"] == "find-reminder" and answer["response"] == "understood"
    assert answer["screen_id"] == "reminder"
    d.wait(1)
    assert d.walk.view().kind == "task_intro" and "Find help." in d.walk.view().lines


def test_a_roundabout_route_is_indirect_and_misses_count():
    d = start(app_deck())
    begin(d)
    d.press(Green())
    d.press(Tap(150, 50))  # between the buttons: a miss
    d.press(Tap(250, 50))  # -> help (wrong way)
    d.press(Tap(50, 50))  # -> home
    d.press(Tap(50, 50))  # -> week
    d.press(Tap(50, 50))  # -> reminder
    assert d.records("task_end")[0].fields["outcome"] == "indirect"
    miss = d.records("miss")[0].fields
    assert miss["task"] == "find-reminder" and (miss["x"], miss["y"]) == (150, 50)
    assert all(t.fields["task"] == "find-reminder" for t in d.records("tap"))


def test_red_is_i_am_stuck_then_the_ease_question():
    d = start(app_deck())
    begin(d)
    d.press(Green())
    d.press(Red())
    assert d.records("task_end")[0].fields["outcome"] == "gave_up"
    assert d.walk.view().question == "Was that easy to do?"
    d.press(Red())
    assert d.records("answer")[0].fields["response"] == "not_understood"


def test_walking_away_mid_task_is_abandoned_and_nothing_more():
    d = start(app_deck())
    begin(d)
    d.press(Green())
    d.press(Tap(50, 50))
    timing = Timing()
    d.wait(timing.still_there_after + timing.abandon_after + 1)
    assert d.walk.state == "welcome"
    assert [r.fields["outcome"] for r in d.records("task_end")] == ["abandoned"]
    assert d.records("answer") == []


def translated_deck() -> Deck:
    screens = (
        Screen("p1", "p1.png", "Your appointment is on Monday.", "Did you understand?",
               translations={"pa": Translation(say="ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ ਸੋਮਵਾਰ ਨੂੰ ਹੈ।",
                                               ask="ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ?", image="p1-pa.png")}),
        Screen("p2", "p2.png", "Bring your medicines.", "Did you understand?"),
    )
    return Deck("letter", "Letter", 1, "en-GB", screens)


def test_the_language_is_chosen_by_ear_and_the_deck_follows_it():
    d = start(translated_deck())
    d.press(Green())
    view = d.walk.view()
    assert view.kind == "language" and view.title == "English"
    assert d.spoken()[-1].language == "en-GB"
    d.press(Red())  # next language
    view = d.walk.view()
    assert view.title == "ਪੰਜਾਬੀ" and view.language == "pa"
    assert Speak("ਪੰਜਾਬੀ", "pa") in d.effects  # the name alone: the clip made at install
    assert d.spoken()[-1].language == "pa"
    d.press(Green())
    assert d.walk.view().title == "ਇਹ ਕਿਵੇਂ ਕੰਮ ਕਰਦਾ ਹੈ"  # how it works, in Punjabi
    d.press(Green())
    view = d.walk.view()
    assert view.screen.image == "p1-pa.png" and view.question == "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ?"
    assert Speak("ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ ਸੋਮਵਾਰ ਨੂੰ ਹੈ।", "pa") in d.effects
    d.press(Green())
    d.wait(1)
    assert d.walk.view().screen.say == "Bring your medicines."  # no translation: falls back
    assert Speak("Bring your medicines.", "en-GB") in d.effects  # ...read by the English voice
    d.press(Green())
    first, second = (r.fields for r in d.records("answer"))
    assert first["language"] == "pa" and "fallback" not in first
    assert second["language"] == "pa" and second["fallback"] is True


def test_only_languages_this_kiosk_can_speak_are_offered():
    d = start(translated_deck(), languages_for=lambda deck: ("en-GB",))
    d.press(Green())
    assert d.walk.view().kind == "how"


def profile_deck() -> Deck:
    base = translated_deck()
    questions = (ProfileQuestion("first-language-english", "Is English your first language?"),
                 ProfileQuestion("age-65-plus", "Are you 65 or older?"))
    return replace(base, profile=questions)


def test_profile_questions_yes_no_and_a_pause_means_rather_not_say():
    d = start(profile_deck(), languages_for=lambda deck: ("en-GB",))
    begin(d)
    view = d.walk.view()
    assert view.kind == "profile_intro" and "These questions are optional." in view.lines
    d.press(Green())
    assert d.walk.view().title == "Is English your first language?"
    d.press(Red())
    d.wait(31)  # no answer: rather not say, and on
    answers = [(r.fields["question"], r.fields["answer"]) for r in d.records("profile")]
    assert answers == [("first-language-english", "no"), ("age-65-plus", "rather_not_say")]
    assert d.walk.view().kind == "screen"
    assert all("screen_id" not in r.fields for r in d.records("profile"))


def test_red_at_the_profile_intro_skips_every_question():
    d = start(profile_deck(), languages_for=lambda deck: ("en-GB",))
    begin(d)
    d.press(Red())
    assert [r.fields["answer"] for r in d.records("profile")] == ["rather_not_say"] * 2
    assert d.walk.view().kind == "screen"


def test_replay_in_a_task_repeats_the_screen_and_green_the_instruction():
    d = start(app_deck())
    begin(d)
    d.press(Green())
    assert Speak("Home screen.", "en-GB") in d.press(Replay())
    assert any(isinstance(e, Speak) and e.text == "Find your reminder." for e in d.press(Green()))


@pytest.mark.parametrize("code, opens", [("GRRG", True), ("GGGG", False)])
def test_the_facilitator_code(code, opens):
    deck = translated_deck()
    d = start(deck, menu_pin="GRRG")
    d.press(HoldBoth())
    assert d.walk.view().title == "Facilitator code"
    for letter in code:
        d.press(Green() if letter == "G" else Red(), after=0.5)
    assert (d.walk.view().kind == "menu") is opens
    if not opens:
        assert d.walk.view().kind == "welcome"
