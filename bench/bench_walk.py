"""What the pure walk costs per press (handle + tick + view), without drawing or the log.

    python bench/bench_walk.py [--screens 120] [--people 40]

The press budget is two 60 Hz frames (33 ms, issue #3) for the whole kiosk; this is the walk's
share of it, so a change to the state machine (the typed walk of issue #13) can be weighed.
"""

from __future__ import annotations

import argparse
import time

from kiosk.decks.model import Deck, Screen
from kiosk.walk.events import Green, Red
from kiosk.walk.walk import Walk


def walk_everyone(deck: Deck, people: int) -> tuple[float, int]:
    """Seconds taken and presses made by ``people`` walking every screen of ``deck``."""
    walk = Walk([deck], ["Library"], 0.0, deck=deck)
    walk.startup_effects()
    now, presses = 0.0, 0
    started = time.perf_counter()
    for person in range(people):
        for _ in range(2):  # welcome, how it works
            walk.handle(Green(), now)
            presses += 1
        for index in range(len(deck.screens)):
            now += 1.0
            walk.tick(now)
            walk.handle(Green() if (person + index) % 3 else Red(), now)
            walk.view(now)
            presses += 1
            now += 1.0
            walk.tick(now)
        now += 20.0
        walk.tick(now)  # the thank-you ends
    return time.perf_counter() - started, presses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=120)
    parser.add_argument("--people", type=int, default=40)
    args = parser.parse_args()
    screens = tuple(Screen(f"s{i}", f"s{i}.png", f"Screen {i}.", "Did you understand?")
                    for i in range(args.screens))
    deck = Deck("bench", "Bench", 1, "en-GB", screens)
    runs = [walk_everyone(deck, args.people) for _ in range(5)]
    best = min(seconds / presses for seconds, presses in runs)
    print(f"walk per press (handle + tick + view), best of 5 over {runs[0][1]} presses: "
          f"{best * 1e6:.1f} us")


if __name__ == "__main__":
    main()
