"""Words on the screen in any script, drawn by Pillow and handed to pygame.

pygame's own font module cannot shape Gurmukhi or join Urdu letters; Pillow with libraqm can.
So every piece of text the kiosk shows goes through here, with the bundled Noto fonts.
"""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

FONTS = Path(__file__).resolve().parent.parent / "fonts"

# Font files by script, regular and bold. Latin covers English, Polish and most of Europe.
_FAMILIES = {
    "latin": ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    "gurmukhi": ("NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf"),
    "arabic": ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
}

Colour = tuple[int, int, int]


def script_of(text: str) -> str:
    """The script most of the letters are in, so the right font is chosen."""
    counts = {"latin": 0, "gurmukhi": 0, "arabic": 0}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("GURMUKHI"):
            counts["gurmukhi"] += 1
        elif name.startswith("ARABIC"):
            counts["arabic"] += 1
        else:
            counts["latin"] += 1
    return max(counts, key=lambda script: counts[script])


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False, script: str = "latin") -> ImageFont.FreeTypeFont:
    regular, heavy = _FAMILIES.get(script, _FAMILIES["latin"])
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS / (heavy if bold else regular)), size,
                              layout_engine=layout)


@lru_cache(maxsize=1024)
def _word_lengths(paragraph: str, face: ImageFont.FreeTypeFont) -> tuple[tuple[str, float], ...]:
    """Each word's width, measured once: a layout wraps one question at many widths."""
    return tuple((word, face.getlength(word)) for word in paragraph.split())


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break text into lines no wider than ``width`` pixels, at spaces."""
    space = face.getlength(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for word, length in _word_lengths(paragraph, face):
            if line and used + space + length > width:
                lines.append(" ".join(line))
                line, used = [word], length
            else:
                used += (space if line else 0) + length
                line.append(word)
        lines.append(" ".join(line))
    return lines


def _direction(script: str) -> str | None:
    return "rtl" if script == "arabic" and features.check("raqm") else None


@lru_cache(maxsize=1024)
def text_height(text: str, size: int, width: int, bold: bool = False,
                line_spacing: float = 1.15) -> int:
    """How tall ``render_text`` will draw these words, without drawing them (layouts try many
    sizes and widths for one question)."""
    script = script_of(text)
    face = font(size, bold, script)
    ascent, descent = face.getmetrics()
    if script == "arabic":
        line_spacing = min(line_spacing, 0.95)
    return max(1, int((ascent + descent) * line_spacing) * len(wrap(text, face, width)))


class _Rendered:
    """Rendered words kept by their arguments, newest last, up to ``limit`` bytes of pixels.

    A count would not do: at 1920x1080 one paragraph is 2 MB, and 256 of them outgrew the
    kiosk (a Pi Zero 2 W has 512 MB for everything). What is drawn again and again (a deck
    screen's question, the button labels, the banner) is well under a megabyte there and
    stays; a message screen's paragraphs, shown once per participant, are drawn again.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self._kept: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # (surface, bytes)

    def get(self, key: tuple):
        kept = self._kept.get(key)
        if kept is None:
            return None
        self._kept.move_to_end(key)
        return kept[0]

    def put(self, key: tuple, surface, size: int) -> None:
        self._kept[key] = (surface, size)
        self.used += size
        while self.used > self.limit and len(self._kept) > 1:
            _, (_, freed) = self._kept.popitem(last=False)
            self.used -= freed


RENDERED = _Rendered(limit=4 * 1024 * 1024)


def render_text(
    text: str,
    size: int,
    colour: Colour,
    width: int,
    bold: bool = False,
    align: str = "left",
    line_spacing: float = 1.15,
):
    """A transparent pygame Surface holding ``text`` wrapped to ``width`` pixels."""
    key = (text, size, colour, width, bold, align, line_spacing)
    surface = RENDERED.get(key)
    if surface is not None:
        return surface
    pixels, surface = _render(*key)
    RENDERED.put(key, surface, len(pixels))
    return surface


def _render(text: str, size: int, colour: Colour, width: int, bold: bool, align: str,
            line_spacing: float):
    """Pillow draws straight into the memory the pygame Surface then shows: one copy of the
    pixels, not four (image, encoder chunks, joined bytes, surface)."""
    import pygame

    script = script_of(text)
    face = font(size, bold, script)
    right_to_left = script == "arabic"
    direction = _direction(script)
    lines = wrap(text, face, width)
    ascent, descent = face.getmetrics()
    if right_to_left:  # Naskh's tall metrics leave room enough between lines already
        line_spacing = min(line_spacing, 0.95)
    step = int((ascent + descent) * line_spacing)
    widths = [int(face.getlength(line, direction=direction)) for line in lines]
    # Right-to-left text is laid out across the whole width, so it sits against the right edge.
    image_width = width if right_to_left else max(1, min(width, max(widths, default=1)))
    image_size = (image_width, max(1, step * len(lines)))
    pixels = bytearray(image_size[0] * image_size[1] * 4)  # transparent black, as Image.new
    image = Image.frombuffer("RGBA", image_size, pixels, "raw", "RGBA", 0, 1)
    image.readonly = False  # draw into ``pixels`` itself (Pillow would copy them first)
    draw = ImageDraw.Draw(image)
    for number, (line, line_width) in enumerate(zip(lines, widths, strict=True)):
        if align == "center":
            x = (image_width - line_width) // 2
        elif align == "right" or right_to_left:
            x = image_width - line_width
        else:
            x = 0
        draw.text((x, number * step), line, font=face, fill=(*colour, 255), direction=direction)
    del draw, image
    return pixels, pygame.image.frombuffer(pixels, image_size, "RGBA")
