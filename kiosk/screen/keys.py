"""Keyboard, mouse and touch, turned into the walk's events (the laptop's "buttons").

By default green = g or Right arrow, red = r or Left arrow, hear again = Space, facilitator
menu = F12 (or holding both buttons); ``[keys]`` in kiosk.toml changes them, e.g. for a
switch interface that sends Space and Enter. A touch is taken from FINGERDOWN only: SDL also
sends a copy as a mouse click, which would count every tap twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pygame

from kiosk.buttons.press_logic import ButtonInterpreter, Timings
from kiosk.errors import KioskError
from kiosk.settings import DEFAULT_KEYS
from kiosk.walk.events import Event, HoldBoth, Quit, Replay, Tap

ToImage = Callable[[tuple[float, float]], tuple[float | None, float | None]]


@dataclass(frozen=True)
class KeyMap:
    """Which keys are green, red, hear again and the menu, as pygame key codes."""

    green: frozenset[int]
    red: frozenset[int]
    replay: frozenset[int]
    menu: frozenset[int]

    @classmethod
    def from_names(cls, names: Iterable[tuple[str, Iterable[str]]] = DEFAULT_KEYS.items(),
                   where: str = "kiosk.toml") -> KeyMap:
        """Key names as pygame spells them ("g", "right", "space", "return", "f12")."""
        codes: dict[str, frozenset[int]] = {}
        for role, keys in names:
            found = set()
            for key in keys:
                try:
                    found.add(pygame.key.key_code(key))
                except ValueError:
                    raise KioskError(
                        f"In {where}, keys.{role} names {key!r}, which is not a key. Use "
                        'names such as "g", "right", "space", "return" or "f12".') from None
            codes[role] = frozenset(found)
        return cls(**{role: codes.get(role, frozenset()) for role in DEFAULT_KEYS})


def keyboard_press_logic(timings: Timings | None = None) -> ButtonInterpreter:
    """The buttons' rules for keys, without the contact debounce.

    A keyboard (or an arcade encoder or switch interface that types a key) debounces its own
    contacts, and a key down and up can arrive in the same frame: with the GPIO debounce such a
    tap was lost. Hold-both, answer-on-release and anti-mashing (which are about people) stay.
    """
    base = timings or Timings()
    return ButtonInterpreter(Timings(debounce=0.0, min_between_answers=base.min_between_answers,
                                     hold_both=base.hold_both, stuck=base.stuck))


def translate(
    event: pygame.event.Event, to_image: ToImage, window: tuple[int, int],
    keys: KeyMap,
) -> Event | None:
    """One pygame event as a walk event, or None if it means nothing to the walk."""
    if event.type == pygame.QUIT:
        return Quit()
    if event.type == pygame.KEYDOWN:
        if event.key == pygame.K_c and event.mod & pygame.KMOD_CTRL:
            return Quit()
        if event.key in keys.menu:
            return HoldBoth()
        if event.key in keys.replay:
            return Replay()
    if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not getattr(
        event, "touch", False
    ):
        return Tap(*to_image(event.pos))
    if event.type == pygame.FINGERDOWN:
        return Tap(*to_image((event.x * window[0], event.y * window[1])))
    return None


def button_edge(event: pygame.event.Event, keys: KeyMap) -> tuple[str, bool] | None:
    """Green and red keys as button edges ("green", pressed?), for the buttons' press rules."""
    if event.type not in (pygame.KEYDOWN, pygame.KEYUP):
        return None
    pressed = event.type == pygame.KEYDOWN
    if event.key in keys.green:
        return ("green", pressed)
    if event.key in keys.red:
        return ("red", pressed)
    return None
