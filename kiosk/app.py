"""The kiosk's main loop: the one place where the walk meets the screen, speaker, buttons and log.

Each frame: gather events (keyboard, touch, GPIO buttons, USB sticks, finished jobs), let the
walk answer them, carry out its effects (speech, cues, log records written durably before the
frame is drawn), then draw the walk's view. Slow jobs (installing decks, copying logs) run on a
worker thread and report back as events, so the screen never freezes.
"""

from __future__ import annotations

import logging
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kiosk.walk.events import (
    BeginSession,
    Cue,
    Effect,
    EndSession,
    Event,
    Exit,
    JobFinished,
    Quit,
    Record,
    SetVolume,
    Speak,
    StartJob,
    StickInserted,
    StickRemoved,
    StopSpeech,
)
from kiosk.walk.walk import Walk

log = logging.getLogger(__name__)


class SessionLog(Protocol):
    """What the loop needs from the session log (kiosk.sessions.log.ResponseLog)."""

    def start_session(self, deck_id: str, deck_version: int, venue: str) -> str: ...

    def record(self, session_id: str, kind: str, **fields: Any) -> str: ...

    def end_session(self, session_id: str, reason: str = "ended") -> None: ...


class InputSource(Protocol):
    """Anything that turns the outside world into walk events (GPIO buttons, a USB watcher)."""

    def poll(self, now: float) -> list[Event]: ...


@dataclass(frozen=True)
class JobResult:
    """What a slow job reports: whether it worked, a plain message, and the decks if it
    changed them (the walk takes them on the main loop, never from the worker thread)."""

    ok: bool
    message: str
    decks: tuple[Any, ...] | None = None


@dataclass
class Jobs:
    """Slow work asked for by the walk, by name: each is given the USB stick in the slot (or
    None) and returns a ``JobResult``."""

    handlers: dict[str, Callable[[Path | None], JobResult]] = field(default_factory=dict)


class Watcher(Protocol):
    """Background work the facilitator should hear about (e.g. narration being made)."""

    status: str  # what the banner says while it matters; "" when all is well
    faults: list[str]  # lasting problems, newest last, each reported once


def banner_line(fault: str, watchers: Iterable[Watcher]) -> str:
    """The facilitator's banner: a fault first, else the first watcher with something to say."""
    return fault or next((w.status for w in watchers if w.status), "")


