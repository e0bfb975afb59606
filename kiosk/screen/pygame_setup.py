"""pygame set up lean, for a Pi with 512 MB: nothing loaded that the kiosk never uses.

Measured on x86 under Xvfb (``kiosk run --windowed`` on the welcome screen):
* ``import pygame`` also imports numpy (for surfarray) whenever numpy is installed, and
  pkg_resources (for pkgdata) whenever setuptools is: 22 MB and 0.15 s the kiosk never uses;
* on X11, SDL draws the window through an OpenGL texture by default; with Mesa's software
  renderer that loads LLVM: 100 MB more. The kiosk flips rarely and small, so plain X11
  shared-memory drawing serves it better. Wayland has no such path in SDL 2, so it is
  left alone there.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

_UNUSED_BY_PYGAME = ("numpy", "pkg_resources")


def import_pygame() -> ModuleType:
    """``import pygame`` without numpy and pkg_resources (they stay importable afterwards)."""
    if "pygame" in sys.modules:
        return sys.modules["pygame"]
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    hidden = [name for name in _UNUSED_BY_PYGAME if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail
    try:
        import pygame
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return pygame


def prefer_shared_memory_window() -> None:
    """Call after ``pygame.init()`` and before ``set_mode``: no OpenGL for the window on X11."""
    import pygame

    if pygame.display.get_init() and pygame.display.get_driver() == "x11":
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
