"""Shared test set-up: headless SDL, and a fresh data folder per test.

Area-specific fixtures live in each area's own conftest (tests/decks/, tests/sessions/, ...).
"""

import os

import pytest

# Real pygame drawing with no screen or sound card: SDL's dummy drivers.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# Buttons in tests are gpiozero's MockFactory pins; never touch a real chip.
os.environ.setdefault("GPIOZERO_PIN_FACTORY", "mock")


@pytest.fixture
def home(tmp_path):
    """An empty data folder, as on a brand-new kiosk."""
    from kiosk.home import Home

    root = tmp_path / "home"
    root.mkdir()
    return Home(root)
