"""``kiosk run`` makes missing narration in the background, with a banner until it is done.

Real kiosk (pygame with SDL's dummy drivers), real worker processes; the engine inside them is
the hanging one (stalling_engine.py), which holds one clip until the test releases it, so
"the first frame does not wait" is shown without any timing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pygame
import pytest
from stalling_engine import attempts
from test_deck_stalls import clip_is_speech, make_spoken_deck

from kiosk.app import banner_line
from kiosk.decks.library import DeckLibrary
from kiosk.decks.narration import NarrationCache
from kiosk.decks.narration_repair import NarrationRepair
from kiosk.decks.speech_worker import shutdown_workers

HERE = Path(__file__).resolve().parent
HELD = "This page waits for release."
SCREENSHOT = Path("/tmp/kiosk-narration-repair-banner.png")  # to look at, after a run
SAYS = ["Your appointment is on Monday.", HELD, "Please bring your medicines."]


@pytest.fixture
def stalling(tmp_path, monkeypatch):
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "stalling_engine:StallingEngine")
    monkeypatch.setenv("STALL_MARKS", str(marks))
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    monkeypatch.setenv("KIOSK_SPEECH_TIMEOUT", "120")  # the held clip is waited for, not killed
    shutdown_workers()
    yield marks
    shutdown_workers()


def wait_for(condition, seconds: float = 60.0) -> None:
    """A bound on waiting for another process, not a speed test."""
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "gave up waiting"
        time.sleep(0.02)


def installed_then_lost(home, tmp_path, marks, lost: list[str]) -> None:
    """Install the deck with every clip, then lose some clips (a cleared cache, a bad card)."""
    (marks / "release").touch()
    [result] = DeckLibrary(home).install(make_spoken_deck(tmp_path / "letter", SAYS))
    assert result.ready
    cache = NarrationCache.for_home(home)
    for text in lost:
        cache.lookup(text, "en-GB").unlink()
    (marks / "release").unlink()


def test_kiosk_run_makes_missing_narration_in_the_background_with_a_banner(
        home, tmp_path, stalling):
    from kiosk.cli.run import assemble

    installed_then_lost(home, tmp_path, stalling, [SAYS[0], HELD])
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    app = assemble(home, surface.get_size(), deck_id="letter", venue="Library", use_gpio=False)
    try:
        [repair] = [source for source in app.watchers if isinstance(source, NarrationRepair)]
        app.step([])
        app.draw(surface)  # the first frame: drawn while the repair is still to do
        assert not repair.done.is_set()  # the held clip cannot be made until released
        wait_for(lambda: attempts(stalling, HELD) >= 2)  # the install made it once; now held
        app.step([])
        app.draw(surface)
        pygame.image.save(surface, str(SCREENSHOT))
        assert not repair.done.is_set()
        assert app.current_view().banner in (
            f"Making missing narration: {done} of 2 clips. Until then some screens are silent."
            for done in (0, 1))

        (stalling / "release").touch()
        assert repair.done.wait(60)
        app.step([])
        assert app.current_view().banner == ""  # the banner is cleared once all is made
        assert (repair.made, repair.could_not_make, repair.faults) == (2, 0, [])
        cache = NarrationCache.for_home(home)
        for text in SAYS:
            clip_is_speech(cache.lookup(text, "en-GB"))
    finally:
        app.close()
        pygame.quit()


@pytest.mark.slow  # three tries of a clip that always stalls: about 5 s
def test_clips_that_still_cannot_be_made_stay_on_the_banner(home, tmp_path, stalling,
                                                            monkeypatch):
    installed_then_lost(home, tmp_path, stalling, [HELD])
    monkeypatch.setenv("KIOSK_SPEECH_TIMEOUT", "0.3")  # the held clip now counts as a stall
    shutdown_workers()
    cache = NarrationCache.for_home(home)
    repair = NarrationRepair(cache, DeckLibrary(home).installed()).start()
    assert repair.done.wait(60)
    assert repair.could_not_make == 1
    assert banner_line("", [repair]) == repair.faults[0] == (
        "'A letter' has 1 screen without narration (narration could not be made for screen "
        "'p2' (the speech engine stalled on this text 3 times, each time killed after 0.4 s)). "
        "Those screens are shown without sound; install the deck again to try once more.")


def test_the_repair_never_covers_another_fault(home):
    no_sound = "No sound: the speaker could not be opened."
    repair = NarrationRepair(NarrationCache.for_home(home), [])
    repair.status = "Making missing narration: 0 of 3 clips. Until then some screens are silent."
    assert banner_line(no_sound, [repair]) == no_sound
    assert banner_line("", [repair]) == repair.status
    repair.status = ""
    assert banner_line("", [repair]) == ""
