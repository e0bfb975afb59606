"""The walk, driven event by event with a clock moved by hand."""

from walk_driver import Driver, start

from kiosk.walk.events import (
    BeginSession,
    Cue,
    EndSession,
    Exit,
    Green,
    HoldBoth,
    JobFinished,
    Quit,
    Red,
    Replay,
    SetVolume,
    Speak,
    StartJob,
    StickInserted,
    StopSpeech,
    Tap,
)
from kiosk.walk.records import ReplayRecord
from kiosk.walk.walk import Timing, Walk


def test_opening_with_a_deck_begins_a_session_and_invites(deck):
    d = start(deck)
    assert d.effects[0] == BeginSession("letter", 1, "Library")
    assert any(isinstance(e, Speak) and "green button to start" in e.text for e in d.effects)
    assert d.walk.view().kind == "welcome"
    assert d.walk.view().lamps == ("pulse", "off")


def test_without_a_deck_the_kiosk_waits_for_a_facilitator(deck):
    d = Driver(Walk([deck], ["Library"], now=0.0))
    assert d.walk.view().title == "Not ready yet"
    assert d.press(Green()) == []
    assert d.records() == []


def test_a_whole_walk_records_one_answer_per_screen(deck):
    d = start(deck)
    d.press(Green())  # welcome -> how it works
    assert d.walk.state == "how"
    d.press(Green())  # how -> first screen
    view = d.walk.view()
    assert view.kind == "screen" and view.screen.id == "s1" and view.progress == (1, 3)
    speech = [e for e in d.effects if isinstance(e, Speak)]
    assert speech[-2].text == "Screen 1 text." and speech[-1].text == "Did you understand screen 1?"

    d.press(Green(), after=4.5)
    assert d.walk.view().ack == "yes"
    d.wait(1)
    d.press(Red(), after=2)
    d.wait(1)
    d.press(Green(), after=3)
    d.wait(1)
    answers = d.records("answer")
    assert [a.fields["response"] for a in answers] == ["understood", "not_understood", "understood"]
    assert [a.fields["screen_id"] for a in answers] == ["s1", "s2", "s3"]
    assert answers[0].fields["seconds_to_answer"] == 4.5
    assert {a.fields["participant"] for a in answers} == {1}
    assert d.walk.state == "thanks"


def test_every_press_is_acknowledged_with_a_sound(deck):
    d = start(deck)
    d.press(Green())
    d.press(Green())
    assert Cue("yes") in d.press(Green())
    d.wait(1)
    assert Cue("no") in d.press(Red())


def test_presses_during_the_tick_are_ignored(deck):
    d = start(deck)
    d.press(Green())
    d.press(Green())
    d.press(Green())
    for _ in range(5):  # a child hammering the button
        assert d.press(Red(), after=0.05) == []
    d.wait(1)
    assert len(d.records("answer")) == 1
    assert d.walk.view().screen.id == "s2"


def test_replay_is_counted_and_says_the_screen_again(deck):
    d = start(deck)
    d.press(Green())
    d.press(Green())
    out = d.press(Replay())
    assert out[0] == ReplayRecord(**out[0].fields)
    assert StopSpeech() in out and Speak("Screen 1 text.", "en-GB") in out
    d.press(Replay())
    d.press(Green())
    assert d.records("answer")[0].fields["replays"] == 2
    d.wait(1)
    d.press(Green())
    assert d.records("answer")[1].fields["replays"] == 0


def test_a_hotspot_tap_follows_the_link_and_misses_are_counted(make_deck):
    deck = make_deck(screens=4, hotspots=True)
    d = start(deck)
    d.press(Green())
    d.press(Green())
    d.press(Tap(10, 10))
    d.press(Tap(None, None))
    assert [r.kind for r in d.records()] == ["miss", "miss"]
    d.press(Tap(150, 120))
    tap = d.records("tap")[0]
    assert tap.fields["goto"] == "s4" and tap.fields["hotspot"] == "Skip to end"
    assert d.walk.view().screen.id == "s4"


def test_taps_on_a_screen_without_hotspots_record_nothing(deck):
    d = start(deck)
    d.press(Green())
    d.press(Green())
    assert d.press(Tap(5, 5)) == []


def test_thank_you_then_welcome_for_the_next_person_with_a_new_number(deck):
    d = start(deck)
    for _ in range(2):
        d.press(Green())
        d.press(Green())
        for _ in range(3):
            d.press(Green())
            d.wait(1)
        assert d.walk.state == "thanks"
        d.wait(13)
        assert d.walk.state == "welcome"
    numbers = [a.fields["participant"] for a in d.records("answer")]
    assert numbers == [1, 1, 1, 2, 2, 2]


def test_nobody_is_rushed_but_a_walk_away_is_noticed(deck):
    timing = Timing()
    d = start(deck, timing=timing)
    d.press(Green())
    d.press(Green())
    d.press(Green())
    d.wait(1)  # answered s1, now on s2
    d.wait(timing.still_there_after - 1)
    assert d.walk.state == "screen"  # no timer ever answers
    d.wait(2)
    assert d.walk.view().kind == "still_there"
    d.press(Red())  # "I'm here": back to the screen, not an answer
    assert d.walk.state == "screen" and len(d.records("answer")) == 1

    d.wait(timing.still_there_after + timing.abandon_after + 1)
    assert d.walk.state == "welcome"
    answers = d.records("answer")
    assert [(a.fields["screen_id"], a.fields["response"]) for a in answers] == [
        ("s1", "understood"), ("s2", "abandoned"), ("s3", "abandoned")]


