"""Drive the REAL kiosk (``assemble`` from kiosk.cli.run) headless with injected key presses.

Run as a separate process so a test can SIGKILL it like a power cut. It prints, unbuffered:

- ``F <text>`` for each facilitator banner message found at start (``app.fault``),
- ``O`` once the kiosk is assembled and running,
- ``A <event id>`` after the session log's ``record()`` returned for an answer (the moment
  the kiosk acknowledges it: the tick or cross is drawn after that),
- ``D`` if it finishes its presses without being killed.

Usage: ``python kiosk_driver.py HOME SEED PRESSES [deck_id]``. Presses are random green, red
and hear-again keys, each a key down, 0.15 s held, key up, then frames at 50 ms of hand time.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")


def say(line: str) -> None:
    """One whole line in one write, so a kill never leaves a half line that looks whole."""
    os.write(1, (line.replace("\n", " ") + "\n").encode("utf-8"))


class HandClock:
    """Time moved by the driver: presses are spaced the same however loaded the machine."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def main(argv: list[str]) -> int:
    """Assemble the kiosk, then press keys until killed or the presses run out."""
    import pygame

    from kiosk.cli.run import assemble
    from kiosk.home import Home

    home, seed, presses = Path(argv[0]), int(argv[1]), int(argv[2])
    deck_id = argv[3] if len(argv) > 3 else "mini-letter"
    rnd = random.Random(seed)
    pygame.init()
    surface = pygame.display.set_mode((640, 400))
    clock = HandClock()
    app = assemble(Home(home), surface.get_size(), deck_id=deck_id, venue="Library",
                   clock=clock, use_gpio=False)
    if app.fault:
        say(f"F {app.fault}")
    real_record = app.session_log.record

    def record(session_id: str, kind: str, **fields: object) -> str:
        event_id = real_record(session_id, kind, **fields)
        if kind == "answer":
            say(f"A {event_id}")
        return event_id

    app.session_log.record = record  # type: ignore[method-assign]
    app.apply(app.walk.startup_effects())
    say("O")
    keys = [pygame.K_g, pygame.K_RIGHT, pygame.K_r, pygame.K_LEFT, pygame.K_SPACE]
    weights = [6, 3, 3, 1, 1]

    def frame(events: list) -> None:
        app.step(events)
        app.draw(surface)
        clock.now += 0.05

    for _ in range(presses):
        code = rnd.choices(keys, weights)[0]
        frame([pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode="", scancode=0)])
        clock.now += 0.15
        frame([pygame.event.Event(pygame.KEYUP, key=code, mod=0, unicode="", scancode=0)])
        for _ in range(rnd.randint(1, 20)):
            frame([])
        if app.fault and "not being saved" in app.fault:
            say(f"F {app.fault}")
    say("D")
    app.close()
    pygame.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
