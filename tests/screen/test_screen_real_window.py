"""The kiosk in a real X window (Xvfb), pressed with real key events from xdotool."""

import os
import shutil
import subprocess
import sys
import time

import pytest
from PIL import Image

from kiosk.decks.library import DeckLibrary
from kiosk.home import Home
from kiosk.sessions.log import ResponseLog

pytestmark = pytest.mark.skipif(
    not (shutil.which("Xvfb") and shutil.which("xdotool")),
    reason="needs Xvfb and xdotool (Debian packages xvfb, xdotool)",
)
DECK = """
id = "window-test"
title = "Window test"
version = 1
language = "en-GB"

[[screen]]
id = "page-1"
image = "page.png"
say = "A white page."
"""


@pytest.fixture
def display():
    number = 90 + os.getpid() % 9
    server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1024x600x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def find_window(env: dict, title: str) -> str:
    """xdotool's --name search misses SDL's windows here, so list them and read their names."""
    listed = subprocess.run(["xdotool", "search", "--class", ""], env=env, capture_output=True,
                            text=True).stdout.split()
    for window in listed:
        name = subprocess.run(["xdotool", "getwindowname", window], env=env,
                              capture_output=True, text=True).stdout.strip()
        if name == title:
            return window
    return ""


def test_a_walk_in_a_real_window(tmp_path, display):
    home = Home(tmp_path / "home")
    home.root.mkdir()
    source = tmp_path / "deck"
    source.mkdir()
    (source / "deck.toml").write_text(DECK, encoding="utf-8")
    Image.new("RGB", (1500, 900), "white").save(source / "page.png")
    DeckLibrary(home).install(source)
    shot = tmp_path / "window.png"
    env = {**os.environ, "DISPLAY": display, "SDL_VIDEODRIVER": "x11", "KIOSK_HOME": str(home.root)}
    kiosk = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "1024x600", "--deck",
         "window-test", "--venue", "Library", "--frames", "300", "--screenshot", str(shot)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    xdo = {**os.environ, "DISPLAY": display}
    window = ""
    for _ in range(150):
        window = find_window(xdo, "Co-design kiosk")
        if window:
            break
        time.sleep(0.1)
    if not window:
        kiosk.kill()
        pytest.fail("the kiosk window never appeared:\n" + kiosk.communicate()[0].decode())
    time.sleep(3)  # the window opens on "Starting"; the walk's screens need a moment each
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=xdo, check=True)
    for key in ("g", "g", "g"):  # start, begin, understood (answers are given on release)
        # `xdotool key`: real XTEST down and up in the same instant, as a switch interface or
        # an arcade encoder sends them; the kiosk sees both inside one frame and counts it
        subprocess.run(["xdotool", "key", key], env=xdo, check=True)
        time.sleep(1.2)
    output, _ = kiosk.communicate(timeout=60)
    assert kiosk.returncode == 0, output
    image = Image.open(shot).convert("RGB")
    assert image.size == (1024, 600)
    assert image.getpixel((5, 5)) == (0, 48, 135)  # the thank-you screen, NHS dark blue
    with ResponseLog(home.log, "reader") as log:
        answers = [e for e in log.events() if e["kind"] == "answer"]
    assert [(a["screen_id"], a["response"]) for a in answers] == [("page-1", "understood")]