def test_the_welcome_invitation_repeats_gently(deck):
    d = start(deck)
    spoken = [e for e in d.wait(100) if isinstance(e, Speak)]
    assert len(spoken) == 2  # every 45 s, never a barrage


def test_holding_both_opens_the_menu_and_keeps_answers(deck):
    d = start(deck)
    d.press(Green())
    d.press(Green())
    d.press(Green())
    d.wait(1)
    d.press(HoldBoth())
    assert d.walk.view().kind == "menu"
    answers = d.records("answer")
    assert [a.fields["response"] for a in answers] == ["understood", "abandoned", "abandoned"]


def test_menu_red_moves_green_chooses_and_closing_returns_to_welcome(deck):
    d = start(deck)
    d.press(HoldBoth())
    view = d.walk.view()
    assert view.menu_index == 0 and view.menu_items[0].startswith("Deck:")
    items = view.menu_items
    for _ in range(items.index("Close this menu")):
        d.press(Red())
    d.press(Green())
    assert d.walk.view().kind == "welcome"


def choose(d, label_start):
    items = d.walk.view().menu_items
    index = next(i for i, item in enumerate(items) if item.startswith(label_start))
    while d.walk.view().menu_index != index:
        d.press(Red())
    return d.press(Green())


def test_starting_a_new_session_from_the_menu(deck, make_deck):
    other = make_deck("app")
    d = Driver(Walk([deck, other], ["Library", "Church hall"], now=0.0, deck=deck,
                    venue="Library"))
    d.press(HoldBoth())
    choose(d, "Deck:")
    choose(d, "Venue:")
    out = choose(d, "Start a new session")
    assert EndSession("ended") in out
    assert BeginSession("app", 1, "Church hall") in out
    assert d.walk.view().kind == "welcome"


def test_ending_a_session_needs_a_second_press_and_red_backs_out(deck):
    d = start(deck)
    d.press(HoldBoth())
    choose(d, "End this session")
    assert d.walk.view().kind == "confirm"
    d.press(Red())
    assert d.walk.view().kind == "menu"
    assert not any(isinstance(e, EndSession) for e in d.effects)
    choose(d, "End this session")
    out = d.press(Green())
    assert EndSession("ended") in out
    assert d.walk.view().title == "Not ready yet"


def test_deleting_copied_sessions_is_confirmed_twice(deck):
    d = start(deck)
    d.press(HoldBoth())
    choose(d, "Delete copied")
    assert d.walk.view().kind == "confirm"
    assert d.press(Green()) == [Cue("yes"), StopSpeech(), Speak(d.effects[-1].text, "en-GB")]
    assert "cannot be undone" in " ".join(d.walk.view().lines)
    out = d.press(Green())
    assert StartJob("clear_exported") in out


def test_a_slow_job_reports_back_in_the_menu(deck):
    d = start(deck)
    d.press(HoldBoth())
    assert StartJob("install_usb") in choose(d, "Install decks")
    assert d.walk.view().title == "One moment"
    out = d.press(JobFinished("install_usb", False, "The deck 'x' has no screens."))
    assert any(isinstance(e, Speak) and "no screens" in e.text for e in out)
    assert d.walk.view().title == "That did not work"


def test_a_stick_with_decks_is_offered_when_the_menu_opens(deck, tmp_path):
    d = start(deck)
    d.press(StickInserted(tmp_path, has_decks=True, wants_export=False))
    assert d.walk.state == "welcome"  # participants are not bothered
    d.press(HoldBoth())
    view = d.walk.view()
    assert view.menu_items[view.menu_index] == "Install decks from USB (stick found)"


def test_volume_cycles(deck):
    d = start(deck)
    d.press(HoldBoth())
    out = choose(d, "Volume")
    assert SetVolume(1.0) in out


def test_quit_ends_the_session_cleanly(deck):
    d = start(deck)
    d.press(Green())
    out = d.press(Quit())
    assert out[-2:] == [EndSession("ended"), Exit()]


def test_shutdown_from_the_menu_asks_first(deck):
    d = start(deck)
    d.press(HoldBoth())
    choose(d, "Shut down")
    out = d.press(Green())
    assert out[-1] == Exit(shutdown=True)


def test_a_rehearsal_records_nothing(deck):
    d = start(deck, recording=False)
    d.press(Green())
    d.press(Green())
    d.press(Replay())
    d.press(Green())
    assert d.records() == [] and not any(isinstance(e, BeginSession) for e in d.effects)
    assert "Rehearsal" in d.walk.view().banner


def test_the_screen_that_comes_next_is_named_so_its_picture_is_loaded_ahead(deck):
    """How it works comes before the first screen: that screen is the one to load ahead (it
    was missed, so each walk's first picture was decoded at the press)."""
    d = start(deck)
    assert [s.id for s in d.walk.view().upcoming] == ["s1", "s2"]  # welcome: from the deck
    d.press(Green())  # welcome -> how it works
    assert d.walk.view().kind == "how"
    assert [s.id for s in d.walk.view().upcoming] == ["s1", "s2"]
    d.press(Green())  # how -> first screen
    assert [s.id for s in d.walk.view().upcoming] == ["s2", "s3"]
