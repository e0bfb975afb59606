"""Fixtures for the deck tests: real decks on disk, with real pictures and real TOML."""

from __future__ import annotations

from pathlib import Path

import pytest
from deck_helpers import make_deck


@pytest.fixture
def good_deck(tmp_path) -> Path:
    return make_deck(tmp_path / "Clinic letter")


@pytest.fixture
def cache(home):
    from kiosk.decks.narration import NarrationCache

    return NarrationCache.for_home(home)


@pytest.fixture
def silent_cache(home):
    """A cache on a machine with no speech engine at all."""
    from kiosk.decks.narration import NarrationCache, NoSpeechEngine

    return NarrationCache.for_home(home, NoSpeechEngine())


@pytest.fixture
def library(home, cache):
    from kiosk.decks.library import DeckLibrary

    return DeckLibrary(home, cache)
