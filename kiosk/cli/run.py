"""``kiosk run``: open the kiosk on the installed decks (full screen, or ``--windowed``)."""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError
from kiosk.home import Home, bundled_decks_folder

if TYPE_CHECKING:
    import pygame

    from kiosk.app import InputSource, JobResult, KioskApp
    from kiosk.buttons.gpio import ButtonPanel
    from kiosk.decks.library import DeckLibrary
    from kiosk.decks.model import Deck
    from kiosk.decks.narration import NarrationCache
    from kiosk.sessions.log import ResponseLog

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = subparsers.add_parser(
        "run",
        help="run the kiosk",
        description="Run the kiosk. Keys: green = g or Right, red = r or Left, hear again = "
        "Space, facilitator menu = F12 (or hold both buttons for 3 s). Close the window or "
        "press Ctrl+C to stop; every answer is kept.",
    )
    run.add_argument("--deck", metavar="ID", help="start a session on this deck at once")
    run.add_argument("--venue", metavar="NAME", help="where this session is (with --deck)")
    run.add_argument("--windowed", action="store_true", help="a window instead of full screen")
    run.add_argument("--size", default="1024x600", metavar="WxH",
                     help="window size with --windowed (default 1024x600)")
    run.add_argument("--rehearsal", action="store_true",
                     help="try the materials: everything works, nothing is recorded")
    run.add_argument("--frames", type=int, help=argparse.SUPPRESS)  # for benchmarks and tests
    run.add_argument("--screenshot", type=Path, help=argparse.SUPPRESS)  # saved at the end
    run.set_defaults(handler=run_kiosk)


def parse_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise KioskError(f"--size must look like 1024x600, not {text!r}") from None
    if width < 320 or height < 240:
        raise KioskError("--size is too small: the kiosk needs at least 320x240.")
    return width, height


def narration_for(home: Home) -> NarrationCache:
    """The narration cache the installer filled, with the speech engine for anything new."""
    from kiosk.decks.narration import NarrationCache

    return NarrationCache.for_home(home)


def assemble(
    home: Home,
    surface_size: tuple[int, int],
    deck_id: str | None = None,
    venue: str | None = None,
    recording: bool = True,
    clock: Callable[[], float] = time.monotonic,
    use_gpio: bool = True,
) -> KioskApp:
    """Build the kiosk from its parts (decks, walk, screen, speaker, buttons, log, USB)."""
    from kiosk.app import Jobs, KioskApp
    from kiosk.decks.library import DeckLibrary
    from kiosk.screen.draw import Painter
    from kiosk.screen.sound import open_speaker
    from kiosk.settings import last_session, read_settings, remember_session
    from kiosk.usb import UsbWatcher
    from kiosk.walk.walk import Walk

    home.root.mkdir(parents=True, exist_ok=True)
    settings = read_settings(home)
    cache = narration_for(home)
    library = DeckLibrary(home, cache)
    decks = library.installed()
    if not decks:  # the kiosk still opens: a facilitator can install decks from a USB stick
        hint = ""
        if bundled_decks_folder():
            hint = f" To try the examples: kiosk deck install {bundled_decks_folder()}"
        log.warning("No decks are installed in %s.%s", home.decks, hint)
    if deck_id is None and venue is None:
        remembered = last_session(home)
        if remembered and any(d.id == remembered[0] for d in decks):
            deck_id, venue = remembered
    deck = None
    if deck_id is not None:
        matches = [d for d in decks if d.id == deck_id]
        if not matches:
            names = ", ".join(d.id for d in decks)
            raise KioskError(f"There is no installed deck called {deck_id!r}. Installed: {names}.")
        deck = matches[0]
    venues = list(settings.venues)
    if venue and venue not in venues:
        venues.insert(0, venue)

    session_log = None
    messages: list[str] = []
    if recording:
        from kiosk.sessions.log import ResponseLog

        session_log = ResponseLog(home.log, settings.kiosk_id)
        messages += session_log.recover()

    _render_kiosk_phrases_soon(cache)
    now = clock()
    walk = Walk(decks, venues, now, deck=deck, venue=venue, recording=recording,
                volume=settings.volume, menu_pin=settings.menu_pin,
                languages_for=lambda d: offered_languages(d, settings.languages, cache))
    painter = Painter(surface_size)
    speaker = open_speaker(cache, settings.volume)
    buttons, inputs, lamps = _buttons(home, clock) if use_gpio else (None, [], None)
    inputs.append(UsbWatcher())
    from kiosk.decks.narration_repair import repair_narration_soon
    from kiosk.screen.keys import KeyMap, keyboard_press_logic

    def remember(deck_id: str, venue: str) -> None:
        remember_session(home, deck_id, venue)

    app = KioskApp(walk, painter, speaker, session_log, inputs=inputs, clock=clock,
                   jobs=Jobs(_jobs(home, library, session_log)),
                   error_log=home.kiosk_log, lamps=lamps, button_edges=keyboard_press_logic(),
                   keys=KeyMap.from_names(settings.keys, str(home.config)),
                   on_session_start=remember if recording else None,
                   closers=[c for c in (buttons, session_log) if c is not None],
                   fault=" ".join(messages),
                   watchers=[repair_narration_soon(cache, decks)])  # missing clips, made now
    app.notice_faults()  # no sound device: the facilitator sees why from the first frame
    return app


