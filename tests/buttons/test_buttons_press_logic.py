"""The press rules, driven by a hand-moved clock (no threads, no sleeping)."""

import logging

import pytest

from kiosk.buttons.press_logic import ButtonInterpreter, Timings
from kiosk.walk.events import Green, HoldBoth, Red, Replay


class Hand:
    """Moves time by hand and feeds the interpreter, ticking every 10 ms like a main loop."""

    def __init__(self, timings=None):
        self.interp = ButtonInterpreter(timings)
        self.now = 100.0
        self.events = []

    def wait(self, seconds):
        end = self.now + seconds
        while self.now < end - 1e-9:
            self.now = min(end, self.now + 0.010)
            self.events += self.interp.tick(self.now)

    def edge(self, button, down):
        self.events += self.interp.edge(button, down, self.now)

    def press(self, button, hold=0.15):
        self.edge(button, True)
        self.wait(hold)
        self.edge(button, False)
        self.wait(0.05)

    def take(self):
        events, self.events = self.events, []
        return events


def test_a_press_is_one_answer_given_on_release():
    hand = Hand()
    hand.edge("green", True)
    hand.wait(0.5)
    assert hand.take() == []
    hand.edge("green", False)
    hand.wait(0.05)
    assert hand.take() == [Green()]


def test_red_is_red():
    hand = Hand()
    hand.press("red")
    assert hand.take() == [Red()]


def test_a_long_slow_press_is_still_an_answer():
    hand = Hand()
    hand.press("green", hold=20.0)
    assert hand.take() == [Green()]


def test_chatter_within_the_debounce_time_is_one_press():
    hand = Hand()
    for _ in range(4):  # 4 bounces, 4 ms apart, on the way down
        hand.edge("green", True)
        hand.now += 0.002
        hand.edge("green", False)
        hand.now += 0.002
    hand.edge("green", True)
    hand.wait(0.2)
    for _ in range(3):  # and on the way up
        hand.edge("green", False)
        hand.now += 0.003
        hand.edge("green", True)
        hand.now += 0.003
    hand.edge("green", False)
    hand.wait(0.1)
    assert hand.take() == [Green()]
    assert hand.interp.ignored_presses == 0


def test_a_noise_spike_shorter_than_the_debounce_time_is_not_a_press():
    hand = Hand()
    hand.edge("red", True)
    hand.now += 0.005
    hand.edge("red", False)
    hand.wait(1.0)
    assert hand.take() == []


def test_mashing_is_ignored_and_counted():
    hand = Hand()
    for _ in range(6):  # a press every 0.25 s for 1.5 s
        hand.press("green", hold=0.1)
        hand.wait(0.1)
    events = hand.take()
    assert events.count(Green()) == 2  # at 0 s and the first one 0.8 s or more later
    assert hand.interp.ignored_presses == 4


def test_the_minimum_time_applies_across_colours():
    hand = Hand()
    hand.press("green")
    hand.wait(0.2)
    hand.press("red")
    assert hand.take() == [Green()]
    assert hand.interp.ignored_presses == 1
    hand.wait(1.0)
    hand.press("red")
    assert hand.take() == [Red()]


def test_holding_both_for_three_seconds_is_one_hold_both_and_no_answer():
    hand = Hand()
    hand.edge("green", True)
    hand.wait(0.1)
    hand.edge("red", True)
    hand.wait(2.95)
    assert hand.take() == []
    hand.wait(0.1)
    assert hand.take() == [HoldBoth()]
    hand.wait(5.0)
    hand.edge("red", False)
    hand.wait(0.3)
    hand.edge("green", False)
    hand.wait(0.3)
    assert hand.take() == []
    hand.press("green")
    assert hand.take() == [Green()]


def test_both_pressed_but_let_go_early_is_nothing():
    hand = Hand()
    hand.edge("green", True)
    hand.edge("red", True)
    hand.wait(2.0)
    hand.edge("green", False)
    hand.wait(0.5)
    hand.edge("red", False)
    hand.wait(5.0)
    assert hand.take() == []


def test_hold_time_counts_from_when_both_are_down():
    hand = Hand()
    hand.edge("green", True)
    hand.wait(2.5)
    hand.edge("red", True)
    hand.wait(2.9)
    assert hand.take() == []
    hand.wait(0.2)
    assert hand.take() == [HoldBoth()]


def test_a_stuck_button_is_reported_ignored_and_recovers(caplog):
    hand = Hand()
    caplog.set_level(logging.WARNING, logger="kiosk.buttons")
    hand.edge("green", True)
    hand.wait(61.0)
    assert hand.interp.stuck == {"green"}
    assert "green button has been held down" in caplog.text
    hand.press("red")  # the other button still works, and is not a chord with the stuck one
    hand.wait(3.5)
    assert hand.take() == [Red()]
    hand.edge("green", False)
    hand.wait(0.1)
    assert hand.take() == []
    assert hand.interp.stuck == set()
    hand.wait(1.0)
    hand.press("green")
    assert hand.take() == [Green()]


def test_both_held_until_stuck_gives_one_hold_both_only():
    hand = Hand()
    hand.edge("green", True)
    hand.edge("red", True)
    hand.wait(70.0)
    hand.edge("green", False)
    hand.edge("red", False)
    hand.wait(0.1)
    assert hand.take() == [HoldBoth()]
    assert hand.interp.stuck == set()


def test_replay_is_given_on_press_and_rate_limited():
    hand = Hand()
    hand.edge("replay", True)
    hand.wait(0.05)
    assert hand.take() == [Replay()]
    hand.edge("replay", False)
    hand.wait(0.1)
    hand.press("replay")
    assert hand.take() == []
    assert hand.interp.ignored_presses == 1
    hand.wait(1.0)
    hand.press("replay")
    assert hand.take() == [Replay()]


def test_replay_does_not_spoil_an_answer_in_progress():
    hand = Hand()
    hand.edge("green", True)
    hand.wait(0.1)
    hand.press("replay")
    hand.edge("green", False)
    hand.wait(0.1)
    assert hand.take() == [Replay(), Green()]


def test_edges_confirmed_between_ticks_keep_their_own_time():
    interp = ButtonInterpreter(Timings(min_between_answers=0.8))
    assert interp.edge("green", True, 10.0) == []
    assert interp.edge("green", False, 10.2) == []  # press confirmed here, no tick needed
    assert interp.tick(10.25) == [Green()]
    assert interp.edge("green", True, 10.5) == []
    assert interp.edge("green", False, 10.6) == []
    assert interp.tick(12.0) == []  # released at 10.6: 0.4 s after the first answer
    assert interp.ignored_presses == 1


def test_an_edge_from_the_past_is_treated_as_now():
    interp = ButtonInterpreter()
    interp.tick(50.0)
    interp.edge("red", True, 49.0)  # stamped before the last tick: counted from 50.0
    assert interp.tick(50.02) == []
    assert not interp.is_down("red")  # from 49.0 it would have been confirmed already
    interp.tick(50.04)
    assert interp.is_down("red")
    interp.edge("red", False, 50.1)
    assert interp.tick(50.2) == [Red()]


def test_unknown_button_is_a_programming_error():
    with pytest.raises(ValueError):
        ButtonInterpreter().edge("blue", True, 0.0)
