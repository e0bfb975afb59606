"""The walk's vocabulary is typed: states are an enum checked at import, records are dataclasses
the log reads its rules from."""

import sys
import types
from pathlib import Path
from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_walk_tasks_languages import app_deck, profile_deck
from walk_driver import start

import kiosk.walk.views
import kiosk.walk.walk
from kiosk.sessions import log as log_module
from kiosk.sessions.log import ResponseLog
from kiosk.walk.events import Green, HoldBoth, Red, Replay, Tap
from kiosk.walk.records import (
    RECORD_KINDS,
    AnswerRecord,
    Outcome,
    ProfileAnswer,
    Response,
    TaskEndRecord,
)
from kiosk.walk.states import State


def load_without(monkeypatch, module, line: str) -> None:
    """Import ``module``'s source afresh, as a module of its own, with one line taken out."""
    source = Path(module.__file__).read_text(encoding="utf-8")
    assert line in source
    copy = types.ModuleType(module.__name__ + "_without_a_line")
    monkeypatch.setitem(sys.modules, copy.__name__, copy)
    exec(compile(source.replace(line, ""), module.__file__, "exec"), copy.__dict__)


def test_a_state_without_a_press_handler_stops_the_walk_at_import(monkeypatch):
    with pytest.raises(TypeError, match=r"no press handler for the state\(s\) pin"):
        load_without(monkeypatch, kiosk.walk.walk, "    State.PIN: Walk._on_pin,\n")


def test_a_state_without_a_view_stops_the_walk_at_import(monkeypatch):
    with pytest.raises(TypeError, match=r"no view for the state\(s\) thanks"):
        load_without(monkeypatch, kiosk.walk.views, "    State.THANKS: thanks,\n")


def test_the_tables_as_they_are_load(monkeypatch):
    load_without(monkeypatch, kiosk.walk.walk, "")
    load_without(monkeypatch, kiosk.walk.views, "")


def test_a_state_is_an_enum_that_still_reads_as_its_old_word(deck):
    d = start(deck)
    assert d.walk.state is State.WELCOME and d.walk.state == "welcome"
    d.press(Green())
    assert d.walk.state is State.HOW and str(d.walk.state) == "how" and d.walk.state != "welcome"


def every_kind_of_record() -> list:
    """A task deck walked every way (direct, a miss, stuck, walked away) and a screen deck with
    profile questions, replays, a fallback and abandoned screens."""
    records = []
    d = start(app_deck())
    d.press(Green())
    d.press(Green())
    d.press(Green())  # the first task starts on home
    d.press(Tap(50, 50))  # -> week
    d.press(Tap(150, 50))  # beside the hotspot: a miss
    d.press(Tap(50, 50))  # -> reminder: done, direct
    d.wait(3)
    d.press(Green())  # easy to do
    d.wait(1)
    d.press(Green())  # the second task
    d.press(Red())  # stuck
    d.wait(1)
    d.press(Red())
    d.wait(1)
    records += d.records()
    d = start(app_deck())
    d.press(Green())
    d.press(Green())
    d.press(Green())
    d.wait(200 + 60)  # walked away inside a task
    records += d.records()
    d = start(profile_deck())
    d.press(Green())
    d.press(Red())  # Punjabi
    d.press(Green())
    d.press(Green())  # how it works
    d.press(Green())  # answer the profile questions
    d.press(Green())
    d.press(Red())
    d.press(Replay())
    d.press(Green())  # p1, translated
    d.wait(1)
    d.press(HoldBoth())  # p2 (no translation) is abandoned
    records += d.records()
    return records


def test_every_record_the_walk_makes_is_accepted_by_the_log():
    records = every_kind_of_record()
    assert {record.kind for record in records} == set(RECORD_KINDS)
    assert any(record.fields.get("fallback") for record in records)
    with ResponseLog.in_memory("kiosk-07") as log:
        session = log.start_session("app", 1, "Library")
        for record in records:
            log.record(session, record.kind, **record.fields)
        kept = log.events(session)
    assert [event["kind"] for event in kept] == [record.kind for record in records]
    for event, record in zip(kept, records, strict=True):
        assert {k: v for k, v in event.items() if k in record.fields} == record.fields


