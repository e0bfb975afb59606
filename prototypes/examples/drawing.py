"""Drawing at double size: the bundled fonts, a ``Canvas`` that draws at S times the size
and shrinks at the end (smooth edges, exact button edges), and wrapped paragraphs with
**bold** words."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

FONTS = Path(__file__).resolve().parents[2] / "kiosk" / "fonts"

PAGE = (1000, 1414)  # an A4 page (1 : 1.414), about 120 dots per inch
APP_FRAME = (780, 1688)  # a 390 x 844 pt phone frame exported at 2x
S = 2  # drawing scale: we draw at S times the size, then shrink (smooth edges)

# Colours: NHS-style blue and dark text give strong contrast on white (about 6:1 and 14:1).
BLUE = "#005EB8"
DARK_BLUE = "#003087"
PALE_BLUE = "#E8F1FA"
TEXT = "#212B32"
GREY_TEXT = "#4C6272"
PALE_GREY = "#F0F4F5"
LINE_GREY = "#D8DDE0"
WHITE = "#FFFFFF"
GREEN = "#007F3B"
PALE_GREEN = "#E3F2E9"
RED = "#D5281B"
ORANGE = "#ED8B00"
PALE_ORANGE = "#FDF0DC"


FONT_FILES = {
    ("latin", False): "NotoSans-Regular.ttf",
    ("latin", True): "NotoSans-Bold.ttf",
    ("gurmukhi", False): "NotoSansGurmukhi-Regular.ttf",
    ("gurmukhi", True): "NotoSansGurmukhi-Bold.ttf",
}

# Gurmukhi vowel signs sit above and below the letters and join them; only the "raqm"
# layout engine places them correctly. Basic layout would draw broken Punjabi.
HAVE_RAQM = features.check("raqm")


@functools.cache
def font(size: int, bold: bool = False, script: str = "latin") -> ImageFont.FreeTypeFont:
    """A bundled Noto font at ``size`` final pixels (loaded at S times that size)."""
    if script != "latin" and not HAVE_RAQM:
        sys.exit("Pillow here has no raqm (complex text layout): Punjabi would be drawn wrongly.")
    engine = ImageFont.Layout.RAQM if HAVE_RAQM else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONTS / FONT_FILES[script, bold]), size * S, layout_engine=engine)


class Canvas:
    """A picture drawn at S times the size; all arguments are design pixels. ``out`` is the
    final size when it differs from the design size (the app is designed 460 pixels wide)."""

    def __init__(self, background: str = WHITE, size: tuple[float, float] = PAGE,
                 out: tuple[int, int] | None = None):
        self.out = out
        self.image = Image.new("RGB", (round(size[0] * S), round(size[1] * S)), background)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _xy(points):
        return [(round(x * S), round(y * S)) for x, y in points]

    def rect(self, x, y, w, h, fill=None, outline=None, width=0, radius=0):
        """Fill exactly the pixels x .. x+w-1, y .. y+h-1 (so a hotspot can match it)."""
        box = (round(x * S), round(y * S), round((x + w) * S) - 1, round((y + h) * S) - 1)
        width = round(width * S)
        if radius:
            self.draw.rounded_rectangle(box, round(radius * S), fill, outline, width)
        else:
            self.draw.rectangle(box, fill, outline, width)

    def circle(self, cx, cy, r, fill=None, outline=None, width=0):
        box = self._xy([(cx - r, cy - r), (cx + r, cy + r)])
        self.draw.ellipse(box, fill, outline, round(width * S))

    def ellipse(self, x, y, w, h, fill=None, outline=None, width=0):
        box = self._xy([(x, y), (x + w, y + h)])
        self.draw.ellipse(box, fill, outline, round(width * S))

    def arc(self, cx, cy, r, start, end, fill, width):
        box = self._xy([(cx - r, cy - r), (cx + r, cy + r)])
        self.draw.arc(box, start, end, fill, round(width * S))

    def line(self, points, fill, width, joint="curve"):
        self.draw.line(self._xy(points), fill, round(width * S), joint)

    def polygon(self, points, fill=None, outline=None, width=0):
        self.draw.polygon(self._xy(points), fill, outline, round(width * S))

    def text(self, x, y, text, fnt, fill=TEXT, anchor="la"):
        self.draw.text((round(x * S), round(y * S)), text, fill, fnt, anchor)

    def text_width(self, text, fnt) -> float:
        return self.draw.textlength(text, fnt) / S

    def finish(self) -> Image.Image:
        """Shrink to the final size by averaging each S x S block of pixels: that smooths the
        edges, and a button drawn at whole pixels keeps crisp, exact edges (its hotspot)."""
        if self.out is None:
            return self.image.reduce(S)
        return self.image.resize(self.out, Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------------------
# Text: wrapped paragraphs with **bold** words
# --------------------------------------------------------------------------------------


@dataclass
class Style:
    size: int
    script: str = "latin"
    colour: str = TEXT
    line_height: float = 1.4  # Gurmukhi needs more room (signs above and below)

    def font(self, bold=False):
        return font(self.size, bold, self.script)


Word = list[tuple[str, bool]]  # a word is one or more runs of text, each bold or not


def lines_of(text: str) -> list[list[Word]]:
    """Split 'Come at **9:25 am**.\nBring this letter.' into lines of words.

    ``**`` switches bold on and off (it may sit inside a word, as in '**9:25 am**.'), and a
    new-line character starts a new line: Easy Read puts each sentence on its own line.
    """
    lines, bold = [], False
    for source in text.split("\n"):
        words = []
        for token in filter(None, source.split(" ")):  # a no-break space keeps words together
            word = []
            for i, piece in enumerate(token.split("**")):
                if i:
                    bold = not bold
                if piece:
                    word.append((piece, bold))
            if word:
                words.append(word)
        lines.append(words)
    return lines


def plain(text: str) -> str:
    """The words as spoken: no ** bold markers, sentences joined into one line."""
    return " ".join(text.replace("**", "").split())


def word_width(c: Canvas, word: Word, style: Style) -> float:
    return sum(c.text_width(piece, style.font(bold)) for piece, bold in word)


def wrap(c: Canvas, text: str, style: Style, width: float) -> list[list[Word]]:
    """Break text into lines that fit ``width``; refuse a word too long for a line."""
    space = c.text_width(" ", style.font())
    lines: list[list[Word]] = []
    for words in lines_of(text):
        line: list[Word] = []
        used = 0.0
        for word in words:
            w = word_width(c, word, style)
            if w > width:
                raise ValueError(f"word {word!r} is wider than its column")
            if line and used + space + w > width:
                lines.append(line)
                line, used = [], 0.0
            used += (space if line else 0) + w
            line.append(word)
        lines.append(line)
    return lines


def paragraph_height(c: Canvas, text: str, style: Style, width: float) -> float:
    return len(wrap(c, text, style, width)) * style.size * style.line_height


def draw_paragraph(c, x, y, text, style, width, align="left") -> float:
    """Draw wrapped text with its top at y; return the y below it."""
    space = c.text_width(" ", style.font())
    step = style.size * style.line_height
    for line in wrap(c, text, style, width):
        widths = [word_width(c, word, style) for word in line]
        total = sum(widths) + space * (len(line) - 1)
        cx = x + {"left": 0, "right": width - total, "center": (width - total) / 2}[align]
        for word in line:
            for piece, bold in word:
                c.text(cx, y, piece, style.font(bold), style.colour)
                cx += c.text_width(piece, style.font(bold))
            cx += space
        y += step
    return y
