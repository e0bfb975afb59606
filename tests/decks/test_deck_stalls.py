"""A speech engine that really hangs: the worker is killed, a fresh one retries, and the
install either has every clip or says plainly which screens would be silent.

The hanging engine (stalling_engine.py) runs inside real worker processes and really sleeps;
everything else is real pyttsx3 + espeak-ng writing WAV files, checked with soxi and sox.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from deck_helpers import make_image
from stalling_engine import attempts

from kiosk.cli import main
from kiosk.decks.library import DeckLibrary
from kiosk.decks.narration import NarrationCache
from kiosk.decks.speech_worker import WorkerEngine, shutdown_workers, worker_count

HERE = Path(__file__).resolve().parent
ASK = "Did you understand this page?"


def make_spoken_deck(folder: Path, says: list[str], deck_id: str = "letter") -> Path:
    """A deck whose screens say exactly ``says`` (and all ask the same question)."""
    toml = [f'id = "{deck_id}"', 'title = "A letter"', "version = 1", 'language = "en-GB"',
            f'ask = "{ASK}"']
    for n, say in enumerate(says, start=1):
        make_image(folder / f"p{n}.png", (320, 240))
        toml += ["", "[[screen]]", f'id = "p{n}"', f'image = "p{n}.png"', f'say = "{say}"']
    (folder / "deck.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def stalling(tmp_path, monkeypatch):
    """Workers load the hanging engine; marks (attempts, release) go in a fresh folder."""
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "stalling_engine:StallingEngine")
    monkeypatch.setenv("STALL_MARKS", str(marks))
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    shutdown_workers()  # no worker from an earlier test, with other settings, is reused
    yield marks
    shutdown_workers()


def clip_is_speech(path: Path) -> None:
    """soxi: a real WAV with a length; sox stat: not silence."""
    seconds = float(subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True,
                                   check=True).stdout)
    assert seconds > 0.3
    stat = subprocess.run(["sox", str(path), "-n", "stat"], capture_output=True, text=True,
                          check=True).stderr
    rms = float(next(line for line in stat.splitlines() if line.startswith("RMS     amplitude"))
                .split(":")[1])
    assert rms > 0.01, stat


def test_stalled_renders_are_killed_retried_and_the_install_has_every_clip(home, tmp_path,
                                                                          stalling):
    says = ["Your appointment is on Monday.", "This page stalls once, then speaks.",
            "Please bring your medicines.", "This one stalls once as well."]
    source = make_spoken_deck(tmp_path / "letter", says)
    engine = WorkerEngine(workers=2, timeout=5.0)  # a loaded CI machine needs seconds
    killed_before = engine.restarts
    library = DeckLibrary(home, NarrationCache.for_home(home, engine))

    [result] = library.install(source)

    assert result.ready and result.silent == ()
    assert (result.narration.made, result.narration.reused,
            result.narration.could_not_make) == (6, 0, 0)  # 4 says, the ask, 'English'
    assert engine.restarts - killed_before >= 2  # each stalled worker was killed
    for say in says:  # a stalled try is killed and tried again; a real render that fails
        # now and then (espeak-ng on a busy machine) is tried again too, up to three times
        tries = attempts(stalling, say)
        assert (2 if "stalls once" in say else 1) <= tries <= 3, (say, tries)
    cache = library.cache
    for say in [*says, ASK]:
        clip_is_speech(cache.lookup(say, "en-GB"))
    assert not [p for p in home.narration_cache.iterdir() if p.name.startswith(".rendering")]


def test_a_clip_that_always_hangs_is_not_made_and_install_exits_non_zero(home, tmp_path,
                                                                         stalling, capsys,
                                                                         monkeypatch):
    monkeypatch.setenv("KIOSK_SPEECH_TIMEOUT", "1.0")  # room for a loaded CI machine
    hangs = "This page always stalls."
    source = make_spoken_deck(tmp_path / "letter", ["Your appointment is on Monday.", hangs])

    status = main(["--home", str(home.root), "deck", "install", str(source)])
    out = capsys.readouterr().out

    assert status == 1
    assert attempts(stalling, hangs) == 3  # the first try and two retries, each killed
    lines = out.splitlines()
    assert lines[0] == (
        "Installed 'A letter' (letter, version 1) from letter, but it is NOT READY: 1 narration "
        "clip could not be made, so this screen would be silent: screen 'p2'.")
    assert "(the speech engine stalled on this text 3 times, each time killed after 1.1 s)" \
        in out
    assert "The deck is installed anyway" in out
    assert lines[-2] == "Narration: 3 clips made, 0 reused, 1 could not be made."
    assert lines[-1] == ("Not ready: some screens of 'letter' would be silent (no narration). "
                         "See the notes above.")
    # The rule: the deck is in, with every clip that could be made.
    assert [d.id for d in DeckLibrary(home).installed()] == ["letter"]
    cache = NarrationCache.for_home(home)
    assert cache.lookup("Your appointment is on Monday.", "en-GB") is not None
    assert cache.lookup(hangs, "en-GB") is None


def test_an_engine_that_cannot_start_is_a_plain_non_zero_install(home, tmp_path, capsys,
                                                                 monkeypatch):
    monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "no_such_speech_module:Engine")
    shutdown_workers()
    source = make_spoken_deck(tmp_path / "letter", ["Hello.", "Goodbye."])
    status = main(["--home", str(home.root), "deck", "install", str(source)])
    out = capsys.readouterr().out
    shutdown_workers()
    assert status == 1
    assert "these screens would be silent: screen 'p1', screen 'p2'" in out
    assert "narration is missing: the speech engine could not start (No module named " \
        "'no_such_speech_module')" in out
    assert "Narration: 0 clips made, 0 reused, 4 could not be made." in out
    assert "Traceback" not in out


def test_a_deck_installed_earlier_keeps_working_when_its_reinstall_cannot_narrate(
        home, tmp_path, capsys, monkeypatch):
    source = make_spoken_deck(tmp_path / "letter", ["Hello.", "Goodbye."])
    assert main(["--home", str(home.root), "deck", "install", str(source)]) == 0
    before = sorted(p.name for p in home.narration_cache.iterdir())
    capsys.readouterr()
    monkeypatch.setenv("KIOSK_SPEECH_ENGINE", "no_such_speech_module:Engine")
    shutdown_workers()
    status = main(["--home", str(home.root), "deck", "install", str(source)])
    out = capsys.readouterr().out
    shutdown_workers()
    assert status == 0  # its clips are in the cache (same key): nothing would be silent
    assert out.splitlines() == [
        "'A letter' (letter, version 1) from letter is already installed; nothing changed.",
        "Narration: 0 clips made, 4 reused, 0 could not be made.",
    ]
    assert sorted(p.name for p in home.narration_cache.iterdir()) == before


def test_real_espeak_in_a_worker_makes_real_speech(tmp_path):
    cache = NarrationCache(tmp_path / "cache", WorkerEngine(workers=1))
    path = cache.render("Please bring this letter and your glasses.", "en-GB")
    clip_is_speech(path)
    assert cache.path_for("Please bring this letter and your glasses.", "gmw/en") == path


def test_the_number_of_workers_suits_the_board():
    assert worker_count(cpus=4, available_mb=3500) == 3  # Pi 4 / Pi 5: one core kept free
    assert worker_count(cpus=4, available_mb=300) == 1  # Zero 2 W, Lite: ~300 MB free
    assert worker_count(cpus=4, available_mb=120) == 1  # Zero 2 W desktop: never zero
    assert worker_count(cpus=1, available_mb=None) == 1
    assert worker_count(cpus=16, available_mb=64000) == 4  # more gains nothing


def test_a_hung_worker_does_not_outlive_a_killed_kiosk(tmp_path, stalling, monkeypatch):
    import os
    import signal
    import sys
    import time

    script = (
        "import sys; from pathlib import Path; "
        "from kiosk.decks.speech_worker import WorkerEngine; "
        "WorkerEngine(workers=1, timeout=600).render("
        "'This page always stalls.', 'gmw/en', 150, Path(sys.argv[1]))"
    )
    kiosk = subprocess.Popen([sys.executable, "-c", script, str(tmp_path / "clip.wav")])
    give_up = time.monotonic() + 60
    while attempts(stalling, "This page always stalls.") == 0:  # the worker is now asleep
        assert time.monotonic() < give_up and kiosk.poll() is None
        time.sleep(0.05)
    line = (stalling / "attempts.log").read_text("utf-8").splitlines()[0]
    worker = int(line.split()[1])
    os.kill(kiosk.pid, signal.SIGKILL)  # a power cut of the kiosk, not of the worker
    kiosk.wait()
    while os.path.exists(f"/proc/{worker}") and "Z" not in _state(worker):
        assert time.monotonic() < give_up, "the stalled worker outlived the kiosk"
        time.sleep(0.05)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
