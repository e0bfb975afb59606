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
import math
import time
import wave
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple, Protocol

from kiosk.walk.events import SpeechFinished, SpeechStarted, SpeechTag

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


class Words(NamedTuple):
    """Words waiting to be said: a clip being rendered (``pending``), or how long the silent
    speaker "says" them (``seconds``)."""

    text: str
    language: str
    recording: Path | None
    tag: SpeechTag | None
    pending: Future | None = None
    seconds: float = 0.0


class _Voice:
    """What every speaker does alike: words said in turn, and news for the walk when tagged
    words start and end. Each kind says how it plays (``_play``), when it is still playing
    (``_busy``) and how it falls silent (``_hush``)."""

    def __init__(self) -> None:
        self._queue: deque[Words] = deque()
        self._playing: SpeechTag | None = None  # the tagged words being said
        self._news: list[News] = []
        self.started: list[str] = []  # what was said, newest last (for tests)
        self.faults: list[str] = []

    def speak(self, text: str, language: str, recording: Path | None = None,
              tag: SpeechTag | None = None) -> None:
        self._queue.append(self._words(text, language, recording, tag))
        self.update()

    def news(self) -> list[News]:
        """What started and ended since the last call, oldest first."""
        news, self._news = self._news, []
        return news

    def stop(self) -> None:
        self._queue.clear()
        self._hush()
        self._ended()

    def update(self) -> None:
        """Start the next words once the last have been said (called every step)."""
        if not self._busy():
            self._ended()
        while self._queue and not self._busy():
            words = self._queue[0]
            if words.pending is not None and not words.pending.done():
                return
            self._queue.popleft()
            if words.tag is not None:
                self._news.append(SpeechStarted(words.tag))
                self._playing = words.tag
            if not self._play(words):
                self._ended()

    def _ended(self) -> None:
        if self._playing is not None:
            self._news.append(SpeechFinished(self._playing))
            self._playing = None

    def _fault(self, message: str) -> None:
        self.faults.append(message)  # (the app logs it and shows it: KioskApp.notice_faults)

    def close(self) -> None:
        self.stop()

    def _words(self, text: str, language: str, recording: Path | None,
               tag: SpeechTag | None) -> Words:
        return Words(text, language, recording, tag)

    def _play(self, words: Words) -> bool:
        """Start saying ``words``; False if they cannot be said (they end at once)."""
        raise NotImplementedError

    def _busy(self) -> bool:
        raise NotImplementedError

    def _hush(self) -> None:
        raise NotImplementedError


class MixerSpeaker(_Voice):
    """Plays through pygame.mixer: one channel for speech, one for cues."""

    def __init__(self, narration: NarrationSource, volume: float = 0.8) -> None:
        import pygame

        super().__init__()
        self._pygame = pygame
        self._narration = narration
        self._renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="narration")
        self._speech = pygame.mixer.Channel(0)
        self._cues = pygame.mixer.Channel(1)
        self._cue_sounds = {name: pygame.mixer.Sound(buffer=_tone(notes))
                            for name, notes in CUES.items()}
        self.set_volume(volume)

    def _words(self, text: str, language: str, recording: Path | None,
               tag: SpeechTag | None) -> Words:
        pending = None
        if recording is None and self._narration.lookup(text, language) is None:
            pending = self._renderer.submit(self._narration.render, text, language)
        return Words(text, language, recording, tag, pending)

    def _play(self, words: Words) -> bool:
        path = words.recording or self._narration.lookup(words.text, words.language)
        if path is None:
            self._fault(f"Some words could not be read aloud (no {words.language} narration "
                        f"for \"{words.text[:30]}…\"); they are shown on screen.")
            return False
        try:
            self._speech.play(self._pygame.mixer.Sound(str(path)))
        except (self._pygame.error, OSError) as error:
            self._fault(f"A sound file could not be played ({path.name}: {error}); the "
                        "words are shown on screen.")
            return False
        self.started.append(words.text)
        return True

    def _busy(self) -> bool:
        return self._speech.get_busy()

    def _hush(self) -> None:
        self._speech.stop()

    def cue(self, name: str) -> None:
        sound = self._cue_sounds.get(name)
        if sound is not None:
            self._cues.play(sound)

    def set_volume(self, level: float) -> None:
        self._speech.set_volume(level)
        self._cues.set_volume(level * 0.6)

    def close(self) -> None:
        super().close()
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


class SilentSpeaker(_Voice):
    """No sound device: the walk goes on with words on screen; the facilitator is told once.

    Tagged words still "play" for as long as they would take to say (timed on ``clock``), so a
    read-along screen still shows each passage, large, for as long as it takes to read.
    """

    def __init__(self, reason: str, narration: NarrationSource | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.reason = reason
        self.faults.append(reason)
        self._narration = narration
        self._clock = clock
        self._until = float("-inf")  # when the words being "said" end

    def _words(self, text: str, language: str, recording: Path | None,
               tag: SpeechTag | None) -> Words:
        self.started.append(text)
        path = recording
        if path is None and self._narration is not None:
            path = self._narration.lookup(text, language)
        return Words(text, language, recording, tag, seconds=clip_seconds(path, text))

    def _play(self, words: Words) -> bool:
        self._until = self._clock() + words.seconds
        return True

    def _busy(self) -> bool:
        return self._clock() < self._until

    def _hush(self) -> None:
        self._until = float("-inf")

    def cue(self, name: str) -> None: ...

    def set_volume(self, level: float) -> None: ...


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
        return SilentSpeaker(reason, narration, clock)
    return MixerSpeaker(narration, volume)
