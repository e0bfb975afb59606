"""A slow job (install, copy logs, delete copied) that ends while the menu is closed.

The facilitator starts it, closes the menu, and a participant begins. Its end must never open
the menu (that would skip the facilitator's code), nor cut the participant's walk short.
"""

import pytest
from walk_driver import Driver

from kiosk.walk.events import (
    Green,
    HoldBoth,
    JobFinished,
    Red,
    Speak,
    StartJob,
)
from kiosk.walk.walk import Walk

PIN = "GRG"


def choose(d, label_start):
    items = d.walk.view().menu_items
    index = next(i for i, item in enumerate(items) if item.startswith(label_start))
    while d.walk.view().menu_index != index:
        d.press(Red())
    out = d.press(Green())
    while not any(isinstance(e, StartJob) for e in out) and d.walk.view().kind == "confirm":
        out = d.press(Green())
    return out


def open_menu_with_code(d):
    d.press(HoldBoth())
    for letter in PIN:
        d.press(Green() if letter == "G" else Red())
    assert d.walk.view().kind == "menu"


@pytest.fixture
def guarded(deck):
    return Driver(Walk([deck], ["Library"], now=0.0, deck=deck, venue="Library",
                       menu_pin=PIN))


@pytest.mark.parametrize("job, label", [
    ("install_usb", "Install decks"),
    ("export_usb", "Copy logs"),
    ("clear_exported", "Delete copied"),
])
@pytest.mark.parametrize("ok", [True, False])
def test_a_job_ending_mid_walk_leaves_the_participant_alone(guarded, make_deck, job, label,
                                                            ok):
    d = guarded
    open_menu_with_code(d)
    assert StartJob(job) in choose(d, label)
    choose(d, "Close this menu")
    assert d.walk.state == "welcome"
    d.press(Green())  # a participant starts
    d.press(Green())
    assert d.walk.state == "screen"
    number = d.walk.participant_number
    before = len(d.effects)

    new_decks = (make_deck("letter"), make_deck("app")) if job == "install_usb" else None
    out = d.press(JobFinished(job, ok, "Three decks installed.", new_decks))

    assert out == []  # nothing said, nothing cut short
    assert d.walk.state == "screen" and d.walk.participant_number == number
    assert not [r for r in d.records() if r.fields.get("response") == "abandoned"]
    assert d.walk.view().banner == ""  # the participant's screen stays plain
    d.press(Green())  # the participant goes on answering
    assert d.records("answer")[-1].fields["response"] == "understood"
    assert len(d.effects) > before
    if new_decks:
        assert [deck.id for deck in d.walk.decks] == ["letter", "app"]


def test_the_result_waits_for_the_code_and_is_shown_in_the_menu(guarded):
    d = guarded
    open_menu_with_code(d)
    choose(d, "Install decks")
    choose(d, "Close this menu")
    d.press(JobFinished("install_usb", False, "The deck 'x' has no screens."))
    assert d.walk.state == "welcome"
    assert "job has finished" in d.walk.view().banner  # a notice for the facilitator

    d.press(HoldBoth())  # the menu still asks for its code
    assert d.walk.state == "pin"
    d.press(Red())
    d.press(Red())
    d.press(Red())  # a wrong code
    assert d.walk.state == "welcome"
    open_menu_with_code(d)
    view = d.walk.view()
    assert view.title == "That did not work" and "no screens" in " ".join(view.lines)
    assert any(isinstance(e, Speak) and "no screens" in e.text for e in d.effects[-3:])
    d.press(Red())  # moving in the menu clears the message; the notice is gone
    choose(d, "Close this menu")
    assert d.walk.view().banner == ""


def test_two_greens_after_a_job_cannot_quit_the_kiosk(guarded):
    """The attack in issue 16: the job's end used to open the menu on 'Quit' unguarded."""
    d = guarded
    open_menu_with_code(d)
    choose(d, "Copy logs")
    choose(d, "Close this menu")
    d.press(JobFinished("export_usb", True, "The logs are copied."))
    d.press(Green())
    d.press(Green())
    assert d.walk.state != "menu"
    assert not d.walk.view().kind == "menu"
    from kiosk.walk.events import Exit

    assert not any(isinstance(e, Exit) for e in d.effects)
