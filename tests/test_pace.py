"""When the main loop wakes (kiosk/pace.py): arithmetic on a clock passed in, no sleeping."""

from kiosk.pace import Pace


def test_at_rest_it_steps_ten_times_a_second_and_looks_at_the_keys_between():
    pace = Pace()
    assert pace.step_due(0.0)  # the very first look is a step
    pace.stepped(0.0, timing_matters=False, button_edges=False)
    assert not pace.step_due(0.05)
    assert pace.step_due(0.1)
    assert pace.sleep(0.0, breathing=False) == pace.poll  # the keyboard is read meanwhile
    assert pace.sleep(0.095, breathing=False) == 0.1 - 0.095  # never past the next step


def test_while_timing_shows_it_steps_every_frame():
    pace = Pace(frame=1 / 30)
    pace.stepped(5.0, timing_matters=True, button_edges=False)
    assert not pace.step_due(5.03)
    assert pace.step_due(5.0 + 1 / 30)


def test_a_button_edge_is_decided_the_moment_its_debounce_ends():
    pace = Pace(settle=0.03)
    pace.stepped(2.0, timing_matters=True, button_edges=True)
    assert not pace.step_due(2.03)
    assert pace.step_due(2.031)
    assert pace.sleep(2.02, breathing=False) <= 0.011


def test_a_breathing_glow_wakes_the_loop_only_when_there_is_one():
    pace = Pace(breath=1 / 15, poll=0.5, tick=10.0)
    pace.stepped(0.0, timing_matters=False, button_edges=False)
    pace.breathed(0.0)
    assert pace.sleep(0.0, breathing=True) == 1 / 15
    assert pace.sleep(0.0, breathing=False) == 0.5
    assert pace.breath_due(1 / 15) and not pace.breath_due(0.05)
