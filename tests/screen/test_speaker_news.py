"""The speaker tells the walk what it is playing: real pygame mixer on SDL's dummy audio driver,
real WAV files, and the silent speaker on a hand-moved clock."""

import array
import time
import wave

import pygame
import pytest
from hand_clock import HandClock

from kiosk.screen.sound import MixerSpeaker, SilentSpeaker, clip_seconds, open_speaker
from kiosk.walk.events import SpeechFinished, SpeechStarted, SpeechTag


def write_wav(path, seconds):
    """A soft 440 Hz tone at espeak-ng's rate, as a narration clip would be."""
    rate = 22050
    samples = array.array("h", (int(3000 * ((i // 25) % 2 * 2 - 1)) for i in
                                range(int(rate * seconds))))
    with wave.open(str(path), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(rate)
        clip.writeframes(samples.tobytes())
    return path


class Clips:
    """Narration already rendered: each text has its WAV (the cache's lookup, nothing more)."""

    def __init__(self, paths):
        self.paths = paths

    def lookup(self, text, language):
        return self.paths.get(text)

    def render(self, text, language):
        return self.paths.get(text)


@pytest.fixture
def mixer_speaker(tmp_path):
    pygame.init()
    clips = Clips({"one": write_wav(tmp_path / "one.wav", 0.15),
                   "two": write_wav(tmp_path / "two.wav", 0.15)})
    speaker = open_speaker(clips)
    assert isinstance(speaker, MixerSpeaker), speaker.faults
    yield speaker
    speaker.close()
    pygame.quit()


def follow(speaker, until, within=10.0):
    """Call ``update`` as the app does each step until ``until(news so far)``; the news."""
    news = []
    deadline = time.monotonic() + within
    while not until(news):
        assert time.monotonic() < deadline, f"the speaker never said: only {news}"
        speaker.update()
        news += speaker.news()
        time.sleep(0.01)
    return news


def test_the_mixer_posts_each_tagged_clip_starting_then_ending_in_order(mixer_speaker):
    first, second = SpeechTag(1, 0), SpeechTag(1, 1)
    mixer_speaker.speak("one", "en-GB", tag=first)
    mixer_speaker.speak("two", "en-GB", tag=second)
    news = mixer_speaker.news()
    assert news == [SpeechStarted(first)]  # the first clip starts at once
    news += follow(mixer_speaker, lambda n: SpeechFinished(second) in n)
    assert news[1:] == [SpeechFinished(first), SpeechStarted(second), SpeechFinished(second)]
    assert mixer_speaker.started == ["one", "two"]


def test_untagged_words_bring_no_news(mixer_speaker):
    mixer_speaker.speak("one", "en-GB")
    follow(mixer_speaker, lambda n: not mixer_speaker._speech.get_busy())
    assert mixer_speaker.news() == []


def test_stopping_ends_the_clip_playing_and_forgets_the_queued_ones(mixer_speaker):
    first, second = SpeechTag(4, 0), SpeechTag(4, 1)
    mixer_speaker.speak("one", "en-GB", tag=first)
    mixer_speaker.speak("two", "en-GB", tag=second)
    mixer_speaker.stop()
    mixer_speaker.update()
    assert mixer_speaker.news() == [SpeechStarted(first), SpeechFinished(first)]


def test_words_that_cannot_be_played_start_and_end_at_once(mixer_speaker):
    tag = SpeechTag(2, None)
    mixer_speaker.speak("never rendered", "en-GB", tag=tag)
    follow(mixer_speaker, lambda n: n == [SpeechStarted(tag), SpeechFinished(tag)], within=5)
    assert mixer_speaker.faults  # and the facilitator is told



def test_the_silent_speaker_keeps_each_clip_for_its_length(tmp_path):
    clock = HandClock(50.0)
    clips = Clips({"one": write_wav(tmp_path / "one.wav", 2.0)})
    speaker = SilentSpeaker("No sound", clips, clock)
    first, second = SpeechTag(1, 0), SpeechTag(1, None)
    speaker.speak("one", "en-GB", tag=first)
    speaker.speak("five words with no clip", "en-GB", tag=second)
    assert speaker.news() == [SpeechStarted(first)]
    clock.now += 1.9
    speaker.update()
    assert speaker.news() == []  # still "saying" the 2 s clip
    clock.now += 0.2
    speaker.update()
    assert speaker.news() == [SpeechFinished(first), SpeechStarted(second)]
    clock.now += 2.0  # five words at 2.5 a second
    speaker.update()
    assert speaker.news() == [SpeechFinished(second)]


def test_the_silent_speaker_ends_a_clip_when_stopped(tmp_path):
    clock = HandClock(50.0)
    speaker = SilentSpeaker("No sound", None, clock)
    tag = SpeechTag(3, 1)
    speaker.speak("a few words", "en-GB", tag=tag)
    speaker.speak("more", "en-GB", tag=SpeechTag(3, 2))
    speaker.stop()
    clock.now += 60
    speaker.update()
    assert speaker.news() == [SpeechStarted(tag), SpeechFinished(tag)]


def test_a_clip_is_timed_by_its_own_length(tmp_path):
    assert clip_seconds(write_wav(tmp_path / "c.wav", 1.5), "x") == pytest.approx(1.5)
    assert clip_seconds(tmp_path / "missing.wav", "one two three four five six") == 2.4