def test_a_field_left_at_its_default_is_left_out_of_the_record():
    abandoned = AnswerRecord(participant=3, language="en-GB", screen_id="p2", variant="",
                             response="abandoned")
    assert abandoned.kind == "answer"
    assert abandoned.fields == {"participant": 3, "language": "en-GB", "screen_id": "p2",
                                "variant": "", "response": "abandoned"}


def test_the_log_takes_its_rules_from_the_record_dataclasses():
    assert log_module.KINDS == tuple(RECORD_KINDS)
    assert log_module.RULES["answer"]["response"].choices == get_args(Response)
    assert log_module.RULES["task_end"]["outcome"].choices == get_args(Outcome)
    assert log_module.RULES["profile"]["answer"].choices == get_args(ProfileAnswer)
    needed = {name for name, rule in log_module.RULES["task_end"].items() if rule.needed}
    assert needed == {"participant", "task", "outcome"}
    assert not log_module.RULES["task_end"]["screen_id"].needed
    assert {"participant", "screen_id", "response"} <= {
        name for name, rule in log_module.RULES["answer"].items() if rule.needed}
    assert TaskEndRecord.kind in log_module.RULES


@pytest.mark.parametrize("kind, fields, message", [
    ("task_step", {"participant": 1, "task": "t", "screen_id": "home", "step": "two"},
     "field 'step' has the wrong type: str (it should be a whole number)"),
    ("replay", {"participant": True, "screen_id": "a", "replay_number": 1},
     "field 'participant' has the wrong type: bool (it should be a whole number)"),
    ("tap", {"participant": 1, "screen_id": "a", "x": "left", "y": 3},
     "field 'x' has the wrong type: str (it should be a number or nothing)"),
    ("answer", {"participant": 1, "screen_id": "a", "fallback": "yes",
                "response": "understood"},
     "field 'fallback' has the wrong type: str (it should be yes/no)"),
    ("answer", {"participant": 1, "screen_id": "a", "response": "sort_of"},
     "an answer response must be one of understood, not_understood, abandoned, skipped"),
    ("task_end", {"participant": 1, "task": "t", "outcome": "lost"},
     "a task_end outcome must be one of direct, indirect, gave_up, abandoned"),
    ("profile", {"participant": 1, "answer": "yes"}, "a profile needs 'question'"),
    ("miss", {"participant": 1, "screen_id": "a", "task": "Find Mrs Patel's letter"},
     "field 'task' looks like free text; the log keeps no free text"),
    ("miss", {"screen_id": "a", "x": 1, "y": 2}, "a miss needs 'participant'"),
])
def test_a_bad_record_is_refused_with_a_plain_message_and_the_log_is_unchanged(kind, fields,
                                                                               message):
    with ResponseLog.in_memory("kiosk-07") as log:
        session = log.start_session("app", 1, "Library")
        log.record(session, "answer", participant=1, screen_id="a", response="understood")
        before = log.events(session)
        with pytest.raises(ValueError) as refused:
            log.record(session, kind, **fields)
        assert str(refused.value) == message
        assert log.events(session) == before


PRESSES = st.one_of(
    st.sampled_from([Green(), Red(), Replay(), HoldBoth()]),
    st.builds(Tap, st.sampled_from([None, 50.0, 150.0, 250.0]), st.sampled_from([None, 50.0])),
)


@settings(max_examples=60, deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from([0.1, 1.0, 5.0, 40.0, 200.0]), PRESSES),
                      max_size=80),
       deck_kind=st.sampled_from(["tasks", "profile"]), pin=st.sampled_from(["", "GRG"]))
def test_any_presses_at_any_pace_keep_a_view_and_only_loggable_records(steps, deck_kind, pin):
    """Every state is reachable only with what its handler and view need (no RuntimeError
    from a missing participant or session), and the log accepts every record made."""
    deck = app_deck() if deck_kind == "tasks" else profile_deck()
    d = start(deck, menu_pin=pin)
    for seconds, press in steps:
        d.press(press, after=seconds)
        d.walk.view()
    with ResponseLog.in_memory("kiosk-07") as log:
        session = log.start_session(deck.id, 1, "Library")
        for record in d.records():
            log.record(session, record.kind, **record.fields)
