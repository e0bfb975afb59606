"""Narration made ahead: every ``say`` and ``ask`` is spoken to a WAV file at install time.

Speaking live on a Raspberry Pi is slow to start and can clash with pygame over the sound
device, so the kiosk only ever *plays files*. Files live in one shared cache, named by a
hash of text + voice + speed: a screen whose words did not change is never rendered twice,
and two decks that ask the same question share one file.

The run loop calls ``NarrationCache.lookup`` (or ``for_screen``) on every button press,
so those never render and never touch the speech engine after the first call.

Rendering happens in killable worker processes (kiosk.decks.speech_worker): a stalled clip
costs seconds and is made again, never the rest of the deck. An install reports the clips
it made, reused and could not make; ``kiosk run`` makes any missing ones at start
(kiosk.decks.narration_repair).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import uuid
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.decks.languages import english_name
from kiosk.durable import fsync_folder, replace_durably, sync_file, write_atomically
from kiosk.errors import KioskError, StorageProblem

if TYPE_CHECKING:
    from kiosk.decks.model import Deck, Screen
    from kiosk.home import Home

DEFAULT_RATE = 150
"""Words per minute. Slower than espeak-ng's own 175: participants include people with
learning disabilities and people listening in their second language."""

PYTTSX3_DEFAULT_RATE = 200  # what pyttsx3's espeak driver sets when it starts
CACHE_FORMAT = "1"  # part of every key: bump it to make every file render again
SCRATCH_PREFIX = ".rendering-"
VOICES_FILE = "voices.json"  # the engine's voice list, for finding clips when it cannot start


class SpeechFailed(KioskError):
    """The speech engine could not speak one text."""


@dataclass(frozen=True)
class Voice:
    id: str  # what the engine is given, e.g. "gmw/en"
    name: str
    languages: tuple[str, ...]  # lower-case tags as the engine spells them, e.g. ("en-gb",)


class SpeechEngine(Protocol):
    """What the cache needs from a text-to-speech engine: its voices, and one file per text."""

    def voices(self) -> list[Voice]: ...

    def render(self, text: str, voice: str, rate: int, dest_wav: Path) -> None:
        """Write ``text`` spoken by ``voice`` at ``rate`` words a minute to ``dest_wav``."""


class NoSpeechEngine:
    """For a machine with no speech engine: decks still install, without narration."""

    def __init__(self, reason: str = "there is no speech engine on this machine") -> None:
        self.reason = reason

    def voices(self) -> list[Voice]:
        return []

    def render(self, text: str, voice: str, rate: int, dest_wav: Path) -> None:
        raise SpeechFailed(self.reason)


class Pyttsx3Engine:
    """pyttsx3 driving espeak-ng, one clip at a time.

    Measured with pyttsx3 2.99 and espeak-ng 1.51: synthesis runs on espeak's own thread,
    so ``runAndWait`` can return before a long text is finished, its "finished-utterance"
    notice can arrive late (and be taken for the next clip's), and several queued saves in
    one run lose clips. So each clip is one ``save_to_file`` + ``runAndWait``, and the clip
    counts as done only when its WAV file is complete on disk. pyttsx3 prints "Audio saved
    to ..." for each file; that is swallowed.

    The speed is not reliably applied either: choosing a voice can reset it, and now and then
    a new process's first clip comes out at pyttsx3's default 200 words a minute. So the
    speed is set after the voice for every clip, a clip whose speed reads back as that
    default is thrown away, and an engine refuses a second rate rather than file a clip
    under the wrong cache key. The kiosk uses one rate throughout.

    A failure here marks the engine broken for this process. The kiosk therefore runs this
    class only inside speech worker processes (kiosk.decks.speech_worker), which are killed
    and started afresh after a stall or a failure.
    """

    # espeak-ng can be started once per process and pyttsx3.init() hands every caller the
    # same engine, so this state is shared by all instances in a process.
    _lock = threading.Lock()
    _engine: Any = None  # a pyttsx3 Engine (pyttsx3 has no type hints)
    _broken: str | None = None
    _voices: list[Voice] | None = None
    _rate: int | None = None

    @classmethod
    def _started(cls) -> Any:
        if cls._broken:
            raise SpeechFailed(cls._broken)
        if cls._engine is None:
            try:
                import pyttsx3

                cls._engine = pyttsx3.init()
                _quiet_pyttsx3_driver()
            except Exception as error:  # noqa: BLE001 - missing library, missing espeak-ng...
                cls._broken = f"the speech engine could not start ({type(error).__name__})"
                raise SpeechFailed(cls._broken) from None
        return cls._engine

    def voices(self) -> list[Voice]:
        if Pyttsx3Engine._voices is not None:  # never wait behind a render for a known list
            return list(Pyttsx3Engine._voices)
        with self._lock:
            if Pyttsx3Engine._voices is None:
                try:
                    found = self._started().getProperty("voices") or []
                except SpeechFailed:
                    return []
                Pyttsx3Engine._voices = [
                    Voice(
                        id=str(v.id),
                        name=str(getattr(v, "name", v.id)),
                        languages=tuple(
                            str(lang).lower() for lang in (getattr(v, "languages", None) or [])
                        ),
                    )
                    for v in found
                ]
            return list(Pyttsx3Engine._voices)

    def render(self, text: str, voice: str, rate: int, dest_wav: Path) -> None:
        with self._lock:
            engine = self._started()
            if Pyttsx3Engine._rate is None:
                Pyttsx3Engine._rate = rate
            elif rate != Pyttsx3Engine._rate:
                raise SpeechFailed(
                    f"this speech engine already speaks at {Pyttsx3Engine._rate} words a "
                    f"minute; {rate} needs a new process"
                )
            try:
                engine.setProperty("voice", voice)
            except (ValueError, KeyError) as error:
                raise SpeechFailed(f"the voice {voice!r} could not be chosen") from error
            engine.setProperty("rate", rate)  # after the voice, which can reset the speed
            with contextlib.suppress(FileNotFoundError):
                os.unlink(dest_wav)
            deadline = time.monotonic() + 20 + len(text) / 20  # espeak-ng is far quicker
            engine.save_to_file(text, str(dest_wav))
            engine.runAndWait()
            while not _complete_wav(dest_wav):
                if time.monotonic() > deadline:
                    with contextlib.suppress(Exception):
                        engine.stop()
                    Pyttsx3Engine._broken = "the speech engine stopped answering"
                    raise SpeechFailed(Pyttsx3Engine._broken)
                time.sleep(0.002)
            if engine.getProperty("rate") == PYTTSX3_DEFAULT_RATE != rate:
                # Seen about 1 clip in 40, always a new process's first: espeak-ng back at
                # pyttsx3's default speed, and the clip spoken at it (other values read
                # back here, such as espeak-ng's own 175, come with clips at the right
                # speed). The clip would be filed under the wrong key, so it is thrown away
                # and this process is not trusted again; a speech worker then makes it again
                # in a fresh process.
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(dest_wav)
                Pyttsx3Engine._broken = "the speech engine changed its speed during a clip"
                raise SpeechFailed(Pyttsx3Engine._broken)


def _quiet_pyttsx3_driver() -> None:
    """pyttsx3's espeak driver prints "Audio saved to ..." for every clip, on whatever thread.

    Redirecting sys.stdout around each render would also swallow the main thread's output
    while a render runs in the background, so that one module's ``print`` is silenced instead.
    """
    try:
        from pyttsx3.drivers import espeak as driver
    except ImportError:
        return
    driver.print = lambda *args, **kwargs: None


def default_engine() -> SpeechEngine:
    """pyttsx3 + espeak-ng in killable worker processes (kiosk.decks.speech_worker) when
    pyttsx3 can be imported; otherwise an engine that explains why there is none.

    Nothing starts until the first voice or render is asked for.
    """
    try:
        import pyttsx3  # noqa: F401
    except ImportError:
        return NoSpeechEngine("pyttsx3 is not installed, so nothing can be read aloud")
    from kiosk.decks.speech_worker import WorkerEngine

    return WorkerEngine()


def choose_voice(language: str, voices: Iterable[Voice]) -> str | None:
    """The voice for a BCP 47 tag: the closest match, 'en-GB-x-foo' -> 'en-GB' -> 'en'.

    When only regional voices exist for the language ('en' with 'en-gb' and 'en-us'), the
    voice named after the bare language (espeak-ng's 'gmw/en') is preferred.
    """
    voices = list(voices)
    subtags = language.strip().lower().replace("_", "-").split("-")
    for length in range(len(subtags), 0, -1):
        tag = "-".join(subtags[:length])
        for voice in voices:
            if tag in voice.languages:
                return voice.id
    primary = subtags[0]
    same = [v for v in voices if any(lang.split("-")[0] == primary for lang in v.languages)]
    for voice in same:
        if voice.id.rsplit("/", 1)[-1] == primary:
            return voice.id
    return same[0].id if same else None


@dataclass(frozen=True)
class ScreenNarration:
    """The files the kiosk plays for one screen (None: show it without sound)."""

    say: Path | None  # the recorded audio where the deck has one, else rendered narration
    ask: Path | None


@dataclass
class DeckNarration:
    """What rendering a deck's narration did, for the install report."""

    made: int = 0
    reused: int = 0
    could_not_make: int = 0  # clips a screen needs that are not there: that screen is silent
    silent: list[str] = field(default_factory=list)  # where, once each: "screen 'p3'"
    missing: list[str] = field(default_factory=list)  # plain sentences

    @property
    def complete(self) -> bool:
        """Every screen in every language offered can be read aloud."""
        return self.could_not_make == 0


@dataclass(frozen=True)
class Spoken:
    """One text to render ahead, in the language whose voice reads it."""

    language: str
    text: str
    where: str  # for the install report: "screen 'home'", "task 'add-reading'"


def narration_plan(deck: Deck) -> list[Spoken]:
    """Every text of a deck that a voice may read, each in its own language.

    Screens in the main language and in each translation (a recorded ``audio`` replaces the
    voice for its ``say``), task instructions and questions, profile questions, and each
    language's name in that language (what a participant hears when choosing). A part a
    translation leaves out falls back to the main language's text, already in the plan.
    """
    main = deck.language
    plan: list[Spoken] = []
    for screen in deck.screens:
        where = f"screen '{screen.id}'"
        if not screen.audio:
            plan.append(Spoken(main, screen.say, where))
        plan.append(Spoken(main, screen.ask, where))
        plan += [Spoken(main, part.say, where) for part in screen.parts]  # read along
        for language, t in screen.translations.items():
            plan += [Spoken(language, words, where) for words in t.parts or ()]
            if t.say and not t.audio:
                plan.append(Spoken(language, t.say, where))
            if t.ask:
                plan.append(Spoken(language, t.ask, where))
    for task in deck.tasks:
        where = f"task '{task.id}'"
        plan += [Spoken(main, task.instruction, where), Spoken(main, task.ask, where)]
        for language, words in task.translations.items():
            plan += [Spoken(language, words[key], where)
                     for key in ("instruction", "ask") if words.get(key)]
    for question in deck.profile:
        where = f"profile question '{question.id}'"
        plan.append(Spoken(main, question.question, where))
        plan += [Spoken(language, text, where) for language, text in question.translations.items()]
    for language in deck.languages:
        name = deck.language_names.get(language)
        if name:
            plan.append(Spoken(language, name, f"the name of {english_name(language)}"))
    return plan


class NarrationCache:
    """Rendered narration in one folder, keyed by sha256 of text + voice + rate."""

    def __init__(
        self, folder: Path, engine: SpeechEngine | None = None, rate: int = DEFAULT_RATE
    ) -> None:
        self.folder = Path(folder)
        self.engine: SpeechEngine = engine if engine is not None else default_engine()
        self.rate = rate
        self._voices: dict[str, str | None] = {}
        self._voice_lock = threading.Lock()

    @classmethod
    def for_home(cls, home: Home, engine: SpeechEngine | None = None) -> NarrationCache:
        """The cache every part of the kiosk shares: ``home.narration_cache``."""
        return cls(home.narration_cache, engine)

    def voice_for(self, language: str) -> str | None:
        """The engine's voice for a language, worked out once per language and remembered."""
        with self._voice_lock:
            if language not in self._voices:
                self._voices[language] = choose_voice(language, self._engine_voices())
            return self._voices[language]

    def _engine_voices(self) -> list[Voice]:
        """The voices that name the clips: the list the engine gave last time, kept in the
        cache folder, so finding made clips never waits for a speech process to start (and
        still works when it cannot, or there is no engine at all); the first time, the
        engine's own list."""
        return self._remembered_voices() or self._fresh_voices()

    def _fresh_voices(self) -> list[Voice]:
        """The engine's voices now, remembered in the cache folder if they changed."""
        voices = self.engine.voices()
        if voices:
            text = json.dumps([[v.id, v.name, list(v.languages)] for v in voices], indent=0)
            remembered = self.folder / VOICES_FILE
            with contextlib.suppress(OSError):
                if not remembered.is_file() or remembered.read_text("utf-8") != text:
                    self.folder.mkdir(parents=True, exist_ok=True)
                    write_atomically(remembered, text.encode("utf-8"))
        return voices

    def _remembered_voices(self) -> list[Voice]:
        try:
            found = json.loads((self.folder / VOICES_FILE).read_text("utf-8"))
            return [Voice(str(v[0]), str(v[1]), tuple(str(x) for x in v[2])) for v in found]
        except (OSError, ValueError, TypeError, IndexError):
            return []

    def _check_voice(self, language: str, voice: str) -> str | None:
        """Before the engine renders: the remembered list may be older than the engine (an
        espeak-ng upgrade); if the voice is gone, choose again from the engine's own list."""
        fresh = self._fresh_voices()
        if not fresh or any(v.id == voice for v in fresh):
            return voice
        with self._voice_lock:
            self._voices.clear()
        return self.voice_for(language)

    def voice_available(self, language: str) -> bool:
        return self.voice_for(language) is not None

    def missing_reason(self, language: str) -> str | None:
        """Why a deck in this language cannot be read aloud here, or None if it can."""
        if self.voice_available(language):
            return None
        if isinstance(self.engine, NoSpeechEngine):
            return self.engine.reason
        if not self.engine.voices():
            reason = getattr(self.engine, "reason", None)
            return reason or "the speech engine (espeak-ng) could not be started on this machine"
        return f"this machine's speech engine has no voice for the language '{language}'"

    def path_for(self, text: str, voice: str) -> Path:
        key = f"{CACHE_FORMAT}\0{voice}\0{self.rate}\0{_normal(text)}"
        return self.folder / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.wav"

    def lookup(self, text: str, language: str) -> Path | None:
        """The narration file for a text, if it was rendered; never renders (button path)."""
        voice = self.voice_for(language)
        if voice is None:
            return None
        path = self.path_for(text, voice)
        return path if path.is_file() else None

    def render(self, text: str, language: str) -> Path | None:
        """The narration file for a text, rendering it first if needed.

        None when there is no voice for the language. Raises SpeechFailed if the engine
        fails on this text and StorageProblem if the disk refuses the file; a half-written
        file is never left under the final name.
        """
        voice = self.voice_for(language)
        if voice is None:
            return None
        final = self.path_for(text, voice)
        if final.is_file():
            return final
        voice = self._check_voice(language, voice)
        if voice is None:
            return None
        final = self.path_for(text, voice)
        if final.is_file():
            return final
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageProblem(f"the narration folder {self.folder} cannot be written") from error
        scratch = self.folder / f"{SCRATCH_PREFIX}{uuid.uuid4().hex}.wav"
        try:
            self.engine.render(_normal(text), voice, self.rate, scratch)
            _check_wav(scratch)
            sync_file(scratch)
            replace_durably(scratch, final, sync_folder=False)  # the folder: once per batch
        except OSError as error:
            raise StorageProblem(
                f"the narration could not be saved in {self.folder} ({error.strerror or error})"
            ) from error
        finally:
            with contextlib.suppress(OSError):
                scratch.unlink()
        return final

    def render_deck(
        self, deck: Deck, parallel: int | None = None, on_clip: Callable[[], None] | None = None
    ) -> DeckNarration:
        """Render every text of a deck, ``parallel`` at once (default: as many as the engine
        has workers); problems become sentences and counts, not failures. ``on_clip`` is
        called after each clip the engine was asked for, made or not.

        A disk that refuses writes still raises StorageProblem, so an install can stop
        with nothing changed.
        """
        report = DeckNarration()
        todo = self._clips(deck, report)
        failed: list[tuple[Spoken, str]] = []
        threads = parallel if parallel else int(getattr(self.engine, "parallel", 1))
        with ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="render") as pool:
            futures = {pool.submit(self.render, s.text, s.language): s for s in todo}
            try:
                for future in as_completed(futures):
                    try:
                        future.result()
                        report.made += 1
                    except SpeechFailed as error:
                        failed.append((futures[future], str(error)))
                    if on_clip is not None:
                        on_clip()
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        if failed:
            report.could_not_make += len(failed)
            wheres = [s.where for s, _ in sorted(failed, key=lambda f: todo.index(f[0]))]
            report.silent += [w for w in dict.fromkeys(wheres) if w not in report.silent]
            report.missing.append(
                f"narration could not be made for {', '.join(dict.fromkeys(wheres))} "
                f"({failed[-1][1]})"
            )
        if report.made:
            self.sync()
        return report

    def clips_to_make(self, deck: Deck) -> list[Spoken]:
        """The texts of a deck that a voice here could read but that are not rendered yet."""
        return self._clips(deck, DeckNarration())

    def _clips(self, deck: Deck, report: DeckNarration) -> list[Spoken]:
        """The clips still to render, once each; counts the reused ones and those no voice
        here can make (in the main language: silent screens; a translation with no voice is
        only noted, since it is then not offered)."""
        silent: set[str] = set()
        reason = self.missing_reason(deck.language)
        if reason:
            report.missing.append(f"narration is missing: {reason}")
            silent.add(deck.language)
        for language in deck.languages[1:]:
            if not self.voice_available(language):
                report.missing.append(_no_voice_note(deck, language))
                silent.add(language)
        todo: list[Spoken] = []
        seen: set[tuple[str, str]] = set()
        for spoken in narration_plan(deck):
            key = (spoken.language, _normal(spoken.text))
            if key in seen:
                continue
            seen.add(key)
            if spoken.language in silent:
                if spoken.language == deck.language:
                    report.could_not_make += 1
                    if spoken.where not in report.silent:
                        report.silent.append(spoken.where)
            elif self.lookup(spoken.text, spoken.language):
                report.reused += 1
            else:
                todo.append(spoken)
        return todo

    def for_screen(
        self, deck: Deck, screen: Screen, language: str | None = None
    ) -> ScreenNarration:
        """The files to play for a screen, in ``language`` where the deck translates it (each
        part it leaves out in the main language's voice); cheap enough for a button press."""
        main = deck.language
        t = screen.translations.get(language) if language and language != main else None
        if t is not None and t.say:
            say = deck.path_of(t.audio) if t.audio else self.lookup(t.say, language or main)
        else:
            say = deck.path_of(screen.audio) if screen.audio else self.lookup(screen.say, main)
        if t is not None and t.ask:
            ask = self.lookup(t.ask, language or main)
        else:
            ask = self.lookup(screen.ask, main)
        return ScreenNarration(say=say, ask=ask)

    def sync(self) -> None:
        """Make the new files' names survive a power cut (each file's data already does)."""
        fsync_folder(self.folder)

    def clean_scratch(self, older_than: float = 600.0) -> None:
        """Remove half-rendered files left by a process that was killed."""
        now = time.time()
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.startswith(SCRATCH_PREFIX):
                    with contextlib.suppress(OSError):
                        if now - entry.stat().st_mtime > older_than:
                            os.unlink(entry.path)


def _no_voice_note(deck: Deck, language: str) -> str:
    """A translation this kiosk cannot voice: said plainly, with what it means for the walk."""
    name = english_name(language)
    name = name[0].upper() + name[1:]
    recorded = sum(
        1 for s in deck.screens if (t := s.translations.get(language)) is not None and t.audio
    )
    note = f"{name} has no voice here; it will be offered only for screens with recorded audio"
    if recorded:
        return f"{note} ({recorded} of {len(deck.screens)} screens have one)"
    return f"{note}, and this deck has none in {english_name(language)}, so it will not be offered"


def _normal(text: str) -> str:
    """Line breaks and double spaces change nothing in speech, so they change no key."""
    return " ".join(text.split())


def _complete_wav(path: Path) -> bool:
    """True once a WAV file is closed: its header then counts every frame that follows."""
    try:
        size = os.path.getsize(path)
        with wave.open(str(path), "rb") as clip:
            frames, width, channels = clip.getnframes(), clip.getsampwidth(), clip.getnchannels()
    except (OSError, wave.Error, EOFError):
        return False
    return frames > 0 and size >= 44 + frames * width * channels


def _check_wav(path: Path) -> None:
    try:
        with wave.open(str(path), "rb") as clip:
            if clip.getnframes() <= 0:
                raise SpeechFailed("the speech engine made an empty recording")
    except (wave.Error, EOFError) as error:
        raise SpeechFailed("the speech engine made an unreadable recording") from error
    except FileNotFoundError as error:
        raise SpeechFailed("the speech engine made no recording") from error
