"""At rest the kiosk rests, and stays small (issue 14): the real loop on SDL's dummy drivers.

Counts, never timings: how many whole-screen draws and flips a run makes, which pixels a
breath touches, which modules ``kiosk run`` loads, how many pictures the cache holds.
Speed and memory figures are printed by bench/bench_pi_budget.py.
"""

import os
import subprocess
import sys
import threading
import time

import pygame
import pytest
from PIL import Image, ImageDraw

from kiosk.cli.run import assemble
from kiosk.decks.library import DeckLibrary
from kiosk.decks.narration import NarrationCache
from kiosk.home import Home
from kiosk.screen.draw import Painter
from kiosk.screen.images import ImageStore
from kiosk.walk.view import PULSE, View

DECK_TOML = """\
id = "rest"
title = "Resting"
version = 1
language = "en-GB"

[[screen]]
id = "p1"
image = "p1.png"
say = "Your appointment is on Monday."
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    root = tmp_path_factory.mktemp("rest")
    source = root / "source"
    source.mkdir()
    (source / "deck.toml").write_text(DECK_TOML, encoding="utf-8")
    Image.new("RGB", (1200, 720), "white").save(source / "p1.png")
    home = Home(root / "home")
    home.root.mkdir()
    DeckLibrary(home, NarrationCache.for_home(home)).install(source)
    return home


@pytest.fixture
def counted(home, monkeypatch):
    """A real kiosk on the welcome screen, with its flips, draws and lamp calls counted."""
    monkeypatch.setattr("kiosk.cli.run._render_kiosk_phrases_soon", lambda cache: None)
    counts = {"flip": 0, "update": [], "draw": 0, "lamps": 0}
    pygame.init()
    surface = pygame.display.set_mode((800, 480))
    app = assemble(home, surface.get_size(), deck_id="rest", venue="Library", use_gpio=False)
    real_flip, real_update, real_draw = (pygame.display.flip, pygame.display.update,
                                         app.painter.draw)

    def flip():
        counts["flip"] += 1
        real_flip()

    def update(rects):
        counts["update"].append(list(rects))
        real_update(rects)

    def draw(*args):
        counts["draw"] += 1
        real_draw(*args)

    def lamps(green, red):
        counts["lamps"] += 1

    monkeypatch.setattr(pygame.display, "flip", flip)
    monkeypatch.setattr(pygame.display, "update", update)
    app.painter.draw = draw
    app.lamps = lamps
    yield app, surface, counts
    app.close()
    pygame.quit()


def test_on_the_welcome_screen_the_loop_draws_once_and_then_only_breathes(counted):
    app, surface, counts = counted
    app.run(surface, frames=6)  # six steps of the walk: about half a second at rest
    assert app.walk.state == "welcome"
    whole = [rects for rects in counts["update"] if surface.get_rect() in rects]
    assert counts["draw"] == 1 and len(whole) == 1 and counts["flip"] == 0
    assert counts["lamps"] == 1  # the lamps are told once; gpiozero makes them breathe
    screen_area = surface.get_width() * surface.get_height()
    for rects in counts["update"][1:]:  # any breaths in between were small areas only
        assert sum(r.width * r.height for r in rects) < 0.2 * screen_area


def test_a_press_is_drawn_on_the_step_the_press_rules_decide_it(counted):
    app, surface, counts = counted
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(kind, key=pygame.K_g, mod=0, unicode="",
                                             scancode=0))
    app.run(surface, frames=2)  # the edges, then (if debounced) the step that decides
    assert app.walk.state != "welcome"
    assert app.refresh(surface) == []  # what is on the screen is the answered view
    assert len(counts["update"]) >= counts["draw"] and counts["draw"] <= 2


def key(kind):
    return pygame.event.Event(kind, key=pygame.K_g, mod=0, unicode="", scancode=0)


def test_a_press_on_a_deck_screen_draws_only_the_tick_and_the_lamps_as_a_whole_draw_would(
        counted):
    app, surface, counts = counted
    moment = [time.monotonic()]
    app.clock = lambda: moment[0]  # presses a second apart, however fast the machine

    def press():
        moment[0] += 1.0
        app.step([key(pygame.KEYDOWN)])
        moment[0] += 0.1
        app.step([key(pygame.KEYUP)])

    app.apply(app.walk.startup_effects())
    app.refresh(surface)
    while app.walk.state != "screen":  # welcome, how it works, ... to the deck's screen
        press()
        app.refresh(surface)
    draws = counts["draw"]
    press()
    assert app.walk.state == "ack"
    areas = app.refresh(surface)
    assert counts["draw"] == draws  # no whole redraw for the tick
    screen_area = surface.get_width() * surface.get_height()
    assert areas and sum(a.width * a.height for a in areas) < 0.5 * screen_area
    whole = pygame.Surface(surface.get_size())
    Painter(surface.get_size()).draw(whole, app.current_view(), app.clock())
    assert pygame.image.tobytes(whole, "RGB") == pygame.image.tobytes(surface, "RGB")


def test_a_crash_in_a_frame_still_redraws_the_whole_screen(counted):
    app, surface, counts = counted
    app.run(surface, frames=1)
    app.run(surface, frames=1)  # a new run draws whatever was left on the window before
    assert counts["draw"] == 2


def test_a_breath_redraws_only_the_glow_around_the_buttons(pygame_ready):
    surface = pygame.Surface((800, 480))
    painter = Painter((800, 480))
    view = View("welcome", "Hello", ("Press green to start.",), buttons=("Start", ""),
                lamps=(PULSE, "off"))
    painter.draw(surface, view, 0.0)
    before = surface.copy()
    areas = painter.breathe(surface, 0.4)  # a quarter of a breath later: the glow is wider
    assert areas and sum(a.width * a.height for a in areas) < 0.2 * 800 * 480
    changed = [(x, y) for x in range(0, 800, 2) for y in range(0, 480, 2)
               if surface.get_at((x, y)) != before.get_at((x, y))]
    assert changed
    assert all(any(a.collidepoint(point) for a in areas) for point in changed)
    painter.breathe(surface, 0.0)  # the same moment as the whole drawing: the same pixels
    assert all(surface.get_at((x, y)) == before.get_at((x, y))
               for x in range(0, 800, 4) for y in range(0, 480, 4))


def test_a_gpio_edge_wakes_the_loop_at_once():
    from gpiozero import Device
    from gpiozero.pins.mock import MockFactory, MockPWMPin

    from kiosk.buttons import ButtonPanel, ButtonSettings

    saved = Device.pin_factory
    Device.pin_factory = MockFactory(pin_class=MockPWMPin)
    settings = ButtonSettings()
    panel = ButtonPanel(settings)
    try:
        woken = threading.Event()
        panel.on_edge = woken.set
        assert not panel.held
        Device.pin_factory.pin(settings.green_pin).drive_low()
        assert woken.is_set()
        assert panel.held  # the loop steps every frame while a button is down
    finally:
        panel.close()
        Device.pin_factory.reset()
        Device.pin_factory = saved


def test_the_picture_cache_holds_a_few_pictures_whatever_the_deck(tmp_path, pygame_ready):
    paths = []
    for number in range(10):
        path = tmp_path / f"s{number}.png"
        Image.new("RGB", (640, 400), (number * 20, 80, 120)).save(path)
        paths.append(path)
    store = ImageStore(keep=2, ahead=3)
    for path in paths:  # a task screen with many hotspots asks for many ahead
        store.prefetch(path, (320, 200))
    assert store.counts()[1] <= 3
    for path in paths[-4:]:
        assert store.get(path, (320, 200)) is not None
    assert store.counts()[0] <= 2
    store.close()


def test_a_jpeg_decoded_small_keeps_its_own_size_for_hotspots(tmp_path, pygame_ready):
    path = tmp_path / "big.jpg"
    image = Image.new("RGB", (1600, 1200), "white")
    ImageDraw.Draw(image).rectangle((0, 0, 800, 600), fill=(0, 94, 184))
    image.save(path, quality=90)
    surface, original = ImageStore().get(path, (400, 300))
    assert original == (1600, 1200)
    assert surface.get_size() == (400, 300)


HEAVY = ("matplotlib", "numpy", "pypdfium2", "textstat", "tomlkit", "pkg_resources")

LOADED = """
import sys
from kiosk.cli import main
status = main(["--home", sys.argv[1], "run", "--windowed", "--frames", "2"])
print(status, " ".join(sorted({m.split(".")[0] for m in sys.modules} & set(sys.argv[2:]))))
"""


def test_kiosk_run_loads_none_of_the_designers_tools(tmp_path):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    result = subprocess.run([sys.executable, "-c", LOADED, str(tmp_path / "home"), *HEAVY],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2].strip() == "0"  # ran, and loaded none of them


def test_a_picture_is_scaled_once_straight_to_its_place_on_the_screen(tmp_path, pygame_ready):
    path = tmp_path / "page.png"
    Image.new("RGB", (1500, 900), (0, 94, 184)).save(path)
    seen = []

    def place(original):
        seen.append(original)
        return (500, 300)

    store = ImageStore()
    store.prefetch(path, (800, 480), place)
    surface, original = store.get(path, (800, 480), place)
    assert surface.get_size() == (500, 300) and original == (1500, 900) and seen == [original]
    assert tuple(surface.get_at((250, 150)))[:3] == (0, 94, 184)  # flat colours stay exact
    store.close()


@pytest.mark.parametrize(("original", "shown"), [
    ((1920, 1080), (1700, 956)),  # a slide, a little smaller
    ((1240, 1754), (763, 1080)),  # an A4 page on a landscape screen
    ((1080, 1920), (720, 1280)),  # a portrait picture on a portrait screen
    ((640, 400), (800, 500)),  # a small picture made larger
    ((300, 1200), (100, 400)),  # a long strip: one Pillow call
])
def test_a_picture_loaded_a_step_at_a_time_has_the_pixels_of_one_pillow_resize(
        tmp_path, pygame_ready, original, shown):
    path = tmp_path / "noisy.png"
    Image.effect_noise(original, 80).convert("RGB").save(path)
    store = ImageStore()
    surface, _ = store.get(path, (2000, 2000), lambda size: shown)
    with Image.open(path) as image:
        expected = image.convert("RGB").resize(shown, Image.Resampling.LANCZOS).tobytes()
    assert pygame.image.tobytes(surface, "RGB") == expected
    store.close()


def test_rendered_words_are_kept_up_to_a_size_and_what_is_drawn_again_stays(pygame_ready):
    from kiosk.screen import text

    paragraph = "We would like to know if our letters and apps are easy to understand. " * 3
    for size in range(60, 100, 4):  # message screens at 1920x1080: megabytes each
        text.render_text(paragraph, size, (255, 255, 255), 1740)
        label = text.render_text("Start", 81, (255, 255, 255), 400, bold=True)
    assert text.RENDERED.used <= text.RENDERED.limit
    assert text.render_text("Start", 81, (255, 255, 255), 400, bold=True) is label
    first = text.render_text(paragraph, 60, (255, 255, 255), 1740)  # drawn again: same pixels
    again = text.render_text(paragraph, 60, (255, 255, 255), 1740)
    assert again is first


def test_only_the_likeliest_next_picture_is_loaded_ahead(tmp_path, pygame_ready):
    paths = []
    for number in range(4):
        path = tmp_path / f"s{number}.png"
        Image.new("RGB", (640, 400), (number * 40, 80, 120)).save(path)
        paths.append(path)
    store = ImageStore()
    store.expect([(path, (320, 200), None) for path in paths[1:]])
    assert store.counts() == (0, 1)
    assert store.get(paths[1], (320, 200)) is not None
    store.expect([(paths[3], (320, 200), None), (paths[2], (320, 200), None)])
    assert store.counts() == (1, 1)  # the one on the screen, and the next one expected
    surface, _ = store.get(paths[3], (320, 200))
    assert tuple(surface.get_at((5, 5)))[:3] == (120, 80, 120)
    store.close()


def test_a_wake_from_another_thread_ends_the_loops_sleep():
    from kiosk.screen.wakeup import Waker

    waker = Waker()
    assert not waker.sleep(0.0)
    threading.Timer(0.05, waker.wake).start()
    assert waker.sleep(60.0)  # woken, long before the minute is up
    assert not waker.sleep(0.0)  # and only once
    waker.close()


def test_without_an_x11_display_the_loop_still_polls_for_keys(counted):
    from kiosk.screen.wakeup import Waker

    waker = Waker()
    assert not waker.watch_display()  # SDL's dummy driver: nothing to select on
    waker.close()
