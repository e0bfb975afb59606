"""Misuse through the whole walk, and what an export may contain (privacy).

Mashing, holding and a stuck button go through the app's real keyboard path into the real
ButtonInterpreter (the same press logic as the GPIO buttons) and the real walk and log.
Then the export is inspected: only the documented columns and fields, no free text.
"""

from __future__ import annotations

import csv
import io
import json

import pygame
import pytest
from test_reliability_kiosk_faults import answers_in, open_kiosk, press, walk_one_participant

from kiosk.sessions.export import CSV_COLUMNS, export_bundle
from kiosk.sessions.log import IDENTIFIER, KNOWN_FIELDS, ResponseLog


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    from reliability_helpers import installed_home

    return installed_home(tmp_path_factory.mktemp("template"))


@pytest.fixture
def home(template, tmp_path):
    import shutil

    from kiosk.home import Home

    shutil.copytree(template.root, tmp_path / "home")
    return Home(tmp_path / "home")


@pytest.fixture(autouse=True)
def _quit_pygame(monkeypatch):
    monkeypatch.setattr("kiosk.cli.run._render_kiosk_phrases_soon", lambda cache: None)
    yield
    pygame.quit()


def key(kind, code):
    return pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)


def frames(app, surface, clock, seconds: float, step: float = 0.05) -> None:
    for _ in range(int(seconds / step)):
        clock.now += step
        app.step([])
        app.draw(surface)


def test_mashing_holding_and_a_stuck_button_never_give_false_answers(home):
    app, surface, clock = open_kiosk(home)
    press(app, surface, clock)  # start
    press(app, surface, clock)  # begin: now on screen p1
    assert app.walk.view().screen.id == "p1"
    for _ in range(7):  # a child drums on green: 7 firm presses in 0.7 s
        app.step([key(pygame.KEYDOWN, pygame.K_g)])
        frames(app, surface, clock, 0.06, step=0.02)
        app.step([key(pygame.KEYUP, pygame.K_g)])
        frames(app, surface, clock, 0.04, step=0.02)
    frames(app, surface, clock, 1.5)
    assert [a["screen_id"] for a in answers_in(home)] == ["p1"]  # one answer, not seven
    assert app.button_edges.ignored_presses > 0

    app.step([key(pygame.KEYDOWN, pygame.K_r)])  # a slow, deliberate 8 s press counts once
    frames(app, surface, clock, 8.0)
    app.step([key(pygame.KEYUP, pygame.K_r)])
    frames(app, surface, clock, 1.5)
    assert [a["response"] for a in answers_in(home)] == ["understood", "not_understood"]

    app.step([key(pygame.KEYDOWN, pygame.K_g)])  # something leans on green for 70 s
    frames(app, surface, clock, 70.0, step=0.5)
    assert "green" in app.button_edges.stuck
    app.step([key(pygame.KEYUP, pygame.K_g)])
    frames(app, surface, clock, 1.5)
    assert len(answers_in(home)) == 2  # the stuck press gave nothing
    press(app, surface, clock, pygame.K_r)  # red still works alone
    assert len(answers_in(home)) == 3

    app.step([key(pygame.KEYDOWN, pygame.K_g), key(pygame.KEYDOWN, pygame.K_r)])
    frames(app, surface, clock, 3.5)  # both held: the menu, never an answer
    app.step([key(pygame.KEYUP, pygame.K_g), key(pygame.KEYUP, pygame.K_r)])
    frames(app, surface, clock, 1.0)
    assert app.walk.view().kind == "menu"
    assert len(answers_in(home)) == 3
    app.close()


def test_an_export_holds_only_the_documented_fields_and_no_free_text(home, tmp_path):
    app, surface, clock = open_kiosk(home)
    walk_one_participant(app, surface, clock)
    app.step([key(pygame.KEYDOWN, pygame.K_SPACE)])
    app.close()
    with ResponseLog(home.log, "test-kiosk") as log:
        bundle = export_bundle(log, tmp_path / "stick", recipients=None)
    rows = list(csv.DictReader(io.StringIO(
        (bundle / "responses.csv").read_bytes().decode("utf-8-sig"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 3
    body = json.loads((bundle / "events.json").read_text())
    session_fields = {"session_id", "kiosk_id", "deck_id", "deck_version", "venue",
                      "started_at", "ended_at", "end_reason", "exported_at", "exported_events"}
    for session in body["sessions"]:
        assert set(session) <= session_fields
    event_fields = set(KNOWN_FIELDS) | {"event_id", "session_id", "kind", "at", "answered_at",
                                        "seq"}
    for event in body["events"]:
        assert set(event) <= event_fields, set(event) - event_fields
        for name, value in event.items():
            if isinstance(value, str) and name not in ("at", "answered_at"):
                assert IDENTIFIER.fullmatch(value), f"{name}={value!r} looks like free text"
    assert {type(r["participant"]) for r in body["events"]} == {int}  # a number, not a name
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert set(manifest) == {"format", "kiosk_id", "created_at", "sessions", "decks",
                             "answers", "events", "files"}
