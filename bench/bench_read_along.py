"""What read-along costs on screen: the zoom's frames and the frames at rest. Prints figures.

    python bench/bench_read_along.py [--sizes 800x480,1920x1080] [--repeat 3]

The bundled hospital letter's first original page, drawn by the real painter (SDL dummy
video), as it is read part by part: for each display size, the milliseconds per frame
while the zoom eases from one part to the next (every frame is drawn then), per frame at
rest (drawn only when the view changes; the loop draws nothing in between), how many frames
one move takes at 30 frames a second, and the picture's decoded size (decoded once, sharp
enough for the closest zoom). A frame at a Pi's speed: multiply by the ratios in
docs/pi-budget.md, if present, or roughly 8-10 for a Pi Zero 2 W core, 3-4 for a Pi 4.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from kiosk.decks.library import DeckLibrary  # noqa: E402
from kiosk.home import CHECKOUT, Home  # noqa: E402
from kiosk.screen import zoom  # noqa: E402
from kiosk.screen.draw import Painter  # noqa: E402
from kiosk.walk.view import OFF, View  # noqa: E402

FPS = 30


def measure(deck, size: tuple[int, int], repeat: int) -> dict[str, float]:
    screen = deck.screen("original-1")
    surface = pygame.Surface(size)
    moving, still, frames = [], [], []
    for _ in range(repeat):
        painter = Painter(size)
        now = 0.0
        for part in screen.parts:
            view = View("screen", deck=deck, screen=screen, question=screen.ask,
                        lamps=(OFF, OFF), region=part.rect, narrating=True)
            count = 0
            while True:
                started = time.perf_counter()
                painter.draw(surface, view, now)
                spent = time.perf_counter() - started
                if not painter.moving(now):
                    still.append(spent)
                    break
                moving.append(spent)
                count += 1
                now += 1 / FPS
            frames.append(count)
            now += 5.0  # the part is read; the view does not change, nothing is drawn
        done = replace(view, region=None, narrating=False)
        painter.draw(surface, done, now)
    loaded = zoom.load_size((1000, 1414), screen.parts, size)
    return {"moving_ms": 1000 * statistics.median(moving),
            "moving_p95_ms": 1000 * sorted(moving)[int(0.95 * (len(moving) - 1))],
            "still_ms": 1000 * statistics.median(still),
            "frames_per_move": statistics.median(frames),
            "decoded": loaded}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="800x480,720x1280,1920x1080")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pygame.init()
    home = Home(Path(tempfile.mkdtemp()) / "home")
    home.root.mkdir()
    DeckLibrary(home).install(CHECKOUT / "prototypes" / "hospital-letter")
    deck = next(d for d in DeckLibrary(home).installed() if d.id == "hospital-letter")
    print(f"read-along drawing, original letter page 1 ({len(deck.screen('original-1').parts)} "
          f"parts), {args.repeat} readings per size")
    for text in args.sizes.split(","):
        size = tuple(int(v) for v in text.split("x"))
        figures = measure(deck, size, args.repeat)  # type: ignore[arg-type]
        w, h = figures["decoded"]
        print(f"  {text:>9}: zoom frame {figures['moving_ms']:.1f} ms median, "
              f"{figures['moving_p95_ms']:.1f} ms p95, {figures['frames_per_move']:.0f} frames "
              f"per move at {FPS} fps; frame at rest {figures['still_ms']:.1f} ms (drawn once "
              f"per part); page decoded at {w}x{h}")
    pygame.quit()


if __name__ == "__main__":
    main()
