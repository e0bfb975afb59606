"""Narration with the real espeak-ng through pyttsx3: real WAV files that hold real speech."""

from __future__ import annotations

import array
import os
import wave

import pytest

from kiosk.decks.narration import (
    SCRATCH_PREFIX,
    VOICES_FILE,
    NarrationCache,
    NoSpeechEngine,
    Voice,
    choose_voice,
)
from kiosk.decks.speech_worker import WorkerEngine

LONG_LETTER = (
    "Dear Mrs Example. You have an appointment at the Elm Street Community Clinic on "
    "Tuesday the fourth of March at half past ten in the morning. Please bring this letter, "
    "a list of your medicines and your glasses. "
) * 3


def seconds_and_loudness(path) -> tuple[float, float]:
    with wave.open(str(path), "rb") as clip:
        assert clip.getsampwidth() == 2 and clip.getnchannels() == 1
        frames = clip.readframes(clip.getnframes())
        duration = clip.getnframes() / clip.getframerate()
    samples = array.array("h", frames)
    rms = (sum(s * s for s in samples[::10]) / max(1, len(samples[::10]))) ** 0.5
    return duration, rms


@pytest.fixture(scope="module")
def engine():
    """pyttsx3 + espeak-ng as the kiosk runs them: in a worker process (Pyttsx3Engine inside)."""
    return WorkerEngine(workers=1)


@pytest.mark.parametrize(
    "language, text, voice",
    [
        ("en-GB", "Your appointment is on Tuesday at ten o'clock.", "gmw/en"),
        ("pa", "ਤੁਹਾਡੀ ਮੁਲਾਕਾਤ ਮੰਗਲਵਾਰ ਨੂੰ ਹੈ।", "inc/pa"),
        ("ur", "آپ کی ملاقات منگل کو ہے۔", "inc/ur"),
        ("pl", "Twoja wizyta jest we wtorek o dziesiątej.", "zlw/pl"),
    ],
)
def test_real_speech_in_each_language(tmp_path, engine, language, text, voice):
    cache = NarrationCache(tmp_path / "cache", engine)
    assert cache.voice_for(language) == voice
    assert cache.lookup(text, language) is None
    path = cache.render(text, language)
    assert path is not None and path.parent == tmp_path / "cache"
    duration, loudness = seconds_and_loudness(path)
    assert duration > 0.3
    assert loudness > 500  # speech, not silence (16-bit samples)
    assert cache.lookup(text, language) == path
    left = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert left == sorted([path.name, VOICES_FILE])  # no scratch left


def test_a_long_text_is_rendered_to_the_end(tmp_path, engine):
    cache = NarrationCache(tmp_path / "cache", engine)
    short, _ = seconds_and_loudness(cache.render(LONG_LETTER[: len(LONG_LETTER) // 3], "en-GB"))
    full, _ = seconds_and_loudness(cache.render(LONG_LETTER, "en-GB"))
    assert full > 2.5 * short  # pyttsx3 can stop early on long texts; we wait for the end


def test_pyttsx3s_chatter_is_not_printed(tmp_path, engine, capfd):
    NarrationCache(tmp_path / "cache", engine).render("Quiet, please.", "en-GB")
    assert "Audio saved" not in capfd.readouterr().out


def test_the_key_is_text_voice_and_rate(tmp_path, engine):
    normal = NarrationCache(tmp_path / "cache", engine)
    a = normal.render("Hello there.", "en-GB")
    assert normal.render("Hello   there.\n", "en-GB") == a  # spacing does not matter
    assert normal.render("Hello there.", "pl") != a
    slow = NarrationCache(tmp_path / "cache", NoSpeechEngine(), rate=110)
    assert slow.path_for("Hello there.", "gmw/en") != a


def test_one_pyttsx3_process_keeps_one_rate(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; "
        "from kiosk.decks.narration import NarrationCache, Pyttsx3Engine, SpeechFailed; "
        "engine = Pyttsx3Engine()\n"
        "try: NarrationCache(Path(sys.argv[1]), engine).render('First.', 'en-GB')\n"
        "except SpeechFailed: sys.exit(2)\n"  # a first clip at the wrong speed: try again
        "NarrationCache(Path(sys.argv[1]), engine, rate=90).render('Second.', 'en-GB')"
    )
    for _ in range(5):
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "cache")],
                              capture_output=True, text=True)
        if done.returncode != 2:
            break
    assert done.returncode == 1 and "needs a new process" in done.stderr


