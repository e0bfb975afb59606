import pytest

from kiosk.decks.model import Deck, Hotspot, Screen


def make_deck(deck_id="letter", screens=3, hotspots=False, version=1) -> Deck:
    items = []
    for i in range(1, screens + 1):
        spots = ()
        if hotspots and i == 1:
            spots = (Hotspot((100, 100, 200, 80), goto=f"s{screens}", label="Skip to end"),)
        items.append(Screen(id=f"s{i}", image=f"s{i}.png", say=f"Screen {i} text.",
                            ask=f"Did you understand screen {i}?",
                            variant="original" if i % 2 else "easy-read", hotspots=spots))
    return Deck(id=deck_id, title=deck_id.title(), version=version, language="en-GB",
                screens=tuple(items))


@pytest.fixture
def deck():
    return make_deck()


@pytest.fixture(name="make_deck")
def make_deck_fixture():
    return make_deck