def offered_languages(
    deck: Deck, wanted: tuple[str, ...], cache: NarrationCache
) -> tuple[str, ...]:
    """The deck's languages this kiosk can offer: chosen by the facilitator, and audible.

    A language is audible when espeak-ng has a voice for it, or when every screen translated
    into it has a recorded file.
    """
    offered = []
    for language in deck.languages:
        if wanted and language not in wanted and language.split("-")[0] not in wanted:
            continue
        recorded = all(s.translations[language].audio for s in deck.screens
                       if language in s.translations)
        if language == deck.language or cache.voice_available(language) or recorded:
            offered.append(language)
    return tuple(offered)


def _render_kiosk_phrases_soon(cache: NarrationCache) -> None:
    """The kiosk's own words are narrated once per machine, in the background at first start."""
    import threading

    from kiosk.walk import phrases

    cache.voice_available(phrases.KIOSK_LANGUAGE)  # the voice list, read before any render

    def render_all() -> None:
        for text, language in phrases.all_kiosk_phrases():
            try:
                cache.render(text, language)
            except KioskError as error:
                log.warning("Could not narrate the kiosk's words: %s", error)
                return

    threading.Thread(target=render_all, name="kiosk-phrases", daemon=True).start()


def _buttons(
    home: Home, clock: Callable[[], float]
) -> tuple[ButtonPanel | None, list[InputSource], Callable[[str, str], None] | None]:
    """GPIO buttons when a pin factory is there; otherwise the keyboard alone."""
    from kiosk.buttons.gpio import open_buttons
    from kiosk.buttons.settings import read_button_settings

    panel = open_buttons(read_button_settings(home.config), clock=clock)
    if panel is None:
        return None, [], None
    return panel, [panel], panel.show_lamps


def _jobs(
    home: Home, library: DeckLibrary, session_log: ResponseLog | None
) -> dict[str, Callable[[Path | None], JobResult]]:
    """The facilitator menu's slow jobs, each returning whether it worked and a plain message."""
    from kiosk.app import JobResult

    def needed(stick: Path | None) -> Path:
        if stick is None:
            raise KioskError("No USB stick found. Put the stick in, wait a moment, try again.")
        return stick

    def install_usb(stick: Path | None) -> JobResult:
        results = library.install(needed(stick))
        lines = [result.describe() for result in results] or ["No decks were found on the stick."]
        return JobResult(all(result.ready for result in results) and bool(results),
                         "\n".join(lines), tuple(library.installed()))

    def export_usb(stick: Path | None) -> JobResult:
        from kiosk.sessions.export import export_bundle

        if session_log is None:
            return JobResult(False, "This is a rehearsal: nothing was recorded.")
        folder = needed(stick) / "kiosk-export"
        folder.mkdir(exist_ok=True)
        bundle = export_bundle(session_log, folder)
        from kiosk.usb import safely_remove

        removal = safely_remove(needed(stick))
        return JobResult(True, f"The logs are copied to {bundle.name}. {removal}")

    def clear_exported(stick: Path | None) -> JobResult:
        if session_log is None:
            return JobResult(False, "This is a rehearsal: nothing was recorded.")
        cleared = session_log.clear_exported()
        return JobResult(True, f"{len(cleared)} copied sessions were deleted from this kiosk.")

    return {"install_usb": install_usb, "export_usb": export_usb,
            "clear_exported": clear_exported}


def open_display(size: tuple[int, int] | None) -> pygame.Surface:
    """A window of ``size`` (laptop), or the whole screen with the mouse pointer hidden
    (the kiosk: ``size`` None)."""
    import pygame

    from kiosk.screen.pygame_setup import prefer_shared_memory_window

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    pygame.init()
    prefer_shared_memory_window()
    pygame.display.set_caption("Co-design kiosk")
    if size is not None:
        surface = pygame.display.set_mode(size)
    else:
        # SCALED avoids X errors on Wayland (pygame#3114) and keeps touch in our coordinates.
        surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
        pygame.mouse.set_visible(False)
    return surface


def show_notice(surface: pygame.Surface, title: str, lines: tuple[str, ...]) -> None:
    """A calm full-screen message, so the box is never a black screen (starting, restarting)."""
    import pygame

    from kiosk.screen.draw import Painter
    from kiosk.walk.view import View

    Painter(surface.get_size()).draw(surface, View("notice", title, lines), 0.0)
    pygame.display.flip()


def run_kiosk(args: argparse.Namespace, home: Home) -> int:
    import pygame

    size = parse_size(args.size) if args.windowed else None
    surface = open_display(size)
    show_notice(surface, "Starting", ("One moment, please.",))
    app = None
    try:
        app = assemble(home, surface.get_size(), deck_id=args.deck, venue=args.venue,
                       recording=not args.rehearsal)
        app.run(surface, frames=args.frames)
        if args.screenshot:
            pygame.image.save(surface, str(args.screenshot))
    except KioskError:
        raise
    except Exception:
        # Past the loop's own recovery: say so on screen, then let systemd restart us.
        show_notice(surface, "Something went wrong", ("The kiosk is restarting.",
                                                      "Answers given so far are kept."))
        time.sleep(3)
        raise
    finally:
        if app is not None:
            app.close()
        pygame.quit()
    if app is not None and app.shutdown_requested:
        subprocess.run(["systemctl", "poweroff"], check=False)
    return 0
