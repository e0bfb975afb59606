"""Checking screen images before the kiosk trusts them.

A deck can come from anyone's USB stick, so an image is opened with Pillow and decoded in
full before it is installed: a text file renamed ``.png``, a half-copied file or a
"decompression bomb" (a tiny file claiming billions of pixels) is refused here, with a
plain reason, instead of crashing or freezing the kiosk in the middle of a session.

Limits (the numbers a designer may meet):

* ``MAX_PIXELS`` = 25 million pixels (e.g. 6000 x 4000). The kiosk's screen is at most
  1920 x 1080 (about 2 million); a 25 MP picture already takes 100 MB of memory on the Pi
  once loaded. The check uses the size written in the file's header, before decoding.
* ``MAX_SIDE`` = 10 000 pixels on either side, for very long thin images.
* Pillow's own decompression-bomb guard (``Image.MAX_IMAGE_PIXELS``) stays on as a second
  line of defence; its warning is treated as a refusal.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

MAX_PIXELS = 25_000_000
MAX_SIDE = 10_000
FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}  # MPO: a JPEG from some cameras
EXTENSIONS = (".png", ".jpg", ".jpeg")
DAMAGED = "is damaged or cut short (perhaps only part of it was copied); export or copy it again"


class ImageProblem(ValueError):
    """Why an image cannot be used, as the end of a sentence ("... is not a PNG or JPEG")."""


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "PNG" or "JPEG"
    width: int
    height: int

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


def inspect_image(path: Path, *, thorough: bool = True) -> ImageInfo:
    """Return the image's format and size, or raise ImageProblem saying what is wrong.

    ``thorough`` decodes every pixel, which is what catches truncated or corrupt files; the
    library turns it off for decks it has already checked at install, where only the size
    is needed and speed matters.
    """
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            info = _header_info(image)
            if thorough:
                if info.format == "PNG":
                    image.verify()  # checks every chunk's checksum and that the file ends
                    with Image.open(path) as again:
                        again.load()
                else:
                    image.load()
    except ImageProblem:
        raise
    except UnidentifiedImageError:
        raise ImageProblem(
            "is not a PNG or JPEG picture (the file's contents are not an image)"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageProblem(_too_big_sentence()) from None
    except (FileNotFoundError, PermissionError, IsADirectoryError):
        raise ImageProblem("could not be read") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, MemoryError):
        # Pillow reports broken files as OSError ("truncated"), SyntaxError ("broken PNG
        # file") and friends; to a designer they all mean the same thing.
        raise ImageProblem(DAMAGED) from None
    return info


def inspect_images(
    paths: Iterable[Path], *, thorough: bool = True
) -> dict[Path, ImageInfo | ImageProblem]:
    """Inspect many images at once, on every core (Pillow decodes without holding the GIL)."""
    from PIL import Image

    unique = list(dict.fromkeys(paths))

    def one(path: Path) -> ImageInfo | ImageProblem:
        try:
            return inspect_image(path, thorough=thorough)
        except ImageProblem as problem:
            return problem

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        if len(unique) < 4 or not thorough:
            return {path: one(path) for path in unique}
        with ThreadPoolExecutor(max_workers=_workers()) as pool:
            return dict(zip(unique, pool.map(one, unique), strict=True))


def _header_info(image: Image.Image) -> ImageInfo:
    kind = FORMATS.get(image.format or "")
    if kind is None:
        raise ImageProblem(f"is a {image.format or 'unknown'} file; use PNG or JPEG")
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageProblem("has no pixels")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise ImageProblem(_too_big_sentence(width, height))
    return ImageInfo(kind, width, height)


def _too_big_sentence(width: int | None = None, height: int | None = None) -> str:
    size = f" ({width} x {height} pixels)" if width else ""
    return (
        f"is far too big{size}; save it at the screen's size, 1920 x 1080 pixels or "
        f"smaller (the limit is {MAX_PIXELS // 1_000_000} million pixels)"
    )


def _workers() -> int:
    import os

    return max(1, min(4, os.cpu_count() or 1))
