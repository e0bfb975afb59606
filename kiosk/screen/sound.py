"""The speaker: narration files played in order, and short cues that acknowledge presses.

Narration is rendered ahead (at deck install), so speaking is only "play this file": it starts
at once and never blocks the screen. Anything not rendered yet (a new kiosk phrase) is rendered
on a worker thread and played when ready, if it is still wanted.

Words queued with a tag are followed: the speaker tells the walk when they start and end
(``SpeechStarted`` / ``SpeechFinished``, collected by the app from ``news()`` every step), so a
read-along screen shows the passage being heard. Every tagged item that starts also ends (a
clip that cannot be played starts and ends at once; one cut short by ``stop`` ends there), and
the silent speaker keeps the same promise on a clip's length, so the walk never waits forever.
"""

from __future__ import annotations

import array
import logging
import math
import time
import wave
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from kiosk.walk.events import SpeechFinished, SpeechStarted, SpeechTag

log = logging.getLogger(__name__)

RATE = 22050  # espeak-ng's own rate, so narration plays without resampling


class NarrationSource(Protocol):
    """What the speaker needs from the narration cache (kiosk.decks.narration.NarrationCache)."""

    def lookup(self, text: str, language: str) -> Path | None: ...

    def render(self, text: str, language: str) -> Path | None: ...


def _tone(notes: list[tuple[float, float]], volume: float = 0.35) -> bytes:
    """A soft chime: each (frequency, seconds) note with a quick fade in and a gentle fade out."""
    samples = array.array("h")
    for frequency, seconds in notes:
        count = int(RATE * seconds)
        for i in range(count):
            envelope = min(1.0, i / (RATE * 0.005)) * (1 - i / count) ** 2
            value = math.sin(2 * math.pi * frequency * i / RATE) * envelope * volume
            samples.append(int(value * 32767))
    return samples.tobytes()


CUES: dict[str, list[tuple[float, float]]] = {
    "yes": [(660, 0.09), (990, 0.16)],  # rising: done, well done
    "no": [(660, 0.09), (523, 0.16)],  # falling, but not a buzzer: a red answer is welcome too
    "tap": [(880, 0.06)],
    "miss": [(330, 0.08)],
    "menu": [(523, 0.08), (659, 0.08), (784, 0.14)],
}


News = SpeechStarted | SpeechFinished


class Speaker(Protocol):
    def speak(self, text: str, language: str, recording: Path | None = None,
              tag: SpeechTag | None = None) -> None: ...

    def news(self) -> list[News]: ...

    def stop(self) -> None: ...

    def cue(self, name: str) -> None: ...

    def set_volume(self, level: float) -> None: ...

    def update(self) -> None: ...

    def close(self) -> None: ...


class MixerSpeaker:
    """Plays through pygame.mixer: one channel for speech, one for cues."""

    def __init__(self, narration: NarrationSource, volume: float = 0.8) -> None:
        import pygame

        self._pygame = pygame
        self._narration = narration
        self._queue: deque[tuple[str, str, Path | None, Future | None, SpeechTag | None]] = \
            deque()
        self._playing: SpeechTag | None = None  # the tagged clip on the speech channel
        self._news: list[News] = []
        self._renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="narration")
        self._speech = pygame.mixer.Channel(0)
        self._cues = pygame.mixer.Channel(1)
        self._cue_sounds = {name: pygame.mixer.Sound(buffer=_tone(notes))
                             for name, notes in CUES.items()}
        self.started: list[str] = []  # what was actually played, newest last (for tests)
        self.faults: list[str] = []
        self.set_volume(volume)

    def speak(self, text: str, language: str, recording: Path | None = None,
              tag: SpeechTag | None = None) -> None:
        pending = None
        if recording is None and self._narration.lookup(text, language) is None:
            pending = self._renderer.submit(self._narration.render, text, language)
        self._queue.append((text, language, recording, pending, tag))
        self.update()

    def news(self) -> list[News]:
        """What started and ended since the last call, oldest first."""
        news, self._news = self._news, []
        return news

    def stop(self) -> None:
        self._queue.clear()
        self._speech.stop()
        self._ended()

    def _ended(self) -> None:
        if self._playing is not None:
            self._news.append(SpeechFinished(self._playing))
            self._playing = None

    def cue(self, name: str) -> None:
        sound = self._cue_sounds.get(name)
        if sound is not None:
            self._cues.play(sound)

    def set_volume(self, level: float) -> None:
        self._speech.set_volume(level)
        self._cues.set_volume(level * 0.6)

    def update(self) -> None:
        """Start the next clip once the last one has finished (called every frame)."""
        if self._playing is not None and not self._speech.get_busy():
            self._ended()
        while self._queue and not self._speech.get_busy():
            text, language, recording, pending, tag = self._queue[0]
            if pending is not None and not pending.done():
                return
            self._queue.popleft()
            if tag is not None:
                self._news.append(SpeechStarted(tag))
                self._playing = tag
            path = recording or self._narration.lookup(text, language)
            if path is None:
                self._fault(f"Some words could not be read aloud (no {language} narration for "
                            f"\"{text[:30]}…\"); they are shown on screen.")
                self._ended()
                continue
            try:
                self._speech.play(self._pygame.mixer.Sound(str(path)))
                self.started.append(text)
            except (self._pygame.error, OSError) as error:
                self._fault(f"A sound file could not be played ({path.name}: {error}); the "
                            "words are shown on screen.")
                self._ended()

    def _fault(self, message: str) -> None:
        self.faults.append(message)
        log.warning(message)

    def close(self) -> None:
        self.stop()
        self._renderer.shutdown(wait=False, cancel_futures=True)


