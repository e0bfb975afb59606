"""The real kiosk, headless: real decks installed with real narration, real pygame drawing
on SDL's dummy video and audio drivers, key presses as pygame events, answers in a real log."""


import contextlib

import pygame
import pytest
from hand_clock import HandClock
from PIL import Image, ImageDraw

from kiosk.cli.run import assemble
from kiosk.decks.library import DeckLibrary
from kiosk.decks.narration import NarrationCache
from kiosk.sessions.log import ResponseLog
from kiosk.settings import last_session

DECK_TOML = """\
id = "mini-letter"
title = "A short letter"
version = 1
language = "en-GB"

[[screen]]
id = "p1"
image = "p1.png"
say = "Your appointment is on Monday."
variant = "easy-read"

[[screen]]
id = "p2"
image = "p2.png"
say = "Please bring your medicines."
ask = "Did you understand what to bring?"
variant = "easy-read"
"""



@pytest.fixture(scope="module")
def installed_home(tmp_path_factory):
    """One home with the mini deck installed (narration rendered once for the module)."""
    from kiosk.home import Home

    root = tmp_path_factory.mktemp("kiosk")
    source = root / "source"
    source.mkdir()
    (source / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    for name, colour in (("p1", (0, 94, 184)), ("p2", (0, 150, 57))):
        image = Image.new("RGB", (1200, 720), "white")
        ImageDraw.Draw(image).rectangle((100, 100, 1100, 300), fill=colour)
        image.save(source / f"{name}.png")
    home = Home(root / "home")
    home.root.mkdir()
    library = DeckLibrary(home, NarrationCache.for_home(home))
    library.install(source)
    return home


@contextlib.contextmanager
def open_kiosk(home, config: str = "", recording: bool = True):
    """The real kiosk on the mini deck at 800x480, with ``config`` as its kiosk.toml."""
    if config:
        home.config.write_text(config, encoding="utf-8")
    pygame.init()
    try:
        surface = pygame.display.set_mode((800, 480))
        clock = HandClock()
        app = assemble(home, surface.get_size(), deck_id="mini-letter", venue="Library",
                       clock=clock, use_gpio=False, recording=recording)
        app.apply(app.walk.startup_effects())
        yield app, surface, clock
        app.close()
    finally:
        home.config.unlink(missing_ok=True)
        pygame.quit()


@pytest.fixture
def kiosk(installed_home):
    with open_kiosk(installed_home) as opened:
        yield opened


def key(kind, code):
    return pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)


def press(app, surface, clock, code):
    """A person pressing and releasing a key: down, 0.15 s held, up, then a few frames."""
    for event in (key(pygame.KEYDOWN, code), key(pygame.KEYUP, code)):
        app.step([event])
        app.draw(surface)
        clock.now += 0.15
    frames(app, surface, clock, 1.0)


def frames(app, surface, clock, seconds):
    for _ in range(int(seconds / 0.05)):
        clock.now += 0.05
        app.step([])
        app.draw(surface)


def test_a_participant_walks_a_deck_with_the_keyboard_and_is_heard(kiosk, installed_home):
    app, surface, clock = kiosk
    assert app.walk.view().kind == "welcome"
    press(app, surface, clock, pygame.K_g)  # start
    press(app, surface, clock, pygame.K_RIGHT)  # begin (green)
    assert app.walk.view().screen.id == "p1"
    app.step([key(pygame.KEYDOWN, pygame.K_SPACE)])  # hear again
    frames(app, surface, clock, 0.5)
    press(app, surface, clock, pygame.K_g)  # understood
    press(app, surface, clock, pygame.K_LEFT)  # not understood
    assert app.walk.view().kind == "thanks"

    # What the speaker really played: narration files rendered at install, in order.
    played = app.speaker.started
    assert played.count("Your appointment is on Monday.") == 2  # said, and said again
    assert app.speaker.faults == []

    # And what the log holds, read back from disk by a second reader.
    session_id = app.session_id
    app.close()
    with ResponseLog(installed_home.log, "reader") as log:
        events = log.events(session_id)
    answers = [e for e in events if e["kind"] == "answer"]
    assert [(a["screen_id"], a["response"]) for a in answers] == [
        ("p1", "understood"), ("p2", "not_understood")]
    assert answers[0]["replays"] == 1
    assert [e["kind"] for e in events].count("replay") == 1
    assert last_session(installed_home) == ("mini-letter", "Library")


def test_f12_opens_the_menu_through_the_real_loop(kiosk):
    app, surface, clock = kiosk
    pygame.event.post(key(pygame.KEYDOWN, pygame.K_F12))
    app.run(surface, frames=3)
    assert app.walk.view().kind == "menu"


def test_closing_the_window_ends_the_session_cleanly(kiosk, installed_home):
    app, surface, clock = kiosk
    session_id = app.session_id
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.run(surface, frames=50)
    assert not app.running
    app.close()
    with ResponseLog(installed_home.log, "reader") as log:
        session = next(s for s in log.sessions() if s["session_id"] == session_id)
    assert session.get("ended_at")


