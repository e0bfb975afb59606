"""Storage, audio and display trouble, injected into the REAL kiosk (``assemble``) in-process.

The kiosk must keep walking, tell the facilitator plainly (``app.fault``, the banner), and
never overwrite good data. Unit-level storage faults (every errno at every write, torn tails
at every byte, tmpfs full/read-only) are in tests/sessions/test_sessions_storage.py and
test_sessions_log.py; here the same faults hit the whole running kiosk.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid

import pygame
import pytest
from hand_clock import HandClock
from reliability_helpers import installed_home

from kiosk.cli.run import assemble
from kiosk.sessions.log import ResponseLog


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return installed_home(tmp_path_factory.mktemp("template"))


@pytest.fixture
def home(template, tmp_path):
    from kiosk.home import Home

    shutil.copytree(template.root, tmp_path / "home")
    return Home(tmp_path / "home")


def open_kiosk(home, **kwargs):
    pygame.init()
    surface = pygame.display.set_mode((640, 400))
    clock = HandClock()
    app = assemble(home, surface.get_size(), deck_id="mini-letter", venue="Library",
                   clock=clock, use_gpio=False, **kwargs)
    app.apply(app.walk.startup_effects())
    return app, surface, clock


def press(app, surface, clock, code=pygame.K_g, frames=25) -> None:
    """Key down, 0.15 s, key up, then ``frames`` frames of 50 ms: past the 0.8 s tick."""
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        app.step([pygame.event.Event(kind, key=code, mod=0, unicode="", scancode=0)])
        app.draw(surface)
        clock.now += 0.15
    for _ in range(frames):
        clock.now += 0.05
        app.step([])
        app.draw(surface)


def walk_one_participant(app, surface, clock) -> None:
    """Start, begin, answer the three screens (green, red, green)."""
    for code in (pygame.K_g, pygame.K_g, pygame.K_g, pygame.K_r, pygame.K_g):
        press(app, surface, clock, code)


def answers_in(home) -> list[dict]:
    with ResponseLog(home.log, "reader", read_only=True) as log:
        return [e for e in log.events() if e["kind"] == "answer"]


@pytest.fixture(autouse=True)
def _quit_pygame(monkeypatch):
    """No background phrase rendering: several in-process kiosks would each start pyttsx3 on
    a thread, and concurrent espeak engines in one process can deadlock (see the report)."""
    monkeypatch.setattr("kiosk.cli.run._render_kiosk_phrases_soon", lambda cache: None)
    yield
    pygame.quit()


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "storage is full"),
                                         (errno.EROFS, "read-only"), (errno.EIO, "could not")])
def test_the_disk_refuses_mid_walk_the_kiosk_walks_on_and_says_so(home, monkeypatch, code,
                                                                  words):
    app, surface, clock = open_kiosk(home)
    press(app, surface, clock)
    press(app, surface, clock)
    press(app, surface, clock)  # screen 1 answered and kept
    real_pwrite = os.pwrite

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "pwrite", refuse)
    press(app, surface, clock, pygame.K_r)  # screen 2: the disk refuses
    assert words in app.fault.lower()
    assert app.walk.view().screen.id == "p3"  # the participant carries on
    monkeypatch.setattr(os, "pwrite", real_pwrite)
    press(app, surface, clock)
    assert app.walk.view().kind == "thanks"
    app.close()
    kept = answers_in(home)
    assert [a["screen_id"] for a in kept] == ["p1", "p3"]  # nothing good was lost or changed


def test_a_garbled_log_is_set_aside_and_the_kiosk_runs(home):
    app, surface, clock = open_kiosk(home)
    walk_one_participant(app, surface, clock)
    app.close()
    journal = home.log / "responses.journal"
    good = journal.read_bytes()
    journal.write_bytes(good + b"K1 deadbeef 99 [[\"put\", garbage" + os.urandom(64))
    app, surface, clock = open_kiosk(home)
    assert "damaged" in app.fault.lower() or "set aside" in app.fault.lower(), app.fault
    walk_one_participant(app, surface, clock)
    app.close()
    assert len(answers_in(home)) == 6
    aside = list(home.log.glob("*.damaged-*"))
    assert aside and b"garbage" in aside[0].read_bytes()  # kept for a person to look at


def test_a_truncated_log_keeps_every_whole_answer(home):
    app, surface, clock = open_kiosk(home)
    walk_one_participant(app, surface, clock)
    app.close()
    journal = home.log / "responses.journal"
    journal.write_bytes(journal.read_bytes()[:-7])  # the last write torn by a power cut
    app, surface, clock = open_kiosk(home)
    assert app.fault
    app.close()
    assert len(answers_in(home)) >= 2


def test_missing_narration_cache_and_no_voice_the_walk_goes_on(home, monkeypatch):
    from kiosk.decks.narration import NarrationCache, NoSpeechEngine

    shutil.rmtree(home.narration_cache, ignore_errors=True)
    monkeypatch.setattr("kiosk.cli.run.narration_for",
                        lambda home: NarrationCache.for_home(home, NoSpeechEngine()))
    app, surface, clock = open_kiosk(home)
    walk_one_participant(app, surface, clock)
    assert app.walk.view().kind == "thanks"
    assert any("narration" in f.lower() for f in app.speaker.faults), app.speaker.faults
    app.close()
    assert len(answers_in(home)) == 3


def test_a_corrupt_wav_is_skipped_and_noted(home):
    for wav in home.narration_cache.rglob("*.wav"):
        wav.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk" + os.urandom(100))
    app, surface, clock = open_kiosk(home)
    walk_one_participant(app, surface, clock)
    assert app.walk.view().kind == "thanks"
    assert any("could not" in f.lower() for f in app.speaker.faults), app.speaker.faults
    app.close()
    assert len(answers_in(home)) == 3


def test_an_image_that_fails_at_run_time_shows_words_and_the_walk_goes_on(home):
    app, surface, clock = open_kiosk(home)  # the deck was checked and is installed...
    for png in home.decks.rglob("p2.png"):  # ...then the SD card garbles a picture
        png.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    walk_one_participant(app, surface, clock)
    assert app.walk.view().kind == "thanks"
    app.close()
    assert [a["screen_id"] for a in answers_in(home)] == ["p1", "p2", "p3"]
    if home.kiosk_log.exists():  # noted for the facilitator, never as a crash
        assert "Traceback" not in home.kiosk_log.read_text()


def test_no_sound_device_gives_a_silent_speaker(home, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-driver")
    pygame.mixer.quit()
    app, surface, clock = open_kiosk(home)
    from kiosk.screen.sound import SilentSpeaker

    assert isinstance(app.speaker, SilentSpeaker)
    walk_one_participant(app, surface, clock)
    assert app.walk.view().kind == "thanks"
    app.close()
    assert len(answers_in(home)) == 3


def test_sound_trouble_reaches_the_facilitator_banner_and_each_log_once(home, monkeypatch,
                                                                        caplog):
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-driver")
    pygame.mixer.quit()
    app, surface, clock = open_kiosk(home)
    try:
        assert "sound" in app.fault.lower()
        for _ in range(3):
            clock.now += 0.05
            app.step([])
    finally:
        app.close()
    said = [r.getMessage() for r in caplog.records if "No sound" in r.getMessage()]
    assert said == [app.fault]  # the console, as the facilitator reads it over ssh
    assert home.kiosk_log.read_text().count("No sound") == 1


@pytest.fixture
def tmpfs(tmp_path):
    point = tmp_path / f"mnt-{uuid.uuid4().hex[:6]}"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root?): the injected-errno test covers it")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_really_full_disk_under_the_real_kiosk(template, tmpfs, monkeypatch):
    from kiosk.decks.narration import NarrationCache, NoSpeechEngine
    from kiosk.home import Home

    # Without this, espeak asked to render onto the full disk never returns, and the next
    # kiosk in this process blocks in NarrationCache.lookup (reported to the lead).
    monkeypatch.setattr("kiosk.cli.run.narration_for",
                        lambda home: NarrationCache.for_home(home, NoSpeechEngine()))

    shutil.copytree(template.root, tmpfs / "home")
    home = Home(tmpfs / "home")
    app, surface, clock = open_kiosk(home)
    press(app, surface, clock)
    press(app, surface, clock)
    press(app, surface, clock)
    with open(tmpfs / "ballast", "wb") as ballast:
        try:
            while True:
                ballast.write(b"\0" * 65536)
                ballast.flush()
        except OSError:
            pass
    seen = False
    for _ in range(60):  # the journal's last page fills first, so walk until it is full
        for code in (pygame.K_g, pygame.K_g, pygame.K_g, pygame.K_g, pygame.K_r, pygame.K_g):
            press(app, surface, clock, code, frames=20)
            seen = seen or "full" in app.fault.lower()
        frames_to_welcome = 300
        for _ in range(frames_to_welcome):
            clock.now += 0.05
            app.step([])
        if seen:
            break
    assert seen, app.fault
    assert app.running
    app.close()
    os.remove(tmpfs / "ballast")
    assert [a["screen_id"] for a in answers_in(home)][:1] == ["p1"]
