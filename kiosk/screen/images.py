"""Screen images, loaded and scaled ahead so a button press never waits on the SD card.

Pillow does the slow part (decode + resize) on a worker thread, which hands over a pygame
Surface ready to blit. Memory stays small whatever the deck's size (a Pi Zero 2 W has 512 MB
for everything): each picture is decoded straight to its size on the screen and kept as
24-bit pixels: the one on the screen (``keep``) and the likeliest next one (``ahead``),
which has the whole time a screen is read and its tick shown to load; a screen loaded ahead
that is no longer expected is dropped, not kept.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
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
    the worker: the main loop only blits it. Each full-size copy is let go as soon as the next
    step has its own, so a 1920x1080 picture peaks at 15 MB, not 21 (a Pi Zero 2 W has 512 MB
    for everything)."""
    import pygame

    with Image.open(path) as opened:
        original = opened.size  # hotspots are in the file's own pixels, whatever ``draft`` does
        target = place(original) if place else None
        opened.draft("RGB", target or box)  # JPEG decodes straight at a smaller size
        opened.load()
        rgb = opened if opened.mode == "RGB" else opened.convert("RGB")
        if rgb is not opened:
            opened.close()
        size = target or fit_inside(rgb.size, box)
        if size != rgb.size:
            rgb = _resized(rgb, size)
        pixels = _packed(rgb)
    return pygame.image.frombuffer(pixels, size, "RGB"), original


def _resized(image: Image.Image, size: Size) -> Image.Image:
    """Pillow's LANCZOS resize, closing ``image`` as soon as it is used. A picture shrunk in
    both directions, no more than twice as tall as wide, is resized in Pillow's own two
    passes (across, then down; the same pixels, tested), so the decoded picture goes before
    the second pass instead of being held with both."""
    width, height = size
    if width < image.width and height < image.height and image.height <= 2 * image.width:
        across = image.resize((width, image.height), Image.Resampling.LANCZOS)
        image.close()
        image = across
    smaller = image.resize(size, Image.Resampling.LANCZOS)
    image.close()
    return smaller


def _packed(image: Image.Image) -> bytearray:
    """The pixels as packed RGB rows, copied out about a megabyte at a time (``tobytes``
    holds all its chunks and their join at once: twice the picture)."""
    width, height = image.size
    row = width * 3
    pixels = bytearray(row * height)
    rows = max(1, (1 << 20) // row)
    for top in range(0, height, rows):
        band = image.crop((0, top, width, min(height, top + rows))).tobytes()
        pixels[top * row:top * row + len(band)] = band
    image.close()
    return pixels


def _yield_to_the_main_loop() -> None:
    """The picture worker runs at a lower priority (Linux: per thread), so on a slow Pi a
    press is drawn first and the pictures ahead are decoded in the time left over."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (OSError, AttributeError):
        pass


class ImageStore:
    """Scaled screen images by (path, box), loaded ahead on a worker thread."""

    def __init__(self, keep: int = 1, ahead: int = 1) -> None:
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

    def expect(self, wishes: Iterable[tuple[Path, Size, Place]]) -> None:
        """The pictures that may be shown next, the likeliest first: the first ``ahead`` of
        them are loaded (or go on loading); any other picture loaded ahead is let go."""
        wanted: dict[tuple[Path, Size], Place] = {}
        for path, box, place in wishes:
            if len(wanted) == self._ahead:
                break
            wanted.setdefault((path, box), place)
        with self._lock:
            for key in [key for key in self._pending if key not in wanted]:
                self._pending.pop(key).cancel()
            for (path, box), place in wanted.items():
                if (path, box) not in self._ready and (path, box) not in self._pending:
                    self._pending[(path, box)] = self._pool.submit(_load_scaled, path, box,
                                                                   place)

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