WORDS_PER_SECOND = 2.5  # espeak-ng's default pace, for words with no clip to time


def clip_seconds(path: Path | None, text: str) -> float:
    """How long words take to say: the clip's own length, or an estimate from the words."""
    if path is not None:
        try:
            with wave.open(str(path), "rb") as clip:
                return clip.getnframes() / clip.getframerate()
        except (OSError, EOFError, wave.Error):
            pass
    return max(1.0, len(text.split()) / WORDS_PER_SECOND)


class SilentSpeaker:
    """No sound device: the walk goes on with words on screen; the facilitator is told once.

    Tagged words still "play" for as long as they would take to say (timed on ``clock``), so a
    read-along screen still shows each passage, large, for as long as it takes to read.
    """

    def __init__(self, reason: str, narration: NarrationSource | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reason = reason
        self.started: list[str] = []
        self.faults = [reason]
        self._narration = narration
        self._clock = clock
        self._queue: deque[tuple[SpeechTag | None, float]] = deque()
        self._playing: tuple[SpeechTag | None, float] | None = None  # (tag, ends at)
        self._news: list[News] = []

    def speak(self, text: str, language: str, recording: Path | None = None,
              tag: SpeechTag | None = None) -> None:
        self.started.append(text)
        path = recording
        if path is None and self._narration is not None:
            path = self._narration.lookup(text, language)
        self._queue.append((tag, clip_seconds(path, text)))
        self.update()

    def news(self) -> list[News]:
        news, self._news = self._news, []
        return news

    def stop(self) -> None:
        self._queue.clear()
        self._end()

    def _end(self) -> None:
        if self._playing is not None and self._playing[0] is not None:
            self._news.append(SpeechFinished(self._playing[0]))
        self._playing = None

    def cue(self, name: str) -> None: ...

    def set_volume(self, level: float) -> None: ...

    def update(self) -> None:
        now = self._clock()
        if self._playing is not None and now >= self._playing[1]:
            self._end()
        if self._playing is None and self._queue:
            tag, seconds = self._queue.popleft()
            self._playing = (tag, now + seconds)
            if tag is not None:
                self._news.append(SpeechStarted(tag))

    def close(self) -> None: ...


def open_speaker(narration: NarrationSource, volume: float = 0.8,
                 clock: Callable[[], float] = time.monotonic) -> MixerSpeaker | SilentSpeaker:
    """The real speaker if the sound device opens, else a silent one that says why (timing
    the words it cannot say on ``clock``)."""
    import pygame

    try:
        pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=512)
    except pygame.error as error:
        reason = (f"No sound: the speaker could not be opened ({error}). Check that it is "
                  "plugged in and switched on, then restart the kiosk.")
        log.warning(reason)
        return SilentSpeaker(reason, narration, clock)
    return MixerSpeaker(narration, volume)
