"""How fast the kiosk answers a press, on a 120-screen 1920x1080 deck. Prints figures.

    python bench/bench_press.py [--screens 120]

Measured on the real parts, headless (SDL dummy video and audio):
  * press -> acknowledgement on screen: walk.handle + the answer written durably (fsync) to
    a real session log + drawing the frame;
  * acknowledgement -> next screen drawn, with images loaded ahead (the kiosk's way) and
    loaded at the press (the naive way), and their ratio;
  * speak() -> narration playing (a real espeak-ng WAV);
  * `kiosk run` -> first frame drawn (a real process);
  * peak memory (RSS) after walking every screen (in this process; bench_pi_budget.py
    measures a real `kiosk run`, and the kiosk on a Pi-sized CPU and memory budget).
Goals (issue #3): press to screen within two 60 Hz frames (33 ms), narration under 50 ms,
start-up under 3 s, memory bounded.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from kiosk.screen.pygame_setup import give_big_buffers_back, import_pygame  # noqa: E402

give_big_buffers_back()  # as `kiosk run` does, so the memory figure is the kiosk's
pygame = import_pygame()
from bench_decks import SIZE, make_deck  # noqa: E402

from kiosk.app import KioskApp  # noqa: E402
from kiosk.decks.reader import read_deck  # noqa: E402
from kiosk.screen.draw import Painter  # noqa: E402
from kiosk.screen.images import ImageStore  # noqa: E402
from kiosk.screen.sound import open_speaker  # noqa: E402
from kiosk.sessions.log import ResponseLog  # noqa: E402
from kiosk.walk.events import Green  # noqa: E402
from kiosk.walk.walk import Walk  # noqa: E402


class NoNarration:
    def lookup(self, text, language):
        return None

    def render(self, text, language):
        return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def walk_all(deck, home: Path, prefetch: bool) -> tuple[list[float], list[float]]:
    """Answer every screen; time press->tick frame and tick->next screen frame."""
    pygame.init()
    surface = pygame.display.set_mode(SIZE)
    log = ResponseLog(home / f"log-{prefetch}", "bench")
    walk = Walk([deck], ["Bench"], 0.0, deck=deck, venue="Bench")
    painter = Painter(SIZE, ImageStore())
    app = KioskApp(walk, painter, open_speaker(NoNarration()), log, clock=time.monotonic)
    app.apply(walk.startup_effects())
    now = 0.0
    for event in (Green(), Green()):
        now += 1
        app.apply(walk.handle(event, now))
    press_ms, next_ms = [], []
    for _ in deck.screens:
        view = walk.view()
        painter.draw(surface, view, now)
        if prefetch:
            app._load_ahead(view)
            time.sleep(0.25)  # the participant reads; the worker loads the next image
        start = time.perf_counter()
        now += 3
        app.apply(walk.handle(Green(), now))
        painter.draw(surface, walk.view(), now)
        pygame.display.flip()
        press_ms.append((time.perf_counter() - start) * 1000)
        if prefetch:
            time.sleep(0.8)  # the tick shows for 0.8 s
        start = time.perf_counter()
        now += 1
        app.apply(walk.tick(now))
        painter.draw(surface, walk.view(), now)
        pygame.display.flip()
        next_ms.append((time.perf_counter() - start) * 1000)
    log.close()
    pygame.quit()
    return press_ms, next_ms


def narration_start_ms(work: Path) -> list[float]:
    from kiosk.decks.narration import NarrationCache

    cache = NarrationCache(work / "narration")
    texts = [f"This is sentence number {n} of the narration test." for n in range(10)]
    for text in texts:
        cache.render(text, "en-GB")
    pygame.init()
    speaker = open_speaker(cache)
    times = []
    for text in texts:
        start = time.perf_counter()
        speaker.stop()
        speaker.speak(text, "en-GB")
        times.append((time.perf_counter() - start) * 1000)
        assert speaker.started[-1] == text
    pygame.quit()
    return times


def startup_seconds(work: Path, deck_folder: Path) -> float:
    env = {**os.environ, "KIOSK_HOME": str(work / "home")}
    kiosk = [sys.executable, "-m", "kiosk"]
    subprocess.run([*kiosk, "deck", "install", str(deck_folder)], env=env, check=True,
                   capture_output=True)
    start = time.perf_counter()
    subprocess.run([*kiosk, "run", "--windowed", "--size", "1920x1080", "--deck", "bench",
                    "--venue", "Bench", "--frames", "1"], env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screens", type=int, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        print(f"Generating a {args.screens}-screen {SIZE[0]}x{SIZE[1]} deck ...")
        make_deck(work / "deck", args.screens)
        deck = read_deck(work / "deck")

        press, ahead = walk_all(deck, work, prefetch=True)
        _, naive = walk_all(deck, work, prefetch=False)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        def line(label: str, values: list[float], extra: str = "") -> None:
            print(f"{label:44} median {statistics.median(values):6.1f} ms"
                  f"   p95 {percentile(values, 0.95):6.1f} ms{extra}")

        line("press -> tick on screen (answer fsync'd):", press)
        line("tick -> next screen, loaded ahead:", ahead)
        ratio = statistics.median(naive) / statistics.median(ahead)
        line("tick -> next screen, loaded at the press:", naive, f"   (naive/ahead {ratio:.1f}x)")
        print(f"peak RSS after walking {args.screens} screens twice: {rss:.0f} MB")
        line("speak() -> narration playing:", narration_start_ms(work))
        seconds = startup_seconds(work, work / "deck")
        print(f"kiosk run -> first frame (a new process):    {seconds:.2f} s")


if __name__ == "__main__":
    main()
