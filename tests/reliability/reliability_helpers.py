"""Shared set-up for the reliability tests: a small installed deck, and the driver process.

A unique module name (tests/ folders are on sys.path side by side), so it never shadows another.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DRIVER = HERE / "kiosk_driver.py"

MINI_TOML = """\
id = "mini-letter"
title = "A short letter"
version = 1
language = "en-GB"

[[screen]]
id = "p1"
image = "p1.png"
say = "Your appointment is on Monday."
variant = "easy-read"

[[screen]]
id = "p2"
image = "p2.png"
say = "Please bring your medicines."
variant = "easy-read"

[[screen]]
id = "p3"
image = "p3.png"
say = "Ring us if you cannot come."
variant = "easy-read"
"""


def make_mini_deck(folder: Path) -> Path:
    """A three-screen deck with small real PNGs: enough for a whole walk, quick to install."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "deck.toml").write_text(MINI_TOML, encoding="utf-8")
    for n, colour in enumerate(((0, 94, 184), (0, 150, 57), (218, 41, 28)), start=1):
        image = Image.new("RGB", (600, 360), "white")
        ImageDraw.Draw(image).rectangle((50, 50, 550, 150), fill=colour)
        image.save(folder / f"p{n}.png")
    return folder


def installed_home(root: Path):
    """A kiosk data folder with the mini deck installed (narration rendered if espeak is there).

    Installed, and the kiosk's own phrases narrated, by a separate process: the speech engine
    (pyttsx3 + espeak) then never renders inside the test process, where a render left
    hanging by one closed kiosk blocks the next kiosk's narration lookups (see the report).
    """
    from kiosk.home import Home

    home = Home(root / "home")
    home.root.mkdir(parents=True)
    (home.root / "kiosk.toml").write_text('kiosk_id = "test-kiosk"\n', encoding="utf-8")
    source = make_mini_deck(root / "source")
    script = ("import sys; from pathlib import Path; from kiosk.home import Home; "
              "from kiosk.decks.library import DeckLibrary; "
              "from kiosk.decks.narration import NarrationCache; "
              "home = Home(Path(sys.argv[1])); "
              "results = DeckLibrary(home, NarrationCache.for_home(home))"
              ".install(Path(sys.argv[2])); "
              "from kiosk.walk import phrases; "
              "cache = NarrationCache.for_home(home); "
              "[cache.render(t, phrases.KIOSK_LANGUAGE) for t in "
              "getattr(phrases, 'ALL_SPOKEN', ())]; "
              "sys.exit(0 if all(r.ok for r in results) else 1)")
    subprocess.run([sys.executable, "-c", script, str(home.root), str(source)], check=True,
                   env=driver_env(), timeout=120, capture_output=True)
    return home


def driver_env(**extra: str) -> dict[str, str]:
    """The environment for a driver process: headless SDL, this checkout's kiosk first."""
    env = dict(os.environ)
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1",
               PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""))
    env.pop("GPIOZERO_PIN_FACTORY", None)
    env.update(extra)
    return env


@dataclass
class Run:
    """What one driver process said before it was killed (or finished)."""

    opened: bool = False
    finished: bool = False
    acknowledged: list[str] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)
    stderr: str = ""
    killed: bool = False


def parse(output: bytes, run: Run) -> None:
    """Only whole lines count: a line cut by the kill was never acknowledged."""
    for line in output.split(b"\n")[:-1]:
        text = line.decode("utf-8", "replace")
        if text == "O":
            run.opened = True
        elif text == "D":
            run.finished = True
        elif text.startswith("A "):
            run.acknowledged.append(text[2:])
        elif text.startswith("F "):
            run.faults.append(text[2:])


def drive(home: Path, seed: int, presses: int, kill_after: float | None,
          wait_for_open: bool = True, env: dict[str, str] | None = None,
          timeout: float = 60.0) -> Run:
    """Start the real kiosk; SIGKILL it ``kill_after`` seconds after it opened (or started)."""
    run = Run()
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(home), str(seed), str(presses)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or driver_env(),
    )
    output = b""
    deadline = time.monotonic() + timeout
    if wait_for_open:
        while b"O\n" not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([child.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(child.stdout.fileno(), 65536)
                if not chunk:
                    break
                output += chunk
    if kill_after is not None:
        time.sleep(kill_after)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            run.killed = True
    rest, errors = child.communicate(timeout=max(1.0, deadline - time.monotonic()))
    parse(output + rest, run)
    run.stderr = errors.decode("utf-8", "replace")
    return run


def random_kill_plan(rnd: random.Random) -> tuple[bool, float]:
    """Where to pull the plug: 30 % anywhere from the start (opening, recovering), else walking."""
    if rnd.random() < 0.3:
        return False, rnd.uniform(0.0, 0.45)
    return True, rnd.uniform(0.0, 0.8)
