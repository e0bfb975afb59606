"""How long a big deck takes to check, install and re-install (the issue's speed goals).

Generates a 120-screen deck of 1920x1080 PNG screens with text, in a temporary folder, then
times: ``deck check``; a first install with narration (empty cache); a forced re-install of
the unchanged deck (narration cached, images identical to the installed copy); and
installing the same version again without --force (reported as unchanged).

Then the narration alone, rendered into an empty cache by the speech worker pool with 1
worker and with more, and what a stalled clip costs: the same texts rendered with one clip
that stalls once (the hanging test engine, tests/decks/stalling_engine.py, really sleeps in
its worker), at the kiosk's real deadline, against the same texts without a stall.

    python bench/bench_deck_install.py [--screens 120] [--workers 1,2,3]

The deck is written by the kiosk's one deck writer (``kiosk.authoring.deck_writer``), so a
Pi measuring this needs the ``authoring`` extra (tomlkit) beside the kiosk.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kiosk.authoring.deck_writer import write_deck_file
from kiosk.decks.library import DeckLibrary, check_path
from kiosk.decks.model import DEFAULT_ASK, Deck, Hotspot, Screen
from kiosk.decks.narration import NarrationCache
from kiosk.decks.reader import read_deck
from kiosk.decks.speech_worker import WorkerEngine, clip_timeout, shutdown_workers, worker_count
from kiosk.home import CHECKOUT, Home

STALLING_ENGINE = "stalling_engine:StallingEngine"  # in tests/decks, loaded by the worker

LINES = [
    "Your appointment is at the Elm Street Community Clinic.",
    "Please arrive ten minutes early and bring this letter.",
    "Bring a list of the medicines you take, and your glasses.",
    "If you cannot come, phone us so we can offer the time to someone else.",
]


def make_deck(folder: Path, screens: int) -> None:
    font_path = CHECKOUT / "kiosk" / "fonts" / "NotoSans-Regular.ttf"
    font = ImageFont.truetype(str(font_path), 44)
    screen_list = []
    for n in range(1, screens + 1):
        image = Image.new("RGB", (1920, 1080), "white")
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 1920, 140), fill=(0, 94, 184))
        draw.text((60, 40), f"Page {n} of {screens}", fill="white", font=font)
        for row in range(12):
            draw.text((60, 200 + row * 66), f"{n}.{row} " + LINES[row % 4], fill="black", font=font)
        draw.rounded_rectangle((1500, 920, 1860, 1040), 20, fill=(0, 122, 51))
        name = f"screens/page {n:03d}.png"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        image.save(folder / name)
        say = f"Page {n}. " + " ".join(LINES[(n + i) % 4] for i in range(3))
        spots = (Hotspot((1500, 920, 360, 120), f"p{n + 1}"),) if n < screens else ()
        screen_list.append(Screen(f"p{n}", name, say, DEFAULT_ASK, hotspots=spots))
    write_deck_file(folder, Deck("bench-deck", "Benchmark deck", 1, "en-GB", tuple(screen_list)))


def timed(label: str, action) -> float:
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:7.2f} s   {result}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=120)
    parser.add_argument("--workers", default="1,2,3",
                        type=lambda text: [int(n) for n in text.split(",")],
                        help="pool sizes to time the narration with (default 1,2,3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-deck-") as tmp:
        source, home = Path(tmp) / "deck", Home(Path(tmp) / "home")
        source.mkdir()
        home.root.mkdir()
        started = time.perf_counter()
        make_deck(source, args.screens)
        size = sum(p.stat().st_size for p in source.rglob("*") if p.is_file()) / 1e6
        took = time.perf_counter() - started
        print(f"generated {args.screens} screens, {size:.1f} MB, in {took:.1f} s")
        library = DeckLibrary(home, NarrationCache.for_home(home))
        check = timed("deck check", lambda: "OK" if check_path(source)[0].ok else "PROBLEMS")
        first = timed("install (narration rendered)", lambda: library.install(source)[0].status)
        clips = len(list(home.narration_cache.glob("*.wav")))
        print(f"{'':<44} {clips} narration clips rendered")
        again = timed(
            "re-install, nothing changed (--force)",
            lambda: library.install(source, force=True)[0].status,
        )
        timed("install same version again (no --force)", lambda: library.install(source)[0].status)
        timed("list installed decks", lambda: f"{len(library.installed())} deck(s)")
        print(f"re-install / install = {again / first:.0%}  (goal < 10%)")
        print(f"install goal: well under 60 s; check goal: < 2 s (check took {check:.2f} s)")
        deck = read_deck(source)
        print(f"\nnarration alone, empty cache (this machine: {len(os.sched_getaffinity(0))} "
              f"cores, the kiosk would use {worker_count()} worker(s))")
        for run, workers in enumerate(args.workers):
            narrate(Path(tmp) / f"cache-{run}", deck, workers)
        stall_cost(Path(tmp))


def narrate(cache_folder: Path, deck, workers: int) -> None:
    shutdown_workers()
    engine = WorkerEngine(workers=workers)
    cache = NarrationCache(cache_folder, engine)

    def render() -> str:
        report = cache.render_deck(deck)
        return (f"{report.made} made, {report.could_not_make} not made; "
                f"{engine.stalls} stall(s), {engine.restarts} worker(s) restarted")

    timed(f"  {workers} worker(s)", render)


def render_all(cache: NarrationCache, texts: list[str], engine: WorkerEngine) -> str:
    before = engine.restarts
    made = sum(1 for text in texts if cache.render(text, "en-GB"))
    return f"{made} made, {engine.restarts - before} worker(s) killed"


def stall_cost(tmp: Path) -> None:
    """The same 20 texts twice, the second time with one clip that stalls once."""
    marks = tmp / "marks"
    marks.mkdir()
    os.environ.update(STALL_MARKS=str(marks), PYTHONPATH=str(CHECKOUT / "tests" / "decks"))
    texts = [f"Page {n}. Please bring this letter and your glasses." for n in range(20)]
    stalled = texts[:]
    stalled[10] = "Page 10. This page stalls once, then it speaks."
    print(f"\na stall, at the real deadline ({clip_timeout(stalled[10]):.1f} s for that clip), "
          "1 worker")
    results = {}
    for label, batch in (("20 clips, no stall", texts), ("20 clips, one stalls once", stalled)):
        shutdown_workers()
        engine = WorkerEngine(workers=1, engine=STALLING_ENGINE)
        cache = NarrationCache(tmp / label.replace(" ", "-"), engine)
        cache.voice_for("en-GB")  # the worker is started outside the timing
        results[label] = timed(f"  {label}", lambda c=cache, b=batch, e=engine: render_all(c, b, e))
    cost = results["20 clips, one stalls once"] - results["20 clips, no stall"]
    print(f"  one stall cost {cost:.1f} s: its deadline, a kill and a fresh worker; "
          "every clip was still made")
    shutdown_workers()


if __name__ == "__main__":
    main()
