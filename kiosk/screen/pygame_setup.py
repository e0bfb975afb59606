"""pygame set up lean, for a Pi with 512 MB: nothing loaded that the kiosk never uses.

Measured on x86 under Xvfb (``kiosk run --windowed`` on the welcome screen):
* ``import pygame`` also imports numpy (for surfarray) whenever numpy is installed, and
  pkg_resources (for pkgdata) whenever setuptools is: 22 MB and 0.15 s the kiosk never uses;
* on X11, SDL draws the window through an OpenGL texture by default; with Mesa's software
  renderer that loads LLVM: 100 MB more. The kiosk flips rarely and small, so plain X11
  shared-memory drawing serves it better. Wayland has no such path in SDL 2, so it is
  left alone there.
* glibc keeps freed multi-megabyte buffers (a decoded picture is 6 MB at 1920x1080) in the
  heap once it has seen one freed, so the kiosk's resident size only ever grows; a fixed
  mmap threshold gives each one back to the system when it is freed.
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


def give_big_buffers_back() -> None:
    """glibc only: buffers over 128 KB are mapped on their own and unmapped when freed."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD, fixed (no dynamic raising)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to do
        return
