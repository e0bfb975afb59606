"""Keyboard, mouse and touch, turned into the walk's events (the laptop's "buttons").

Green = g or Right arrow, red = r or Left arrow, hear again = Space, facilitator menu = F12
(or holding both buttons). A touch is taken from FINGERDOWN only: SDL also sends a copy as a
mouse click, which would count every tap twice.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from kiosk.walk.events import Event, HoldBoth, Quit, Replay, Tap

GREEN_KEYS = (pygame.K_g, pygame.K_RIGHT)
RED_KEYS = (pygame.K_r, pygame.K_LEFT)
REPLAY_KEYS = (pygame.K_SPACE,)
MENU_KEYS = (pygame.K_F12,)

ToImage = Callable[[tuple[float, float]], tuple[float | None, float | None]]


def translate(
    event: pygame.event.Event, to_image: ToImage, window: tuple[int, int]
) -> Event | None:
    """One pygame event as a walk event, or None if it means nothing to the walk."""
    if event.type == pygame.QUIT:
        return Quit()
    if event.type == pygame.KEYDOWN:
        if event.key == pygame.K_c and event.mod & pygame.KMOD_CTRL:
            return Quit()
        if event.key in MENU_KEYS:
            return HoldBoth()
        if event.key in REPLAY_KEYS:
            return Replay()
    if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and not getattr(
        event, "touch", False
    ):
        return Tap(*to_image(event.pos))
    if event.type == pygame.FINGERDOWN:
        return Tap(*to_image((event.x * window[0], event.y * window[1])))
    return None


def button_edge(event: pygame.event.Event) -> tuple[str, bool] | None:
    """Green and red keys as button edges ("green", pressed?), for the same press logic as GPIO."""
    if event.type not in (pygame.KEYDOWN, pygame.KEYUP):
        return None
    pressed = event.type == pygame.KEYDOWN
    if event.key in GREEN_KEYS:
        return ("green", pressed)
    if event.key in RED_KEYS:
        return ("red", pressed)
    return None