def test_a_worker_engine_takes_a_new_rate_in_a_new_worker(tmp_path, engine):
    text = "Please bring this letter and a list of your medicines."
    normal, _ = seconds_and_loudness(NarrationCache(tmp_path / "a", engine).render(text, "en-GB"))
    slow_cache = NarrationCache(tmp_path / "b", engine, rate=90)
    slow, _ = seconds_and_loudness(slow_cache.render(text, "en-GB"))
    assert slow > 1.3 * normal


def test_a_slower_rate_speaks_longer(tmp_path):
    import subprocess
    import sys

    script = (
        "import sys, wave; from pathlib import Path; "
        "from kiosk.decks.narration import NarrationCache; "
        "p = NarrationCache(Path(sys.argv[1]), rate=int(sys.argv[2])).render("
        "'Please bring this letter and a list of your medicines.', 'en-GB'); "
        "w = wave.open(str(p)); print(w.getnframes() / w.getframerate())"
    )
    seconds = {}
    for rate in (100, 200):
        out = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / str(rate)), str(rate)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        seconds[rate] = float(out)
    assert seconds[100] > 1.5 * seconds[200]


def test_rendering_twice_reuses_the_file(tmp_path, engine):
    cache = NarrationCache(tmp_path / "cache", engine)
    first = cache.render("Once only.", "en-GB")
    stamp = first.stat().st_mtime_ns
    assert cache.render("Once only.", "en-GB") == first
    assert first.stat().st_mtime_ns == stamp


def test_no_engine(tmp_path):
    cache = NarrationCache(tmp_path / "cache", NoSpeechEngine())
    assert cache.render("Hello", "en-GB") is None
    assert cache.lookup("Hello", "en-GB") is None
    assert not cache.voice_available("en-GB")
    assert cache.missing_reason("en-GB") == "there is no speech engine on this machine"


def test_voice_choice_falls_back_to_the_language():
    voices = [
        Voice("gmw/en-us", "American", ("en-us",)),
        Voice("gmw/en", "British", ("en-gb",)),
        Voice("inc/ur", "Urdu", ("ur",)),
    ]
    assert choose_voice("en-GB", voices) == "gmw/en"
    assert choose_voice("en", voices) == "gmw/en"
    assert choose_voice("en-AU", voices) == "gmw/en"
    assert choose_voice("en-US", voices) == "gmw/en-us"
    assert choose_voice("ur-PK", voices) == "inc/ur"
    assert choose_voice("pa", voices) is None


def test_half_rendered_files_are_cleaned(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    stale = folder / f"{SCRATCH_PREFIX}dead.wav"
    stale.write_bytes(b"RIFF")
    os.utime(stale, (1, 1))
    fresh = folder / f"{SCRATCH_PREFIX}busy.wav"
    fresh.write_bytes(b"RIFF")
    NarrationCache(folder, NoSpeechEngine()).clean_scratch()
    assert not stale.exists() and fresh.exists()


def test_lookup_is_fast(tmp_path, engine):
    import time

    cache = NarrationCache(tmp_path / "cache", engine)
    cache.render("Press green if you understood.", "en-GB")
    started = time.perf_counter()
    for _ in range(1000):
        cache.lookup("Press green if you understood.", "en-GB")
    assert (time.perf_counter() - started) / 1000 < 0.001


def test_the_voice_list_is_remembered_and_renewed_when_the_engine_changes(tmp_path, engine):
    import json

    folder = tmp_path / "cache"
    made = NarrationCache(folder, engine).render("Hello there.", "en-GB")
    remembered = json.loads((folder / VOICES_FILE).read_text("utf-8"))
    assert ["gmw/en", "English_(Great_Britain)", ["en-gb"]] in remembered or any(
        v[0] == "gmw/en" for v in remembered)
    # An older espeak-ng called its British voice something else: that list is used to find
    # clips, but not to make new ones with a voice the engine no longer has.
    (folder / VOICES_FILE).write_text(json.dumps([["old/en", "Old", ["en-gb"]]]), "utf-8")
    cache = NarrationCache(folder, engine)
    assert cache.voice_for("en-GB") == "old/en"
    assert cache.lookup("Hello there.", "en-GB") is None
    assert cache.render("Hello there.", "en-GB") == made
    assert cache.voice_for("en-GB") == "gmw/en"
