"""Turn raw button edges into the walk's events: the rules people actually meet.

Pure and clock-injected: it is fed ``edge(button, down, t)`` and ``tick(now)`` and returns
events, so every rule below is tested with a hand-moved clock in milliseconds. The GPIO
panel feeds it; the keyboard edge may feed it too (key down / key up), so a laptop obeys
the same rules as the box.

The rules (timings come from ``[buttons]`` in ``kiosk.toml``; see ``settings.py``):

* **Debounce.** A button only changes state once its contact has stayed at the new level
  for ``debounce_ms`` (30 ms). Contact chatter inside that time collapses into one press,
  and a single spike of electrical noise on a long wire is not a press at all.
* **An answer is given on release.** A green or red press becomes ``Green()``/``Red()`` when
  the button is let go, however long it was held (up to the stuck limit). This is what
  lets "hold both" exist without a stray answer at its start. A slow, deliberate press by
  someone with shaky hands still counts; there is no "long press means something else".
* **Hear again** is never a long press: long presses are how many participants press. It
  is the optional third button (``replay_pin``) or Space on the keyboard, and is given
  on press (it is never part of a chord).
* **Anti-mashing.** An answer (or a replay) less than ``min_seconds_between_answers``
  (0.8 s) after the previous one of its kind is ignored and counted in
  ``ignored_presses``, so a child drumming on green cannot answer five screens.
* **Hold both.** Green and red down together for ``hold_seconds`` (3 s) gives one
  ``HoldBoth()``, at the moment the time is reached (the menu opens while still held).
  A gesture that had both buttons down never gives an answer, whether or not it was
  held long enough.
* **Stuck button.** A button down for ``stuck_seconds`` (60 s) is reported once (in
  ``stuck`` and the log) and ignored until it is released; its release gives nothing.
  The other button keeps working alone meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.walk.events import Event, Green, HoldBoth, Red, Replay

log = logging.getLogger("kiosk.buttons")

GREEN = "green"
RED = "red"
REPLAY = "replay"
BUTTON_NAMES = (GREEN, RED, REPLAY)
_ANSWER_EVENTS: dict[str, Event] = {GREEN: Green(), RED: Red()}


@dataclass(frozen=True)
class Timings:
    """The interpreter's thresholds, in seconds."""

    debounce: float = 0.030
    min_between_answers: float = 0.8
    hold_both: float = 3.0
    stuck: float = 60.0


@dataclass
class _Contact:
    raw: bool = False
    raw_since: float = 0.0
    down: bool = False
    down_since: float = 0.0
    stuck: bool = False


class ButtonInterpreter:
    """Debounce, chords, mashing and stuck buttons: raw edges in, walk events out."""

    def __init__(self, timings: Timings | None = None) -> None:
        self.timings = timings or Timings()
        self._contacts = {name: _Contact() for name in BUTTON_NAMES}
        self._gesture: set[str] = set()
        self._both_since: float | None = None
        self._hold_fired = False
        self._last_answer: float | None = None
        self._last_replay: float | None = None
        self._now = float("-inf")
        self.ignored_presses = 0
        """Answers and replays dropped because they came too soon after the previous one."""

    @property
    def stuck(self) -> frozenset[str]:
        """Buttons currently held past the stuck limit and being ignored."""
        return frozenset(name for name, c in self._contacts.items() if c.stuck)

    def is_down(self, button: str) -> bool:
        """The debounced state, for lamps or diagnostics."""
        return self._contacts[button].down

    def edge(self, button: str, down: bool, t: float) -> list[Event]:
        """A raw contact change at time ``t`` (seconds, any monotonic origin)."""
        if button not in self._contacts:
            raise ValueError(f"unknown button {button!r}; expected one of {BUTTON_NAMES}")
        t = max(t, self._now)
        events = self._settle(t)
        contact = self._contacts[button]
        if contact.raw != down:
            contact.raw = down
            contact.raw_since = t
        return events

    def tick(self, now: float) -> list[Event]:
        """Let time pass: confirms debounced changes, fires hold-both, spots stuck buttons."""
        return self._settle(max(now, self._now))

    # ------------------------------------------------------------------ internals

    def _settle(self, now: float) -> list[Event]:
        self._now = now
        events: list[Event] = []
        pending = [
            (c.raw_since, name)
            for name, c in self._contacts.items()
            if c.raw != c.down and now - c.raw_since >= self.timings.debounce
        ]
        for _, name in sorted(pending):
            contact = self._contacts[name]
            contact.down = contact.raw
            contact.down_since = contact.raw_since
            if contact.down:
                events += self._pressed(name, contact.raw_since)
            else:
                events += self._released(name, contact.raw_since)
        events += self._check_hold(now)
        self._check_stuck(now)
        return events

    def _pressed(self, name: str, t: float) -> list[Event]:
        if name == REPLAY:
            if self._last_replay is not None and (
                t - self._last_replay < self.timings.min_between_answers
            ):
                self.ignored_presses += 1
                return []
            self._last_replay = t
            return [Replay()]
        self._gesture.add(name)
        if self._colour_down(GREEN) and self._colour_down(RED) and self._both_since is None:
            self._both_since = t
        return []

    def _released(self, name: str, t: float) -> list[Event]:
        contact = self._contacts[name]
        if contact.stuck:
            contact.stuck = False
            log.warning("The %s button was released and works again.", name)
            return []
        if name == REPLAY:
            return []
        self._both_since = None
        if self._colour_down(GREEN) or self._colour_down(RED):
            return []
        gesture, self._gesture = self._gesture, set()
        self._hold_fired = False
        if gesture != {name}:
            return []
        if self._last_answer is not None and (
            t - self._last_answer < self.timings.min_between_answers
        ):
            self.ignored_presses += 1
            return []
        self._last_answer = t
        return [_ANSWER_EVENTS[name]]

    def _colour_down(self, name: str) -> bool:
        contact = self._contacts[name]
        return contact.down and not contact.stuck

    def _check_hold(self, now: float) -> list[Event]:
        if (
            self._both_since is not None
            and not self._hold_fired
            and now - self._both_since >= self.timings.hold_both
        ):
            self._hold_fired = True
            return [HoldBoth()]
        return []

    def _check_stuck(self, now: float) -> None:
        for name, contact in self._contacts.items():
            held = now - contact.down_since
            if contact.down and not contact.stuck and held >= self.timings.stuck:
                contact.stuck = True
                log.warning(
                    "The %s button has been held down for %.0f seconds: ignoring it until it "
                    "is released (is it stuck, or is something leaning on it?).",
                    name,
                    held,
                )
                if name in self._gesture:
                    self._gesture.discard(name)
                    self._gesture.add("void")
                    self._both_since = None
                    if not (self._colour_down(GREEN) or self._colour_down(RED)):
                        self._gesture = set()
                        self._hold_fired = False
