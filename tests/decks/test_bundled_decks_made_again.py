"""The bundled decks are what prototypes/make_examples.py makes: drawn again into a scratch
folder, each reads (through the kiosk's own reader) as the committed deck, field for field,
translations included, with the same pictures at the same sizes."""

import importlib.util
import sys
from pathlib import Path

import pytest
from PIL import Image

from kiosk.authoring.deck_writer import deck_fields
from kiosk.decks.reader import read_deck
from kiosk.home import CHECKOUT

PROTOTYPES = CHECKOUT / "prototypes"
DECKS = ["hospital-letter", "diabetes-app"]

pytestmark = pytest.mark.slow  # draws every picture and the letter's PDF again (about 10 s)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("make_examples",
                                                  PROTOTYPES / "make_examples.py")
    module = importlib.util.module_from_spec(spec)
    path, modules = list(sys.path), set(sys.modules)
    try:
        spec.loader.exec_module(module)  # it puts prototypes/ on the path for its package
        folder = tmp_path_factory.mktemp("examples")
        module.main(folder)
    finally:
        sys.path[:] = path
        for name in set(sys.modules) - modules:
            del sys.modules[name]
    return folder


@pytest.mark.parametrize("name", DECKS)
def test_made_again_the_deck_reads_as_the_committed_one(made, name):
    again, committed = read_deck(made / name), read_deck(PROTOTYPES / name)
    assert deck_fields(again) == deck_fields(committed)
    assert any(screen.translations for screen in committed.screens) == (name == "hospital-letter")


@pytest.mark.parametrize("name", DECKS)
def test_made_again_the_pictures_are_the_same_files_at_the_same_sizes(made, name):
    def pictures(folder: Path) -> dict[str, tuple[int, int]]:
        found = {}
        for path in sorted(folder.rglob("*.png")):
            with Image.open(path) as image:
                found[path.relative_to(folder).as_posix()] = image.size
        return found

    again, committed = pictures(made / name), pictures(PROTOTYPES / name)
    assert again and again == committed
