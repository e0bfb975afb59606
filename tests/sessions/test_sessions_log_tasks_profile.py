"""The log's record kinds for issue 6: task steps and ends, and profile answers, no free text."""

from __future__ import annotations

import pytest

from kiosk.sessions.log import ResponseLog


@pytest.fixture
def log():
    with ResponseLog.in_memory("kiosk-07") as opened:
        yield opened


def test_a_task_and_profile_answers_are_kept(log):
    sid = log.start_session("diabetes-app", 2, "Library")
    log.record(sid, "profile", participant=1, language="pa", question="age-65-plus",
               answer="yes")
    log.record(sid, "profile", participant=1, language="pa", question="english-first-language",
               answer="rather_not_say")
    log.record(sid, "task_step", participant=1, language="pa", task="add-reading",
               screen_id="home", step=1, seconds_on_screen=None)
    log.record(sid, "tap", participant=1, language="pa", task="add-reading", screen_id="home",
               x=300.0, y=420.5, hotspot="Add a reading", goto="log-reading")
    log.record(sid, "task_step", participant=1, language="pa", task="add-reading",
               screen_id="log-reading", step=2, seconds_on_screen=4.2)
    log.record(sid, "task_end", participant=1, language="pa", task="add-reading",
               outcome="direct", seconds=9.75, steps=3)
    log.record(sid, "answer", participant=1, language="pa", task="add-reading",
               screen_id="saved", variant=None, response="understood", seconds_to_answer=2.0,
               seconds_on_screen=3.1, replays=0)
    kinds = [e["kind"] for e in log.events(sid)]
    assert kinds == ["profile", "profile", "task_step", "tap", "task_step", "task_end", "answer"]
    end = log.events(sid)[5]
    assert (end["task"], end["outcome"], end["seconds"], end["steps"]) == (
        "add-reading", "direct", 9.75, 3)


@pytest.mark.parametrize("kind, fields, words", [
    ("task_end", {"participant": 1, "task": "t", "outcome": "sort of"}, "outcome"),
    ("task_end", {"participant": 1, "task": "t"}, "outcome"),
    ("task_end", {"participant": 1, "outcome": "gave_up"}, "needs 'task'"),
    ("task_step", {"participant": 1, "task": "t", "screen_id": "home"}, "needs 'step'"),
    ("task_step", {"participant": 1, "task": "t", "screen_id": "home", "step": "one"},
     "wrong type"),
    ("profile", {"participant": 1, "question": "age", "answer": "I am 71"}, "free text"),
    ("profile", {"participant": 1, "question": "age", "answer": "maybe"}, "profile answer"),
    ("profile", {"participant": 1, "question": "How old are you?", "answer": "yes"},
     "free text"),
    ("profile", {"participant": 1, "answer": "no"}, "needs 'question'"),
    ("tap", {"participant": 1, "task": "my name is Joan", "screen_id": "home"}, "free text"),
    ("task_end", {"participant": 1, "task": "t", "outcome": "direct", "steps": True},
     "wrong type"),
])
def test_task_and_profile_records_refuse_free_text_and_nonsense(log, kind, fields, words):
    sid = log.start_session("app", 1, "Venue")
    with pytest.raises(ValueError, match=words):
        log.record(sid, kind, **fields)
    assert log.events(sid) == []
