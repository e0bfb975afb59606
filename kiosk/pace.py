"""When the main loop wakes: often enough to answer a press at once, rarely enough to rest.

A kiosk spends most of its life on the welcome screen or waiting for an answer. Redrawing
30 times a second there took 28% of a fast x86 core (a Pi Zero 2 W's whole core). So:

* on X11 a key, a touch or a GPIO edge wakes the loop at once (kiosk/screen/wakeup.py);
  where the display cannot wake it, keyboard and touch are read every ``poll`` seconds (a
  sleep, not a spin: pygame's ``event.wait(timeout)`` polls every millisecond inside, which
  costs more than it saves);
* a *step* (the walk's clock, the speaker's queue, the USB slot) runs on every event, and
  otherwise every ``tick`` seconds, or every ``frame`` while timing shows (a tick or cross
  on screen, a button held), and exactly ``settle`` seconds after a raw button edge, when the
  press rules can decide;
* a breathing glow is redrawn alone every ``breath`` seconds.

Pure arithmetic on a clock the caller passes in, so it is tested without sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Pace:
    frame: float = 1 / 30
    poll: float = 0.016  # a key is seen within 16 ms (inf: input wakes the loop itself)
    tick: float = 0.1  # every timeout in the walk is 0.8 s or more
    breath: float = 0.1  # a 1.6 s breath in 16 steps: smooth enough for a glow
    settle: float = 0.0  # the press rules' debounce
    next_step: float = float("-inf")
    next_breath: float = float("-inf")

    def step_due(self, now: float) -> bool:
        return now >= self.next_step

    def stepped(self, now: float, timing_matters: bool, button_edges: bool) -> None:
        """A step ran at ``now``: when the next one is needed."""
        self.next_step = now + (self.frame if timing_matters else self.tick)
        if button_edges:  # the press is decided once the contact has settled
            self.next_step = min(self.next_step, now + self.settle + 0.001)

    def breath_due(self, now: float) -> bool:
        return now >= self.next_breath

    def breathed(self, now: float) -> None:
        self.next_breath = now + self.breath

    def sleep(self, now: float, breathing: bool) -> float:
        """Seconds to sleep before looking at the keyboard again."""
        wake = min(self.next_step, self.next_breath if breathing else float("inf"))
        return max(0.0, min(self.poll, wake - now))
