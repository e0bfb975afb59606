"""Screenshots of every kind of kiosk screen, from the real app on the bundled decks.

    python docs/make_screenshots.py [--out docs/screenshots]

Installs the example decks into a temporary data folder, then drives the real kiosk (the same
``assemble`` that ``kiosk run`` uses) with key presses, saving what the window shows at
800x480 (the 7" touch screen), 1024x600 and 1920x1080. Works headless (SDL's dummy video
driver) or under Xvfb with ``SDL_VIDEODRIVER=x11`` for a real window.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")

REPO = Path(__file__).resolve().parent.parent
SIZES = [(800, 480), (1024, 600), (1920, 1080)]


def main() -> None:
    import pygame

    from kiosk.cli.run import assemble
    from kiosk.decks.library import DeckLibrary
    from kiosk.home import Home
    from kiosk.walk.events import Green, HoldBoth, Red

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        home = Home(Path(temporary))
        DeckLibrary(home).install(REPO / "prototypes")
        for size in SIZES:
            pygame.init()
            surface = pygame.display.set_mode(size)
            clock = [100.0]
            suffix = f"{size[0]}x{size[1]}"

            def shoot(name: str, app) -> None:
                clock[0] += 0.4  # the lamps mid-pulse
                app.draw(surface)
                pygame.display.flip()
                pygame.image.save(surface, str(args.out / f"{name}-{suffix}.png"))

            def press(app, event) -> None:
                clock[0] += 1.0
                app.apply(app.walk.handle(event, clock[0]))

            def settle(app) -> None:
                clock[0] += 1.0
                app.apply(app.walk.tick(clock[0]))

            app = assemble(home, size, deck_id="hospital-letter", venue="Library",
                           clock=lambda: clock[0], use_gpio=False)
            app.apply(app.walk.startup_effects())
            shoot("welcome", app)
            press(app, Green())
            shoot("how-it-works", app)
            press(app, Green())
            shoot("screen-original-1", app)
            press(app, Green())
            shoot("tick", app)
            while app.walk.view().kind == "screen" or app.walk.state == "ack":
                view = app.walk.view()
                if view.screen and view.screen.variant == "easy-read" and not view.ack:
                    shoot("screen-easy-read", app)
                    press(app, Red())
                    shoot("cross", app)
                    break
                press(app, Green())
                settle(app)
            press(app, HoldBoth())
            shoot("facilitator-menu", app)
            app.close()

            app = assemble(home, size, deck_id="diabetes-app", venue="Library",
                           clock=lambda: clock[0], use_gpio=False)
            app.apply(app.walk.startup_effects())
            press(app, Green())
            press(app, Green())
            shoot("screen-app", app)
            for _ in app.walk.deck.screens:
                if app.walk.state == "thanks":
                    break
                press(app, Green())
                settle(app)
            shoot("thank-you", app)
            app.close()

            app = assemble(home, size, deck_id="hospital-letter-pa", venue="Library",
                           clock=lambda: clock[0], use_gpio=False)
            app.apply(app.walk.startup_effects())
            press(app, Green())
            press(app, Green())
            shoot("screen-punjabi", app)
            app.close()
            pygame.quit()
    print(f"Screenshots written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