class KioskApp:
    """Runs a ``Walk`` against real edges, drawing on a pygame Surface (window or off-screen)."""

    def __init__(
        self,
        walk: Walk,
        painter,
        speaker,
        session_log: SessionLog | None,
        inputs: Iterable[InputSource] = (),
        jobs: Jobs | None = None,
        clock: Callable[[], float] = time.monotonic,
        error_log: Path | None = None,
        lamps: Callable[[str, str], None] | None = None,
        button_edges=None,
        keys=None,
        on_session_start: Callable[[str, str], None] | None = None,
        closers: Iterable[Any] = (),
        fault: str = "",
        watchers: Iterable[Watcher] = (),
    ) -> None:
        self.walk = walk
        self.painter = painter
        self.speaker = speaker
        self.session_log = session_log
        self.inputs = list(inputs)
        self.jobs = jobs or Jobs()
        self.clock = clock
        self.error_log = error_log
        self.lamps = lamps
        self.button_edges = button_edges  # the keys' press rules (hold both, mashing)
        self.keys = keys  # a kiosk.screen.keys.KeyMap; None = the documented default keys
        self.session_id: str | None = None
        self.posted: queue.Queue[Event] = queue.Queue()  # from other threads and signals
        self.running = True
        self.shutdown_requested = False
        self.fault = fault  # a plain sentence for the facilitator, shown in the banner
        self.watchers = list(watchers)
        self._worker: threading.Thread | None = None
        self.stick: Path | None = None  # the USB stick in the slot, if any
        self.on_session_start = on_session_start  # remembers the session for after a power cut
        self.closers = list(closers)  # things with close(): buttons, the log
        self._closed = False
        self._faults_seen: dict[int, int] = {}

    # ------------------------------------------------------------------ effects

    def apply(self, effects: Iterable[Effect]) -> None:
        for effect in effects:
            if isinstance(effect, Speak):
                self.speaker.speak(effect.text, effect.language, effect.recording, effect.tag)
            elif isinstance(effect, StopSpeech):
                self.speaker.stop()
            elif isinstance(effect, Cue):
                self.speaker.cue(effect.name)
            elif isinstance(effect, SetVolume):
                self.speaker.set_volume(effect.level)
            elif isinstance(effect, (BeginSession, EndSession, Record)):
                self._log(effect)
            elif isinstance(effect, StartJob):
                self._start_job(effect.job)
            elif isinstance(effect, Exit):
                self.running = False
                self.shutdown_requested = effect.shutdown

    def _log(self, effect: BeginSession | EndSession | Record) -> None:
        """Write to the session log now, before the next frame acknowledges the press."""
        if self.session_log is None:
            return
        try:
            if isinstance(effect, BeginSession):
                self.session_id = self.session_log.start_session(
                    effect.deck_id, effect.deck_version, effect.venue)
                if self.on_session_start is not None:
                    self.on_session_start(effect.deck_id, effect.venue)
            elif isinstance(effect, EndSession):
                if self.session_id:
                    self.session_log.end_session(self.session_id, effect.reason)
                self.session_id = None
            elif self.session_id:
                self.session_log.record(self.session_id, effect.kind, **effect.fields)
        except Exception as error:  # noqa: BLE001 - a full disk must not stop the kiosk
            self.fault = f"Answers are not being saved: {error}"
            self._write_error_log(traceback.format_exc())

    _waker = None  # while ``run`` sleeps: what wakes it

    def post(self, event: Event) -> None:
        """An event from another thread or a signal handler, handled on the next step (at
        once if the loop is asleep)."""
        self.posted.put(event)
        waker = self._waker
        if waker is not None:
            waker.wake()

    def _start_job(self, name: str) -> None:
        handler = self.jobs.handlers.get(name)
        if handler is None:
            self.posted.put(JobFinished(name, False, "That is not available on this kiosk."))
            return
        if self._worker is not None and self._worker.is_alive():
            self.posted.put(JobFinished(name, False, "Another job is still running. Try again."))
            return

        def work() -> None:
            try:
                result = handler(self.stick)
            except Exception as error:  # noqa: BLE001 - reported to the facilitator plainly
                self._write_error_log(traceback.format_exc())
                result = JobResult(False, str(error) or "Something went wrong.")
            self.post(JobFinished(name, result.ok, result.message, result.decks))

        self._worker = threading.Thread(target=work, name=f"job-{name}", daemon=True)
        self._worker.start()

    # ------------------------------------------------------------------ one frame

    def step(self, pygame_events: Iterable[Any] = ()) -> None:
        """Everything that happens in one frame, except drawing."""
        from kiosk.screen.keys import KeyMap, button_edge, translate

        if self.keys is None:
            self.keys = KeyMap.from_names()
        now = self.clock()
        events: list[Event] = []
        window = (self.painter.width, self.painter.height)
        for raw in pygame_events:
            edge = button_edge(raw, self.keys)
            if edge is not None:
                events += self._button(edge, now)
                continue
            event = translate(raw, self.painter.to_image_pixels, window, self.keys)
            if event is not None:
                events.append(event)
        if self.button_edges is not None:
            events += self.button_edges.tick(now)
        for source in self.inputs:
            events += source.poll(now)
        while not self.posted.empty():
            events.append(self.posted.get_nowait())
        for event in events:
            if isinstance(event, StickInserted):
                self.stick = event.mount
            elif isinstance(event, StickRemoved) and event.mount == self.stick:
                self.stick = None
            self.apply(self.walk.handle(event, now))
        self.apply(self.walk.tick(now))
        self.speaker.update()
        for news in self.speaker.news():  # what the voice began and ended: read-along follows
            self.apply(self.walk.handle(news, now))
        self.notice_faults()

    def notice_faults(self) -> None:
        """Sound and picture trouble goes to the facilitator's banner and the error log."""
        for source in (self.speaker, getattr(self.painter, "images", None), *self.watchers):
            faults = getattr(source, "faults", None)
            if not faults:
                continue
            seen = self._faults_seen.get(id(source), 0)
            for message in faults[seen:]:
                self.fault = message
                self._write_error_log(message)
            self._faults_seen[id(source)] = len(faults)

    def _button(self, edge: tuple[str, bool], now: float) -> list[Event]:
        from kiosk.walk.events import Green, Red

        name, pressed = edge
        if self.button_edges is not None:
            return self.button_edges.edge(name, pressed, now)
        if not pressed:
            return []
        return [Green() if name == "green" else Red()]

    _shown = None  # the view last drawn: the screen is only drawn again when it changes

    def draw(self, surface) -> None:
        """Draw the whole current view, whatever is on the surface already."""
        view = self.current_view()
        self.painter.draw(surface, view, self.clock())
        self._shown = view
        if self.lamps is not None:
            self.lamps(*view.lamps)  # the lamps breathe on their own (gpiozero's pulse)
        self._load_ahead(view)

    def refresh(self, surface) -> list:
        """Draw what changed since the last drawing; the areas to show (none if nothing did).

        A press on a deck screen changes only the tick or cross and the lamps: those few
        areas are drawn alone, so the answer shows at once whatever the screen's size.
        """
        view = self.current_view()
        if view == self._shown and not self._zooming():
            return []
        acknowledge = getattr(self.painter, "acknowledge", None)
        if self._shown is not None and acknowledge is not None:
            areas = acknowledge(surface, view, self.clock())
            if areas is not None:
                self._shown = view
                if self.lamps is not None:
                    self.lamps(*view.lamps)
                return areas
        self.draw(surface)
        return [surface.get_rect()]

    def current_view(self):
        """The walk's view, with the facilitator's banner if something is wrong."""
        view = self.walk.view(self.clock())
        banner = banner_line(self.fault, self.watchers)
        if banner and not view.banner:
            from dataclasses import replace

            view = replace(view, banner=banner)
        return view

    def _load_ahead(self, view) -> None:
        """Ask for the next screens' images now, so a press never waits on the disk."""
        deck = view.deck
        if deck is None or deck.folder is None:
            return
        self.painter.prefetch([deck.path_of(screen.image) for screen in view.upcoming], view)

    def recover(self, error: BaseException) -> None:
        """A bug somewhere in a frame: keep the details, calm the screen, start again."""
        self._write_error_log(traceback.format_exc())
        self.fault = "The kiosk had a problem and restarted the walk. Answers so far are kept."
        try:
            self.apply(self.walk.restart(self.clock()))
        except Exception:  # noqa: BLE001
            self._write_error_log(traceback.format_exc())
            self.running = False

    def _write_error_log(self, details: str) -> None:
        log.error(details)
        if self.error_log is None:
            return
        try:
            with open(self.error_log, "a", encoding="utf-8") as handle:
                handle.write(time.strftime("%Y-%m-%d %H:%M:%S ") + details + "\n")
        except OSError:
            pass

    # ------------------------------------------------------------------ the real loop

    def run(self, surface, frames: int | None = None, fps: int = 30) -> None:
        """Run until Quit (window closed, Ctrl+C, SIGTERM) or ``frames`` steps have passed.

        At rest it rests (a Pi Zero has one slow core for everything): a step runs when
        something happened or the ``Pace`` says time matters, the screen is drawn only when
        the view changed, a breathing glow is redrawn alone in its own small area, and in
        between the loop sleeps.
        """
        import pygame

        from kiosk.pace import Pace
        from kiosk.screen.wakeup import Waker

        self._waker = waker = Waker()
        self._catch_signals()
        for source in self.inputs:
            if hasattr(source, "on_edge"):  # GPIO buttons wake the loop at once
                source.on_edge = waker.wake
        self.apply(self.walk.startup_effects())
        self._shown = None  # the first step draws the whole screen, whatever is on it
        pace = Pace(frame=1 / fps, settle=self._settle_seconds())
        if waker.watch_display():  # keys and touches wake the loop: no need to look for them
            pace.poll = float("inf")
        count = 0
        woken = False
        try:
            while self.running and (frames is None or count < frames):
                raw = pygame.event.get()
                moment = time.monotonic()
                if raw or woken or not self.posted.empty() or pace.step_due(moment):
                    try:
                        self.step(raw)
                        areas = self.refresh(surface)
                        if areas:
                            pygame.display.update(areas)
                    except Exception as error:  # noqa: BLE001 - the participant sees "one moment"
                        self.recover(error)
                        self._shown = None
                        pygame.display.flip()
                    edges = woken or any(e.type in (pygame.KEYDOWN, pygame.KEYUP) for e in raw)
                    pace.stepped(moment, self._timing_matters(), edges)
                    count += 1
                elif getattr(self.painter, "glows", None) and pace.breath_due(moment):
                    pygame.display.update(self.painter.breathe(surface, self.clock()))
                    pace.breathed(moment)
                woken = False
                if self.running and (frames is None or count < frames):
                    breathing = bool(getattr(self.painter, "glows", None))
                    woken = waker.sleep(pace.sleep(time.monotonic(), breathing))
        finally:
            self._waker = None
            waker.close()

    def _zooming(self) -> bool:
        """A read-along zoom is easing to its passage: it is drawn every frame till it rests."""
        moving = getattr(self.painter, "moving", None)
        return bool(moving and moving(self.clock()))

    def _timing_matters(self) -> bool:
        """A tick or cross is showing, or a button is held: step every frame till it ends."""
        if self.walk.state in ("ack", "task_done") or self._zooming():
            return True
        keys = self.button_edges
        if keys is not None and (keys.is_down("green") or keys.is_down("red")):
            return True
        return any(getattr(source, "held", False) for source in self.inputs)

    def _settle_seconds(self) -> float:
        """How long after a raw button edge the press rules can decide (their debounce)."""
        times = [getattr(source, "settle_seconds", 0.0) for source in self.inputs]
        if self.button_edges is not None:
            times.append(self.button_edges.timings.debounce)
        return max(times, default=0.0)

    def _catch_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum, frame) -> None:
            self.post(Quit())

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def close(self) -> None:
        """End cleanly: the open session is closed and every answer is already on disk."""
        if self._closed:
            return
        self._closed = True
        if self.session_id and self.session_log is not None:
            self.apply([EndSession("ended")])
        self.speaker.close()
        for part in self.closers:
            part.close()