def test_a_crash_inside_a_frame_is_logged_and_the_walk_recovers(kiosk, installed_home):
    app, surface, clock = kiosk
    press(app, surface, clock, pygame.K_g)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a frame")

    app.painter.draw = broken
    app.run(surface, frames=1)
    del app.painter.draw
    assert app.walk.view().kind == "welcome"
    assert "problem" in app.fault
    assert "a bug in a frame" in installed_home.kiosk_log.read_text()


def tap(app, surface, clock, code):
    """A key down and up inside one frame (xdotool `key`, an arcade encoder, a switch box)."""
    app.step([key(pygame.KEYDOWN, code), key(pygame.KEYUP, code)])
    app.draw(surface)
    frames(app, surface, clock, 1.0)


def test_a_key_tapped_inside_one_frame_answers_every_time(kiosk, installed_home):
    app, surface, clock = kiosk
    for code in (pygame.K_g, pygame.K_g, pygame.K_g, pygame.K_r):  # start, begin, p1, p2
        tap(app, surface, clock, code)
    assert app.walk.view().kind == "thanks"
    session_id = app.session_id
    app.close()
    with ResponseLog(installed_home.log, "reader") as log:
        answers = [e for e in log.events(session_id) if e["kind"] == "answer"]
    assert [a["response"] for a in answers] == ["understood", "not_understood"]


def test_drumming_on_a_key_still_counts_once(kiosk):
    app, surface, clock = kiosk
    tap(app, surface, clock, pygame.K_g)
    tap(app, surface, clock, pygame.K_g)
    assert app.walk.view().screen.id == "p1"
    app.step([key(pygame.KEYDOWN, pygame.K_g), key(pygame.KEYUP, pygame.K_g)])
    clock.now += 0.1
    app.step([key(pygame.KEYDOWN, pygame.K_g), key(pygame.KEYUP, pygame.K_g)])
    frames(app, surface, clock, 1.0)
    assert app.walk.view().screen.id == "p2"  # one answer, not two
    assert app.button_edges.ignored_presses == 1


def test_keys_are_set_in_kiosk_toml_for_a_switch_interface(installed_home):
    """A two-switch interface sending Enter and Space: Enter is green, Space is red."""
    keys = '[keys]\ngreen = ["return", "keypad enter"]\nred = ["space"]\nreplay = ["tab"]\n'
    with open_kiosk(installed_home, keys, recording=False) as (app, surface, clock):
        tap(app, surface, clock, pygame.K_g)  # no longer green
        assert app.walk.view().kind == "welcome"
        tap(app, surface, clock, pygame.K_RETURN)
        tap(app, surface, clock, pygame.K_KP_ENTER)
        assert app.walk.view().screen.id == "p1"
        tap(app, surface, clock, pygame.K_SPACE)  # red: not understood
        assert app.walk.view().screen.id == "p2"


@pytest.mark.parametrize("table, words", [
    ('[keys]\ngreen = ["gren"]\n', "'gren', which is not a key"),
    ('[keys]\ngreen = ["space"]\n', "'space' is set for both"),
    ('[keys]\nyes = ["y"]\n', "unknown name(s) yes"),
    ('[keys]\ngreen = [1]\n', "must be a list of key names"),
])
def test_bad_key_settings_are_explained(installed_home, table, words):
    from kiosk.errors import KioskError

    with pytest.raises(KioskError) as caught, open_kiosk(installed_home, table):
        pass
    assert words in str(caught.value)


def test_an_install_finishing_mid_walk_does_not_open_the_guarded_menu(installed_home, tmp_path):
    """Issue 16: the job's end used to open the menu with no code asked, dropping the walk."""
    from kiosk.walk.events import StartJob

    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "deck.toml").write_text(DECK_TOML.replace("mini-letter", "second-letter"),
                                     encoding="utf-8")
    for name in ("p1", "p2"):
        Image.new("RGB", (600, 400), "white").save(stick / f"{name}.png")
    with open_kiosk(installed_home, 'menu_pin = "GRG"\n', recording=False) as (app, surface,
                                                                                 clock):
        app.stick = stick
        app.apply([StartJob("install_usb")])  # started from the menu, which was then closed
        tap(app, surface, clock, pygame.K_g)
        tap(app, surface, clock, pygame.K_g)
        assert app.walk.view().screen.id == "p1"
        app._worker.join(timeout=120)
        frames(app, surface, clock, 0.5)
        assert app.walk.state == "screen" and app.walk.view().screen.id == "p1"
        assert "second-letter" in [deck.id for deck in app.walk.decks]
        tap(app, surface, clock, pygame.K_g)
        tap(app, surface, clock, pygame.K_g)
        assert app.walk.view().kind == "thanks"
        frames(app, surface, clock, 13)
        assert "job has finished (Done)" in app.walk.view().banner
