"""A read-along deck walked end to end by the real kiosk, headless: installed with real
narration (espeak-ng), played by the real pygame mixer on SDL's dummy audio driver (in real
time), drawn by real pygame; parts heard in order, each region shown, replays logged per part."""

import time

import pygame
import pytest
from hand_clock import HandClock
from PIL import Image, ImageDraw

from kiosk.cli.run import assemble
from kiosk.decks.library import DeckLibrary
from kiosk.decks.narration import NarrationCache
from kiosk.sessions.log import ResponseLog

DECK_TOML = """\
id = "read-along"
title = "A letter read along"
version = 1
language = "en-GB"

[[screen]]
id = "page"
image = "page.png"
ask = "Did you understand?"

[[screen.part]]
say = "One."
rect = [100, 150, 800, 200]
label = "first"

[[screen.part]]
say = "Two."
rect = [100, 550, 800, 200]

[[screen.part]]
say = "Three."
rect = [100, 950, 800, 300]

[[screen]]
id = "after"
image = "after.png"
say = "The end."
"""
RECTS = [(100, 150, 800, 200), (100, 550, 800, 200), (100, 950, 800, 300)]



@pytest.fixture(scope="module")
def installed_home(tmp_path_factory):
    from kiosk.home import Home

    root = tmp_path_factory.mktemp("kiosk")
    source = root / "source"
    source.mkdir()
    (source / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    page = Image.new("RGB", (1000, 1414), "white")
    draw = ImageDraw.Draw(page)
    for (x, y, w, h), colour in zip(RECTS, ("navy", "darkgreen", "maroon"), strict=True):
        draw.rectangle((x + 20, y + 20, x + w - 20, y + h - 20), fill=colour)
    page.save(source / "page.png")
    Image.new("RGB", (1000, 1414), "lightgrey").save(source / "after.png")
    home = Home(root / "home")
    home.root.mkdir()
    result = DeckLibrary(home, NarrationCache.for_home(home)).install(source)
    assert all(r.ok and r.ready for r in result), result
    return home


@pytest.fixture
def kiosk(installed_home):
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    clock = HandClock()
    app = assemble(installed_home, surface.get_size(), deck_id="read-along", venue="Library",
                   clock=clock, use_gpio=False)
    app.apply(app.walk.startup_effects())
    yield app, surface, clock
    app.close()
    pygame.quit()


def key(kind, code):
    return pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)


def frame(app, surface, clock, events=()):
    """One frame of the loop: the hand clock moves on, the speaker plays in real time."""
    clock.now += 0.05
    app.step(list(events))
    app.draw(surface)
    time.sleep(0.02)


def press(app, surface, clock, code):
    frame(app, surface, clock, [key(pygame.KEYDOWN, code)])
    clock.now += 0.1  # held a moment, like a finger
    frame(app, surface, clock, [key(pygame.KEYUP, code)])
    clock.now += 0.6  # and let go for a moment before the next press (no button mashing)
    frame(app, surface, clock)


def follow(app, surface, clock, until, within=20.0):
    """Frames until ``until()``; every (region, narrating, picture) seen on the way."""
    seen = []
    deadline = time.monotonic() + within
    while not until():
        assert time.monotonic() < deadline, f"read-along stalled; seen {[s[:2] for s in seen]}"
        frame(app, surface, clock)
        view = app.walk.view()
        if not seen or seen[-1][:2] != (view.region, view.narrating):
            seen.append((view.region, view.narrating, None))
        if not app.painter.moving(clock.now):  # the zoom has arrived: what it shows
            seen[-1] = (*seen[-1][:2], pygame.image.tobytes(surface, "RGB"))
    return seen


@pytest.mark.slow
def test_a_read_along_deck_is_heard_part_by_part_each_part_shown(kiosk, installed_home):
    app, surface, clock = kiosk
    press(app, surface, clock, pygame.K_g)  # start
    press(app, surface, clock, pygame.K_RIGHT)  # how it works: begin
    assert app.walk.view().screen.id == "page"

    seen = follow(app, surface, clock, lambda: not app.walk.view().narrating)
    for _ in range(10):  # the zoom out to the whole page, and the question
        frame(app, surface, clock)
    assert not app.painter.moving(clock.now)
    seen[-1] = (*seen[-1][:2], pygame.image.tobytes(surface, "RGB"))
    assert [region for region, narrating, _ in seen] == RECTS + [None]
    assert [narrating for _, narrating, _ in seen] == [True, True, True, False]
    pictures = [picture for _, _, picture in seen]
    assert None not in pictures and len(set(pictures)) == 4  # each part drawn differently
    played = app.speaker.started
    assert played[-4:] == ["One.", "Two.", "Three.", "Did you understand?"]

    # Hear again after the narration: the whole screen, part by part; then mid-part: that part.
    press(app, surface, clock, pygame.K_SPACE)
    follow(app, surface, clock, lambda: app.walk.view().region == RECTS[1])
    press(app, surface, clock, pygame.K_SPACE)
    assert app.walk.view().region == RECTS[1]
    follow(app, surface, clock, lambda: not app.walk.view().narrating)
    assert app.speaker.started[-2:] == ["Two.", "Did you understand?"]

    # An answer mid-narration needs no waiting.
    press(app, surface, clock, pygame.K_SPACE)
    press(app, surface, clock, pygame.K_g)
    assert app.walk.state == "ack"
    session_id = app.session_id
    app.close()
    with ResponseLog(installed_home.log, "reader") as log:
        events = log.events(session_id)
    replays = [e.get("part") for e in events if e["kind"] == "replay"]
    assert replays == [None, 2, None]
    answer = next(e for e in events if e["kind"] == "answer")
    assert (answer["screen_id"], answer["response"], answer["replays"]) == (
        "page", "understood", 3)


def test_the_loop_draws_every_frame_only_while_the_zoom_moves(kiosk):
    """Idle cost: a zoom is drawn frame by frame, its resting frame once, then nothing."""
    from kiosk.walk.events import SpeechStarted, SpeechTag

    app, surface, clock = kiosk
    press(app, surface, clock, pygame.K_g)
    press(app, surface, clock, pygame.K_RIGHT)
    assert app.walk.view().region == RECTS[0]
    reading = app.walk.visit.reading.number
    app.walk.handle(SpeechStarted(SpeechTag(reading, 1)), clock.now)  # the voice moves on
    drawn, hurried = [], []
    for _ in range(20):  # the loop's frames, without the speaker's news: the view stays
        clock.now += 0.05
        hurried.append(app._timing_matters())
        drawn.append(bool(app.refresh(surface)))
    moves = drawn.index(False)
    assert 5 <= moves <= 10  # 0.4 s of frames, and the one at rest
    assert not any(drawn[moves:])  # then nothing is drawn at all
    assert all(hurried[1:moves - 1]) and not any(hurried[moves:])
    assert app.walk.view().region == RECTS[1] and not app.painter.moving(clock.now)
    assert app.painter.camera._rested  # the frame left on the screen is the smoothed one
