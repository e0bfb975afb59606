"""The main loop's sleep: until input arrives or the loop's own next moment, whichever is first.

Reading the keyboard every 16 ms made every press wait up to 16 ms before anything happened
(under a Pi 4's CPU budget that was half the time from key release to the answer on screen)
and woke the CPU 60 times a second at rest. On X11 the display's connection to the X server
is a file descriptor, so the loop ``select``s on it and wakes the moment a key, a touch or a
click arrives. Other threads and signal handlers wake it through a pipe (a GPIO edge, a job
finished, Ctrl+C). Where the display has no descriptor to watch (KMS/DRM, Wayland, SDL's
dummy driver) the loop still polls, as ``Pace.poll`` says.
"""

from __future__ import annotations

import ctypes
import os
import select

_QUEUED_ALREADY = 0  # XEventsQueued mode: count what Xlib has read, without asking the server


class Waker:
    """Sleeps until ``wake()`` is called, an X event arrives, or the time is up."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._xlib: ctypes.CDLL | None = None
        self._display: int | None = None  # Xlib's Display*, owned by SDL
        self._display_fd: int | None = None

    @property
    def watches_display(self) -> bool:
        """Input on the display wakes the loop at once (no need to poll for it)."""
        return self._display_fd is not None

    def watch_display(self) -> bool:
        """After ``set_mode``: wake when the X server sends an event. False where there is no
        X11 display (the loop then polls)."""
        import pygame

        if not pygame.display.get_init() or pygame.display.get_driver() != "x11":
            return False
        capsule = pygame.display.get_wm_info().get("display")
        try:
            get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
            get_pointer.restype = ctypes.c_void_p
            get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
            display = get_pointer(capsule, b"display")
            xlib = ctypes.CDLL("libX11.so.6")  # the one SDL has loaded already
            xlib.XConnectionNumber.argtypes = [ctypes.c_void_p]
            xlib.XEventsQueued.argtypes = [ctypes.c_void_p, ctypes.c_int]
            descriptor = xlib.XConnectionNumber(display)
        except (OSError, ValueError, TypeError, AttributeError):  # no capsule, no libX11
            return False
        if not display or descriptor < 0:
            return False
        self._xlib, self._display, self._display_fd = xlib, display, descriptor
        return True

    def wake(self) -> None:
        """From any thread or a signal handler: stop sleeping now."""
        try:
            os.write(self._write, b"!")
        except (BlockingIOError, OSError):  # a wake is pending already, or closed
            pass

    def sleep(self, seconds: float) -> bool:
        """Sleep at most ``seconds``; True if ``wake()`` was called meanwhile (or before)."""
        if self._xlib is not None and self._xlib.XEventsQueued(self._display,
                                                                _QUEUED_ALREADY) > 0:
            return self._woken()  # read from the server already (during a drawing): no wait
        watched = [self._read] if self._display_fd is None else [self._read, self._display_fd]
        select.select(watched, [], [], max(0.0, seconds))
        return self._woken()

    def _woken(self) -> bool:
        try:
            return bool(os.read(self._read, 4096))
        except BlockingIOError:
            return False

    def close(self) -> None:
        self._xlib = self._display = self._display_fd = None
        for descriptor in (self._read, self._write):
            try:
                os.close(descriptor)
            except OSError:
                pass
