"""Screenshots of every kind of kiosk screen, from the real app on the bundled decks.

    python docs/make_screenshots.py [--out docs/screenshots]

Installs the example decks into a temporary data folder, then drives the real kiosk (the same
``assemble`` that ``kiosk run`` uses) with key presses, saving what the window shows at
800x480 (the 7" touch screen), 720x1280 (the 7" Touch Display 2, portrait), 1024x600 and
1920x1080. Works headless (SDL's dummy video driver) or under Xvfb with
``SDL_VIDEODRIVER=x11`` for a real window.

The same walk is the golden-image test (tests/screen/test_golden_images.py), at five sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")

REPO = Path(__file__).resolve().parent.parent
SIZES = [(800, 480), (720, 1280), (1024, 600), (1920, 1080)]


def shoot_all(home, size: tuple[int, int], out: Path) -> None:
    """Every kind of screen at one size, saved as PNG files named by kind and size (in 256
    colours, which look the same for these flat screens and keep the repository small)."""
    import pygame
    from PIL import Image

    suffix = f"{size[0]}x{size[1]}"
    for name, surface in every_screen(home, size):
        image = Image.frombytes("RGB", size, pygame.image.tobytes(surface, "RGB"))
        image = image.quantize(256, dither=Image.Dither.NONE)
        image.save(out / f"{name}-{suffix}.png", optimize=True)


def every_screen(home, size: tuple[int, int]) -> Iterator[tuple[str, object]]:
    """Every kind of screen at one size, from the real app driven by hand: (name, Surface)."""
    import pygame

    from kiosk.cli.run import assemble
    from kiosk.walk.events import Green, HoldBoth, Red, Tap

    pygame.init()
    surface = pygame.display.set_mode(size)
    clock = [100.0]

    def shoot(name: str, app) -> tuple[str, pygame.Surface]:
        clock[0] += 0.4  # the lamps mid-pulse
        app.draw(surface)
        pygame.display.flip()
        return name, surface.copy()

    def press(app, event) -> None:
        clock[0] += 1.0
        app.apply(app.walk.handle(event, clock[0]))

    def settle(app) -> None:
        clock[0] += 1.0
        app.apply(app.walk.tick(clock[0]))

    def until(app, state: str, event) -> None:
        for _ in range(40):
            if app.walk.state == state:
                return
            press(app, event)
            settle(app)
        raise RuntimeError(f"never reached {state}")

    def open_deck(deck_id: str):
        app = assemble(home, size, deck_id=deck_id, venue="Library",
                       clock=lambda: clock[0], use_gpio=False)
        app.apply(app.walk.startup_effects())
        return app

    # The letter, in English: language, how it works, profile questions, the screens.
    app = open_deck("hospital-letter")
    yield shoot("welcome", app)
    press(app, Green())
    yield shoot("choose-language", app)
    press(app, Green())
    yield shoot("how-it-works", app)
    press(app, Green())
    yield shoot("profile-questions", app)
    press(app, Green())
    yield shoot("profile-question", app)
    until(app, "screen", Green())
    yield shoot("screen-original-1", app)
    press(app, Green())
    yield shoot("tick", app)
    while app.walk.view().screen.variant != "easy-read":
        settle(app)
        if app.walk.state == "screen" and app.walk.view().screen.variant != "easy-read":
            press(app, Green())
    yield shoot("screen-easy-read", app)
    press(app, Red())
    yield shoot("cross", app)
    press(app, HoldBoth())
    yield shoot("facilitator-menu", app)
    app.close()

    # The same letter in Punjabi: chosen by ear, then the easy-read screens in Punjabi.
    app = open_deck("hospital-letter")
    press(app, Green())
    press(app, Red())
    yield shoot("choose-language-punjabi", app)
    press(app, Green())
    yield shoot("how-it-works-punjabi", app)
    press(app, Green())
    press(app, Red())  # skip the profile questions
    while app.walk.view().screen.variant != "easy-read" or app.walk.state != "screen":
        press(app, Green())
        settle(app)
    yield shoot("screen-punjabi", app)
    app.close()

    # The app mock-up: a task done by tapping its buttons.
    app = open_deck("diabetes-app")
    press(app, Green())
    press(app, Green())
    yield shoot("task", app)
    press(app, Green())
    yield shoot("task-screen", app)
    task = app.walk.deck.tasks[0]
    for here, there in zip(task.path, task.path[1:], strict=False):
        spot = next(h for h in app.walk.deck.screen(here).hotspots if h.goto == there)
        x, y, w, h = spot.rect
        press(app, Tap(x + w / 2, y + h / 2))
    yield shoot("task-done", app)
    clock[0] += 2.5
    app.apply(app.walk.tick(clock[0]))
    yield shoot("task-easy", app)
    while app.walk.state != "thanks":
        press(app, Red() if app.walk.state == "task" else Green())
        settle(app)
    yield shoot("thank-you", app)
    app.close()
    pygame.quit()


def main() -> None:

    from kiosk.decks.library import DeckLibrary
    from kiosk.home import Home

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        home = Home(Path(temporary))
        DeckLibrary(home).install(REPO / "prototypes")
        for size in SIZES:
            shoot_all(home, size, args.out)
    print(f"Screenshots written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
