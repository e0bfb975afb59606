"""Golden images: every kind of screen at the five display sizes, from the real app driven by
docs/make_screenshots.py, compared with the pictures stored in tests/screen/golden/.

The comparison is Pygame Zero's: a pixel counts as changed only when a colour channel differs
by more than a threshold, and a small share of changed pixels is allowed, so a different
FreeType's hinting never fails it while a moved button, a lost word or a wrong colour does.
Goldens are stored at half size to keep the repository small.

After a deliberate change to the screens, look at the new pictures, then store them:

    KIOSK_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/screen/test_golden_images.py
"""

import importlib.util
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from kiosk.decks.library import DeckLibrary
from kiosk.home import CHECKOUT, Home

GOLDEN = Path(__file__).resolve().parent / "golden"
SIZES = [(800, 480), (1024, 600), (1280, 720), (720, 1280), (1920, 1080)]
THRESHOLD = 64  # a channel differing by more than this (of 255) marks a pixel as changed
ALLOWED = 0.004  # the share of changed pixels tolerated (anti-aliasing at text edges)
REGENERATE = os.environ.get("KIOSK_REGENERATE_GOLDEN") == "1"
KINDS = {"welcome", "choose-language", "how-it-works", "profile-questions", "profile-question",
         "screen-original-1", "tick", "screen-easy-read", "cross", "facilitator-menu",
         "choose-language-punjabi", "how-it-works-punjabi", "screen-punjabi", "task",
         "task-screen", "task-done", "task-easy", "thank-you"}


def screenshot_script():
    spec = importlib.util.spec_from_file_location(
        "make_screenshots", CHECKOUT / "docs" / "make_screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = Home(tmp_path_factory.mktemp("golden"))
    DeckLibrary(home).install(CHECKOUT / "prototypes")
    return home


def halved(surface) -> Image.Image:
    """A pygame Surface as a Pillow image at half size, as the goldens are stored."""
    import pygame

    size = surface.get_size()
    image = Image.frombytes("RGB", size, pygame.image.tobytes(surface, "RGB"))
    return image.reduce(2)


def changed_share(actual: Image.Image, golden: Image.Image) -> float:
    """The share of pixels where some colour channel differs by more than THRESHOLD."""
    if actual.size != golden.size:
        return 1.0
    red, green, blue = ImageChops.difference(actual.convert("RGB"),
                                             golden.convert("RGB")).split()
    worst = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    counts = worst.histogram()
    return sum(counts[THRESHOLD + 1:]) / (actual.width * actual.height)


def difference_picture(actual: Image.Image, golden: Image.Image) -> Image.Image:
    """Changed pixels in red over a faint copy of the golden, to see at a glance what moved."""
    red, green, blue = ImageChops.difference(actual, golden).split()
    worst = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    mask = worst.point(lambda value: 255 if value > THRESHOLD else 0)
    faint = Image.blend(golden, Image.new("RGB", golden.size, "white"), 0.7)
    faint.paste((255, 0, 0), mask=mask)
    return faint


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_kind_of_screen_matches_its_golden_image(home, size, tmp_path):
    shots = list(screenshot_script().every_screen(home, size))
    assert {name for name, _ in shots} == KINDS
    suffix = f"{size[0]}x{size[1]}"
    problems = []
    for name, surface in shots:
        actual = halved(surface)
        path = GOLDEN / f"{name}-{suffix}.png"
        if REGENERATE:
            GOLDEN.mkdir(exist_ok=True)
            actual.quantize(256, dither=Image.Dither.NONE).save(path, optimize=True)
            continue
        if not path.exists():
            problems.append(f"{path.name} has no golden image: look at the screen, then run "
                            "with KIOSK_REGENERATE_GOLDEN=1")
            continue
        with Image.open(path) as stored:
            golden = stored.convert("RGB")
        share = changed_share(actual, golden)
        if share > ALLOWED:
            actual.save(tmp_path / f"{name}-{suffix}-actual.png")
            if actual.size == golden.size:
                difference_picture(actual, golden).save(tmp_path / f"{name}-{suffix}-diff.png")
            problems.append(f"{path.name}: {share:.2%} of pixels changed (allowed "
                            f"{ALLOWED:.1%}); see {tmp_path}")
    assert not problems, "\n".join(problems)


def test_the_comparison_forgives_hinting_but_not_a_change():
    """The tolerance is real both ways: a softened copy passes, a moved button fails."""
    golden = Image.open(GOLDEN / "screen-original-1-800x480.png").convert("RGB")
    softened = golden.filter(ImageFilter.GaussianBlur(0.4))  # what another hinting looks like
    assert changed_share(softened, golden) <= ALLOWED
    moved = golden.copy()
    ImageDraw.Draw(moved).ellipse((10, 150, 50, 190), fill=(0, 150, 57))  # a button drawn astray
    assert changed_share(moved, golden) > ALLOWED
    assert changed_share(golden.crop((0, 0, 100, 100)), golden) == 1.0  # another size
