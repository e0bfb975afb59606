"""Screen images, loaded and scaled ahead so a button press never waits on the SD card.

Pillow does the slow part (decode + resize) on a worker thread, which hands over a pygame
Surface ready to blit. Memory stays small whatever the deck's size (a Pi Zero 2 W has 512 MB
for everything): each picture is decoded straight to its size on the screen and kept as
24-bit pixels, the one on the screen (``keep``) and at most ``ahead`` loaded for the screens
that may come next; a screen loaded ahead that is never shown is dropped, not kept.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

Size = tuple[int, int]


def fit_inside(image_size: Size, box: Size) -> Size:
    """The largest size with the image's proportions that fits the box (letterboxing)."""
    iw, ih = image_size
    bw, bh = box
    scale = min(bw / iw, bh / ih)
    return max(1, round(iw * scale)), max(1, round(ih * scale))


Place = Callable[[Size], Size] | None  # the picture's own size -> its size on the screen


def _load_scaled(path: Path, box: Size, place: Place = None):
    """(a pygame Surface at the picture's size on the screen, the file's own size), made on
    the worker: the main loop only blits it. The full-size decoded pixels are let go before
    the scaled ones are copied out, and the Surface shares that one copy."""
    import pygame

    with Image.open(path) as image:
        original = image.size  # hotspots are in the file's own pixels, whatever ``draft`` does
        target = place(original) if place else None
        image.draft("RGB", target or box)  # JPEG decodes straight at a smaller size
        image.load()
        rgb = image if image.mode == "RGB" else image.convert("RGB")  # no copy when RGB
        size = target or fit_inside(rgb.size, box)
        if size != rgb.size:
            rgb = rgb.resize(size, Image.Resampling.LANCZOS)
            image.close()
        pixels = rgb.tobytes()
    del rgb
    return pygame.image.frombuffer(pixels, size, "RGB"), original


def _yield_to_the_main_loop() -> None:
    """The picture worker runs at a lower priority (Linux: per thread), so on a slow Pi a
    press is drawn first and the pictures ahead are decoded in the time left over."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (OSError, AttributeError):
        pass


class ImageStore:
    """Scaled screen images by (path, box), loaded ahead on a worker thread."""

    def __init__(self, keep: int = 1, ahead: int = 2) -> None:
        self._keep = keep
        self._ahead = ahead
        self._ready: OrderedDict[tuple[Path, Size], object] = OrderedDict()
        self._pending: dict[tuple[Path, Size], Future] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="images",
                                        initializer=_yield_to_the_main_loop)
        self.faults: list[str] = []  # plain sentences for the facilitator

    def prefetch(self, path: Path, box: Size, place: Place = None) -> None:
        """Start loading a picture to fit ``box``, or at ``place(its own size)`` if given."""
        key = (path, box)
        with self._lock:
            if key in self._ready or key in self._pending:
                return
            self._pending[key] = self._pool.submit(_load_scaled, path, box, place)
            while len(self._pending) > self._ahead:  # the oldest wish is the least likely
                self._pending.pop(next(iter(self._pending))).cancel()

    def get(self, path: Path, box: Size, place: Place = None):
        """(Surface, original image size), or None if the file cannot be shown."""
        key = (path, box)
        with self._lock:
            if key in self._ready:
                self._ready.move_to_end(key)
                return self._ready[key]
            future = self._pending.pop(key, None)
        try:
            result = future.result() if future else _load_scaled(path, box, place)
        except Exception as error:  # noqa: BLE001 - a bad image must not stop the walk
            log.warning("Could not show image %s: %s", path, error)
            self.faults.append(f"A picture could not be shown ({path.name}); its words are "
                               "shown instead.")
            result = None
        with self._lock:
            self._ready[key] = result
            while len(self._ready) > self._keep:
                self._ready.popitem(last=False)
        return result

    def counts(self) -> tuple[int, int]:
        """(pictures ready, pictures being loaded): both stay small whatever the deck."""
        with self._lock:
            return len(self._ready), len(self._pending)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
