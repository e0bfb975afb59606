"""Draw the bundled example decks: a hospital letter (original and easy-read, the easy-read
pages also in Punjabi, and three profile questions), and a clickable diabetes app mock-up
with three tasks.

Run it from anywhere:  python prototypes/make_examples.py

Why a script and not a drawing program: the words live here as plain text, so changing a
sentence (or translating the letter) is an edit and a re-run, and every image matches its
narration. A designer making their own deck does not need any of this: export PNGs from
Figma, PowerPoint or a scanner, and write ``deck.toml`` by hand (see prototypes/README.md).

The pictures are the shapes designers hand over: the app's screens are phone frames as a
Figma export gives them (a 390 x 844 point frame at 2x: 780 x 1688 pixels), and the letters
are A4 pages. The original letter is first written as a PDF with real text
(``letters/appointment-letter.pdf``, as a letter leaves a word processor) and its pages are
rendered from that PDF with pypdfium2, as ``kiosk deck new --from letter.pdf`` does. The
easy-read pages are drawn straight onto A4 pages here, because their Punjabi needs Pillow's
complex text layout, which the PDF writer lacks. The kiosk lays each shape out to fill its
display (kiosk/screen/layout.py).

How the drawing works, in one paragraph: we draw at twice the final size and shrink the
result at the end, which gives smooth edges to shapes that Pillow would otherwise draw
jagged. All coordinates are in design pixels; the ``Canvas`` class does the doubling (and
for the app, the last step from the 460-pixel-wide design to the 780-pixel frame). Button
positions are recorded as they are drawn, so the hotspots written to ``deck.toml`` cover
the buttons in the picture.

The output is the same on every run (no dates, no randomness), so re-running it only
changes files whose words or drawing changed.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from kiosk.authoring.deck_writer import Notes, deck_fields, write_deck_file
from kiosk.decks.model import Deck, Hotspot, Part, ProfileQuestion, Screen, Task, Translation

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "kiosk" / "fonts"

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

MAX_DECK_BYTES = 2_000_000  # keep each bundled deck small enough for a USB copy and git


# --------------------------------------------------------------------------------------
# Fonts and a canvas that draws at double size
# --------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------
# The deck: the kiosk's own model (kiosk/decks/model.py) and the pictures drawn for it.
# deck.toml is written by the project's one deck writer (kiosk/authoring/deck_writer.py).
# --------------------------------------------------------------------------------------

Drawn = tuple[Screen, Image.Image]  # a screen and its picture


@dataclass
class Example:
    """A bundled deck as drawn: the deck, its pictures by path inside it, its comments."""

    deck: Deck
    pictures: dict[str, Image.Image]
    notes: Notes


def picture_path(screen_id: str, language: str | None = None) -> str:
    """Each language's pictures in a folder of their own: screens/pa/easy-read-1.png."""
    return f"screens/{language}/{screen_id}.png" if language else f"screens/{screen_id}.png"


def example_notes(about: str, deck: Deck) -> Notes:
    """The comments of a bundled deck.toml: what the deck is, and a line above each part of
    the file a designer copying it would look for."""
    top = [f"# {line}".rstrip() for line in about.strip().splitlines()]
    top.append("# Made by prototypes/make_examples.py: change the words there and run it again.")
    screens: dict[str, list[str]] = {}
    variant = None
    for screen in deck.screens:
        if screen.variant != variant and screen.variant:
            screens[screen.id] = [f"# ---- variant: {screen.variant} " + "-" * 50, ""]
        variant = screen.variant
    return Notes(
        top=top,
        screens=screens,
        tasks=["# ---- tasks " + "-" * 62,
               "# Each task is read aloud; the participant taps the app's buttons to do it.",
               "# Reaching a done screen ends it; along the path is a direct success.", ""],
        profile=["# ---- profile questions " + "-" * 50,
                 "# Asked before the deck, each optional and anonymous: yes, no or rather not",
                 "# say. Results are shown per answer, never for fewer than 5 people.", ""],
        language_names=["# Each language's name, said in that language when participants "
                        "choose one.", "# (The kiosk knows these already; written here as an "
                        "example.)"],
        rect="x, y, width, height",
    )


def check_deck(example: Example, folder: Path) -> None:
    """Read the written deck back with the kiosk's own reader (every check an install makes:
    pictures, rects on the image, gotos, tasks' paths): it must be the deck that was drawn."""
    from kiosk.decks.reader import read_deck

    deck = example.deck
    read = read_deck(folder)
    assert read.language_names.items() >= deck.language_names.items(), deck.id
    drawn = dataclasses.replace(deck, language_names=read.language_names)
    assert deck_fields(read) == deck_fields(drawn), f"{deck.id} reads back differently"


def write_deck(example: Example, home: Path = HERE) -> None:
    """Write the deck folder: screens/*.png and deck.toml, then check both."""
    deck = example.deck
    folder = home / deck.id
    screens = folder / "screens"
    screens.mkdir(parents=True, exist_ok=True)
    for old in screens.rglob("*.png"):  # a screen renamed in this script leaves no stale file
        if old.relative_to(folder).as_posix() not in example.pictures:
            old.unlink()
    for path, picture in example.pictures.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        # 256 colours look the same for flat drawings like these and make files 2-3x smaller
        image = picture.quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        image.save(folder / path, optimize=True)
    write_deck_file(folder, deck, example.notes)
    check_deck(example, folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size < MAX_DECK_BYTES, f"{deck.id} is {size} bytes"
    languages = [lang for lang in deck.languages if lang != deck.language]
    more = f", translated into {', '.join(languages)}" if languages else ""
    more += f", {len(deck.tasks)} tasks" if deck.tasks else ""
    more += f", {len(deck.profile)} profile questions" if deck.profile else ""
    print(f"{deck.id}: {len(deck.screens)} screens{more}, {size / 1e6:.2f} MB")


# --------------------------------------------------------------------------------------
# Pictograms for the easy-read letter. Each draws in a square box (x, y, size) using
# "units" of size/100, so a picture can be drawn at any size.
# --------------------------------------------------------------------------------------


Units = Callable[[float, float], tuple[float, float]]  # a 100 x 100 grid point -> the box


def _units(x: float, y: float, size: float) -> Units:
    """Map a point in a 100 x 100 design grid into the box."""
    return lambda px, py: (x + px * size / 100, y + py * size / 100)


def picto_hospital(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.line([p(2, 93), p(98, 93)], TEXT, 3 * u)
    c.polygon([p(10, 42), p(90, 42), p(90, 92), p(10, 92)], "#DCE6F0", TEXT, 3 * u)
    c.polygon([p(28, 16), p(72, 16), p(72, 42), p(28, 42)], "#DCE6F0", TEXT, 3 * u)
    c.polygon([p(39, 19), p(61, 19), p(61, 39), p(39, 39)], BLUE)  # the hospital "H" sign
    c.polygon([p(43, 22), p(46.5, 22), p(46.5, 36), p(43, 36)], WHITE)
    c.polygon([p(53.5, 22), p(57, 22), p(57, 36), p(53.5, 36)], WHITE)
    c.polygon([p(43, 27.5), p(57, 27.5), p(57, 30.5), p(43, 30.5)], WHITE)
    for col in (17, 30, 62, 75):
        for row in (50, 66):
            c.polygon([p(col, row), p(col + 9, row), p(col + 9, row + 9), p(col, row + 9)], BLUE)
    c.polygon([p(42, 70), p(58, 70), p(58, 92), p(42, 92)], DARK_BLUE)


def picto_calendar(c: Canvas, x, y, size, top="", number="", script="latin", **_):
    p, u = _units(x, y, size), size / 100
    x0, y0 = p(8, 14)
    x1, y1 = p(92, 94)
    c.rect(x0, y0, x1 - x0, y1 - y0, WHITE, TEXT, 3 * u, 8 * u)
    c.rect(x0, y0, x1 - x0, 24 * u, BLUE, TEXT, 3 * u, 8 * u)
    c.rect(x0 + 1.5 * u, y0 + 14 * u, x1 - x0 - 3 * u, 10 * u, BLUE)  # square off the band
    for rx in (27, 73):
        rx0, ry0 = p(rx - 4, 5)
        c.rect(rx0, ry0, 8 * u, 18 * u, TEXT, radius=4 * u)
    cx = (x0 + x1) / 2
    c.text(cx, y0 + 12 * u, top, font(round(13 * u), True, script), WHITE, "mm")
    c.text(cx, y0 + 53 * u, number, font(round(42 * u), True), TEXT, "mm")


def picto_days_before(c: Canvas, x, y, size, **_):
    """A calendar page: the appointment day ringed, the two days before it coloured in."""
    p, u = _units(x, y, size), size / 100
    x0, y0 = p(6, 10)
    c.rect(x0, y0, 88 * u, 84 * u, WHITE, TEXT, 3 * u, 8 * u)
    c.rect(x0, y0, 88 * u, 18 * u, BLUE, TEXT, 3 * u, 8 * u)
    c.rect(x0 + 1.5 * u, y0 + 9 * u, 85 * u, 9 * u, BLUE)
    cell = 14 * u
    for row in range(3):
        for col in range(5):
            cx0, cy0 = p(13 + col * 15.5, 35 + row * 19)
            colour = LINE_GREY
            if row == 1 and col in (1, 2):
                colour = BLUE
            c.rect(cx0, cy0, cell, cell, colour, radius=2 * u)
    rx, ry = p(13 + 3 * 15.5 + 7, 35 + 19 + 7)
    c.circle(rx, ry, 11 * u, None, RED, 3.5 * u)


def picto_clock(c: Canvas, x, y, size, hour=9, minute=40, **_):
    p, u = _units(x, y, size), size / 100
    cx, cy = p(50, 52)
    c.circle(cx, cy, 44 * u, WHITE, TEXT, 4 * u)
    for i in range(12):
        a = math.radians(i * 30)
        r0 = 34 * u if i % 3 else 30 * u
        c.line([(cx + r0 * math.sin(a), cy - r0 * math.cos(a)),
                (cx + 39 * u * math.sin(a), cy - 39 * u * math.cos(a))], TEXT, 3 * u)
    am = math.radians(minute * 6)
    ah = math.radians((hour % 12) * 30 + minute * 0.5)
    c.line([(cx, cy), (cx + 20 * u * math.sin(ah), cy - 20 * u * math.cos(ah))], TEXT, 6 * u)
    c.line([(cx, cy), (cx + 32 * u * math.sin(am), cy - 32 * u * math.cos(am))], BLUE, 4 * u)
    c.circle(cx, cy, 4 * u, TEXT)


def _no_sign(c: Canvas, p: Units, u: float) -> None:
    c.circle(*p(50, 50), 44 * u, None, RED, 8 * u)
    c.line([p(19, 19), p(81, 81)], RED, 8 * u)


def picto_no_food(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.circle(*p(50, 52), 20 * u, WHITE, GREY_TEXT, 3 * u)
    c.circle(*p(50, 52), 12 * u, None, LINE_GREY, 2 * u)
    for fx in (21, 24.5, 28):  # fork
        c.line([p(fx, 30), p(fx, 42)], TEXT, 2 * u)
    c.line([p(21, 42), p(28, 42)], TEXT, 2.5 * u)
    c.line([p(24.5, 42), p(24.5, 76)], TEXT, 4 * u)
    c.polygon([p(74, 28), p(79, 30), p(78, 52), p(74, 52)], TEXT)  # knife
    c.line([p(76, 52), p(76, 76)], TEXT, 4 * u)
    _no_sign(c, p, u)


def _tick(c: Canvas, p: Units, u: float, cx: float, cy: float) -> None:
    c.circle(*p(cx, cy), 13 * u, GREEN)
    c.line([p(cx - 6, cy), p(cx - 1.5, cy + 5), p(cx + 7, cy - 5)], WHITE, 3.5 * u)


def picto_water(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.polygon([p(30, 38), p(70, 38), p(65, 90), p(35, 90)], "#7FB5E6")
    c.line([p(27, 10), p(35, 90), p(65, 90), p(73, 10)], TEXT, 3.5 * u, None)
    c.line([p(29, 38), p(71, 38)], BLUE, 2 * u)
    _tick(c, p, u, 80, 78)


def picto_medicine(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(30, 6), 36 * u, 14 * u, GREY_TEXT, radius=3 * u)
    c.rect(*p(24, 18), 48 * u, 74 * u, WHITE, TEXT, 3 * u, 7 * u)
    c.rect(*p(27, 38), 42 * u, 32 * u, BLUE)
    c.rect(*p(44.5, 43), 7 * u, 22 * u, WHITE)  # a plain white plus (not a red cross)
    c.rect(*p(37, 50.5), 22 * u, 7 * u, WHITE)
    c.ellipse(*p(72, 74), 22 * u, 13 * u, WHITE, TEXT, 2.5 * u)
    c.ellipse(*p(76, 58), 20 * u, 12 * u, "#F6C343", TEXT, 2.5 * u)


def picto_phone(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(22, 6), 46 * u, 88 * u, TEXT, radius=8 * u)
    c.rect(*p(26, 15), 38 * u, 62 * u, PALE_BLUE)
    for row in range(3):
        for col in range(3):
            c.circle(*p(34 + col * 11, 30 + row * 14), 4 * u, BLUE)
    c.circle(*p(45, 85), 4 * u, GREY_TEXT)
    for r in (12, 22):  # it is ringing
        c.arc(*p(70, 24), r * u, -60, 60, BLUE, 4 * u)


def picto_gp(c: Canvas, x, y, size, **_):
    """The family doctor's surgery, with an arrow back to it."""
    p, u = _units(x, y, size), size / 100
    c.polygon([p(8, 46), p(38, 20), p(68, 46)], BLUE, TEXT, 3 * u)
    c.polygon([p(14, 46), p(62, 46), p(62, 90), p(14, 90)], WHITE, TEXT, 3 * u)
    c.rect(*p(31, 50), 14 * u, 14 * u, GREEN)
    c.rect(*p(36, 52), 4 * u, 10 * u, WHITE)
    c.rect(*p(33, 55), 10 * u, 4 * u, WHITE)
    c.rect(*p(31, 70), 14 * u, 20 * u, DARK_BLUE)
    c.arc(*p(72, 52), 22 * u, 270, 90, TEXT, 5 * u)
    c.polygon([p(72, 65), p(72, 83), p(60, 74)], TEXT)
    c.line([p(2, 91), p(98, 91)], TEXT, 3 * u)


def _parking_sign(c: Canvas, p: Units, u: float, x: float, y: float) -> None:
    c.rect(*p(x, y), 24 * u, 24 * u, BLUE, radius=3 * u)
    c.text(*p(x + 12, y + 12.5), "P", font(round(20 * u), True), WHITE, "mm")


def picto_car(c: Canvas, x, y, size, **_):
    p, u = _units(x, y, size), size / 100
    c.polygon([p(6, 62), p(14, 50), p(28, 48), p(38, 34), p(66, 34), p(78, 48), p(92, 52),
               p(95, 64), p(95, 74), p(6, 74)], BLUE, TEXT, 3 * u)
    c.polygon([p(41, 38), p(52, 38), p(52, 48), p(34, 48)], PALE_BLUE)
    c.polygon([p(56, 38), p(64, 38), p(73, 48), p(56, 48)], PALE_BLUE)
    for wx in (26, 75):
        c.circle(*p(wx, 75), 10 * u, TEXT)
        c.circle(*p(wx, 75), 4 * u, LINE_GREY)
    _parking_sign(c, p, u, 4, 4)


def picto_bus(c: Canvas, x, y, size, number="7", **_):
    p, u = _units(x, y, size), size / 100
    c.rect(*p(6, 20), 88 * u, 58 * u, BLUE, TEXT, 3 * u, 7 * u)
    c.rect(*p(11, 25), 20 * u, 12 * u, "#222222", radius=2 * u)  # route display
    c.text(*p(21, 31.5), number, font(round(11 * u), True), "#FFD200", "mm")
    for wx in (34, 50, 66):
        c.rect(*p(wx, 27), 13 * u, 19 * u, PALE_BLUE, radius=2 * u)
    c.rect(*p(12, 41), 18 * u, 29 * u, PALE_BLUE, TEXT, 2 * u, 2 * u)  # door
    c.rect(*p(82, 27), 8 * u, 19 * u, PALE_BLUE, radius=2 * u)
    for wx in (28, 74):
        c.circle(*p(wx, 79), 9 * u, TEXT)
        c.circle(*p(wx, 79), 3.5 * u, LINE_GREY)
    c.line([p(2, 90), p(98, 90)], TEXT, 3 * u)


def picto_interpreter(c: Canvas, x, y, size, **_):
    """Two speech bubbles in two scripts: the same words in another language."""
    p, u = _units(x, y, size), size / 100
    c.rect(*p(4, 8), 52 * u, 40 * u, BLUE, radius=10 * u)
    c.polygon([p(14, 46), p(26, 46), p(12, 60)], BLUE)
    c.text(*p(30, 28), "A", font(round(28 * u), True), WHITE, "mm")
    c.rect(*p(44, 44), 52 * u, 40 * u, WHITE, TEXT, 3 * u, 10 * u)
    c.polygon([p(76, 82.5), p(86, 82.5), p(88, 96)], WHITE)
    c.line([p(75, 84), p(88, 96), p(86, 84)], TEXT, 3 * u)
    c.text(*p(70, 63), "ਅ", font(round(28 * u), True, "gurmukhi"), TEXT, "mm")


PICTOGRAMS = {
    "hospital": picto_hospital,
    "calendar": picto_calendar,
    "days-before": picto_days_before,
    "clock": picto_clock,
    "no-food": picto_no_food,
    "water": picto_water,
    "medicine": picto_medicine,
    "phone": picto_phone,
    "gp": picto_gp,
    "car": picto_car,
    "bus": picto_bus,
    "interpreter": picto_interpreter,
}


# --------------------------------------------------------------------------------------
# Deck 1: the hospital letter. First the original, as such letters are really written.
# --------------------------------------------------------------------------------------
# Everything here is invented: the trust, hospital, clinic, doctors, patient, address
# and numbers. Phone numbers are in the range Ofcom keeps for drama (01632 960xxx), the
# NHS number starts 999 (never issued to a real person) and "BV" is no real postcode.

TRUST = "Brookfield Valley Hospitals NHS Trust"
PHONE = "01632\u00a0960418"  # a no-break space: the number never splits across two lines

# How the kiosk's voice should say things that it would otherwise read badly
# ("01632" as "one thousand six hundred..."). Only the narration changes, not the picture.
SPOKEN = {
    plain(PHONE): "0 1 6 3 2, 9 6 0, 4 1 8",
    "DIAB/OP/2027/04417": "D I A B, O P, 2027, 0 4 4 1 7",
    "999 412 7705": "9 9 9, 4 1 2, 7 7 0 5",
    "BVH0048213": "B V H, 0 0 4 8 2 1 3",
    "NHS No:": "NHS number:",
    "Our ref:": "Our reference:",
    "Hospital No:": "Hospital number:",
    "09:40": "9:40",
    "22:00": "10 pm",
    "09:00 and 14:00": "9 am and 2 pm",
    "HbA1c": "H B A 1 C",
    "cc:": "Copy to:",
    "BV4 7HR": "B V 4, 7 H R",
    "BV4 2QT": "B V 4, 2 Q T",
    "BV3 9LD": "B V 3, 9 L D",
}


def spoken(text: str) -> str:
    text = plain(text.replace("\n", ". "))
    for written, said in SPOKEN.items():
        text = text.replace(written, said)
    return text


@dataclass
class LetterPage:
    """A page of the original letter: its blocks of text, and which blocks each read-along
    part reads (header, address, body0, body1 ..., footer)."""

    id: str
    ask: str
    parts: list[tuple[str, list[str]]]
    body: list[str]
    letterhead: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    address: list[str] = field(default_factory=list)
    footer: str = ""


ORIGINAL_PAGES = [
    LetterPage(
        id="original-1",
        ask="Did you understand when and where your appointment is?",
        # Read along: each part is read while the kiosk zooms to the blocks it names.
        parts=[("letterhead and references", ["header"]), ("address", ["address"]),
               ("greeting", ["body0", "body1"]), ("referral", ["body2"]),
               ("date and time", ["body3"]), ("arrive early", ["body4"])],
        letterhead=[
            f"**{TRUST}**",
            "Brookfield General Hospital",
            "Kestrel Wing, Marsh Lane",
            "Brookfield  BV4 7HR",
            f"Appointments Centre: {PHONE}",
        ],
        references=[
            "**Our ref:** DIAB/OP/2027/04417",
            "**NHS No:** 999 412 7705",
            "**Hospital No:** BVH0048213",
            "**Date:** 1 February 2027",
        ],
        address=[
            "**PRIVATE AND CONFIDENTIAL**",
            "Mrs Harjit Kaur Bains",
            "14 Willow Court",
            "Brookfield  BV4 2QT",
        ],
        body=[
            "Dear Mrs Bains",
            "**Re: Outpatient Appointment – Diabetes and Endocrinology (New Patient)**",
            "Following receipt of a referral from your General Practitioner, an appointment has "
            "been arranged for you to attend the Diabetes and Endocrinology Outpatient Clinic "
            "(Clinic 4, Level 2, Kestrel Wing) at Brookfield General Hospital as detailed below:",
            "**Date:** Tuesday 9 March 2027, **Time:** 09:40, **Consultant:** Dr E. Marsh",
            "Please report to the Main Outpatients Reception, Level 2, no later than 15 minutes "
            "prior to your appointment time to allow for registration and the completion of "
            "pre-clinic observations (height, weight and blood pressure).",
        ],
    ),
    LetterPage(
        id="original-2",
        ask="Did you understand what to do before your appointment, and if you cannot come?",
        parts=[("fasting", ["body0", "body1"]), ("medicines on the day", ["body2"]),
               ("what to bring", ["body3"]), ("cancelling", ["body4", "body5"])],
        body=[
            "**Preparation for your appointment**",
            "As part of your assessment, a fasting blood sample (including HbA1c, fasting plasma "
            "glucose and lipid profile) will be obtained. You are therefore required to fast from "
            "22:00 on the evening prior to your appointment. You may drink plain water only; "
            "please refrain from tea, coffee, fruit juice, milk and chewing gum.",
            "If you are prescribed insulin or oral hypoglycaemic agents, you should omit your "
            "morning dose on the day of your appointment and bring your medication with you, to "
            "be taken following venepuncture. Should you experience symptoms of hypoglycaemia, "
            "treat these in the usual manner and inform a member of the clinical team on arrival.",
            "Please bring a complete list of your current medications, including any items "
            "purchased over the counter, together with your blood glucose meter and monitoring "
            "diary, where applicable.",
            "**Cancellations and non-attendance**",
            "If you are unable to attend, or no longer require this appointment, please notify "
            f"the Appointments Centre on {PHONE} at least 48 hours in advance so that the "
            "appointment may be offered to another patient. In accordance with the Trust's "
            "Patient Access Policy, patients who fail to attend without prior notification may "
            "be discharged back to the care of their referring clinician.",
        ],
    ),
    LetterPage(
        id="original-3",
        ask="Did you understand how to get to the hospital and how to get an interpreter?",
        parts=[("travel and parking", ["body0", "body1"]),
               ("interpreters", ["body2", "body3"]),
               ("signed", ["body4", "body5", "footer"])],
        body=[
            "**Travel and parking**",
            "Parking on the hospital site is limited, particularly between 09:00 and 14:00, and "
            "patients are advised to allow sufficient time to locate a space. Pay and display "
            "charges apply in all visitor car parks (Car Parks B and D); Blue Badge holders may "
            "park free of charge in designated bays. Brookfield General Hospital is served by "
            "bus routes 7 and 12, which stop at the Marsh Lane entrance. Non-emergency Patient "
            "Transport is available only to patients who meet the eligibility criteria; please "
            "contact the Appointments Centre at least 72 hours prior to your appointment for an "
            "eligibility assessment.",
            "**Interpreting and accessible information**",
            "If you require a professional interpreter (including British Sign Language), or this "
            "letter in an alternative format such as large print, Easy Read or another language, "
            "please contact the Appointments Centre at your earliest convenience. This service is "
            "provided free of charge. Please note that, for reasons of confidentiality and "
            "accuracy, family members and friends should not be used to interpret.",
            "Yours sincerely",
            "**Appointments Centre**\nOn behalf of Dr Eleanor Marsh, Consultant Diabetologist",
        ],
        footer="cc: Dr R. Okafor, Hollins Lane Surgery, Brookfield  BV3 9LD",
    ),
]

LETTER_PDF = HERE / "letters" / "appointment-letter.pdf"
A4_INCHES = (8.27, 11.69)
LEFT, RIGHT = 0.9, 8.27 - 0.9  # the text column's edges, in inches from the page's left
BODY_PT, HEAD_PT, SMALL_PT = 13, 14, 10.5


@functools.cache
def _measuring_font(bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / FONT_FILES["latin", bold]), 1000)


def _inches(text: str, bold: bool, points: float) -> float:
    """How wide the words are on paper, measured with the same font file the PDF embeds."""
    return _measuring_font(bold).getlength(text) / 1000 * points / 72


class PdfPage:
    """One A4 page drawn with matplotlib (real, extractable text), y in inches from the top."""

    def __init__(self, number: int, total: int):
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties

        self.figure = Figure(figsize=A4_INCHES)
        self.axes = self.figure.add_axes((0, 0, 1, 1))
        self.axes.set_xlim(0, A4_INCHES[0])
        self.axes.set_ylim(A4_INCHES[1], 0)
        self.axes.axis("off")
        self.faces = {bold: FontProperties(fname=FONTS / FONT_FILES["latin", bold])
                      for bold in (False, True)}
        self.text(f"Page {number} of {total}", RIGHT, A4_INCHES[1] - 0.6, SMALL_PT,
                  align="right", colour=GREY_TEXT)

    def text(self, text: str, x: float, y: float, points: float, align: str = "left",
             colour: str = TEXT, width: float = RIGHT - LEFT) -> float:
        """A paragraph with **bold** runs, wrapped to ``width``; returns the y below it."""
        step = points / 72 * 1.45
        space = _inches(" ", False, points)
        for words in lines_of(text):
            lines: list[tuple[list[Word], float]] = []
            line: list[Word] = []
            used = 0.0
            for word in words:
                w = sum(_inches(piece, bold, points) for piece, bold in word)
                if line and used + space + w > width:
                    lines.append((line, used))
                    line, used = [], 0.0
                used += (space if line else 0) + w
                line.append(word)
            lines.append((line, used))
            for line, used in lines:
                cx = x - used if align == "right" else x  # right: x is the right edge
                for word in line:
                    for piece, bold in word:
                        self.axes.text(cx, y, piece, fontproperties=self.faces[bold],
                                       fontsize=points, color=colour, va="top")
                        cx += _inches(piece, bold, points)
                    cx += space
                y += step
        return y


Blocks = dict[str, tuple[float, float]]  # a block of text's name -> its top and foot, inches


def write_original_pdf(path: Path) -> list[Blocks]:
    """The original letter as a word processor would print it: A4, 13 pt, real text. Returns
    where each page's blocks of text were written (header, address, body0..., footer), so the
    read-along parts can be found on the page."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42  # TrueType text that can be read back out
    from matplotlib.backends.backend_pdf import PdfPages

    metadata = {"Title": "Your outpatient appointment", "Author": "Coffee-morning kiosk "
                "examples", "CreationDate": None, "Creator": None, "Producer": None}
    pages: list[Blocks] = []
    with PdfPages(path, metadata=metadata) as pdf:
        for number, page in enumerate(ORIGINAL_PAGES, 1):
            sheet = PdfPage(number, len(ORIGINAL_PAGES))
            blocks: Blocks = {}
            y = 0.8
            if page.letterhead:
                head = sheet.text(page.letterhead[0], RIGHT, y, 13, "right", BLUE)
                for line in page.letterhead[1:]:
                    head = sheet.text(line, RIGHT, head, SMALL_PT + 0.5, "right")
                for line in page.references:
                    y = sheet.text(line, LEFT, y + 0.02, SMALL_PT + 0.5)
                blocks["header"] = (0.8, max(y, head))
                y = max(y, head) + 0.45
                top = y
                for line in page.address:
                    y = sheet.text(line, LEFT, y, BODY_PT)
                blocks["address"] = (top, y)
                y += 0.4
            for index, text in enumerate(page.body):
                heading = text.startswith("**") and text.endswith("**")
                if heading and number > 1:
                    y += 0.12
                top = y
                y = sheet.text(text, LEFT, y, HEAD_PT if heading else BODY_PT)
                blocks[f"body{index}"] = (top, y)
                y += 0.13
            if page.footer:
                top = y + 0.3
                y = sheet.text(page.footer, LEFT, top, SMALL_PT, colour=GREY_TEXT)
                blocks["footer"] = (top, y)
            if y > A4_INCHES[1] - 0.9:
                raise ValueError(f"{page.id}: the text runs off the page (y={y:.2f} in)")
            pdf.savefig(sheet.figure)
            pages.append(blocks)
    return pages


def text_boxes(path: Path) -> list[list[tuple[float, float, float, float]]]:
    """Each page's runs of text as pypdfium2 finds them in the PDF, in PAGE pixels (left, top,
    right, bottom): where the words really are, as ``kiosk deck new --from`` would see them."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            width, height = page.get_size()
            scale = PAGE[0] / width
            text = page.get_textpage()
            boxes = []
            for index in range(text.count_rects()):
                left, bottom, right, top = text.get_rect(index)
                boxes.append((left * scale, (height - top) * scale, right * scale,
                              (height - bottom) * scale))
            text.close()
            pages.append(boxes)
        return pages
    finally:
        pdf.close()


def part_rect(blocks: Blocks, names: list[str], boxes) -> tuple[int, int, int, int]:
    """The rectangle round the words of the named blocks: every run of text whose middle lies
    between the first block's top and the last one's foot."""
    dots = PAGE[0] / A4_INCHES[0]
    top, foot = blocks[names[0]][0] * dots, blocks[names[-1]][1] * dots
    inside = [box for box in boxes if top <= (box[1] + box[3]) / 2 <= foot]
    if not inside:
        raise ValueError(f"no text found for the blocks {names}")
    left, upper = min(b[0] for b in inside), min(b[1] for b in inside)
    right, lower = max(b[2] for b in inside), max(b[3] for b in inside)
    x, y = math.floor(left), math.floor(upper)
    return x, y, math.ceil(right) - x, math.ceil(lower) - y


def render_pdf_pages(path: Path) -> list[Image.Image]:
    """Each page drawn PAGE pixels wide, as ``kiosk deck new --from`` draws a letter."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            width, _ = page.get_size()
            image = page.render(scale=PAGE[0] / width).to_pil().convert("RGB")
            pages.append(image.resize(PAGE, Image.Resampling.LANCZOS)
                         if image.size != PAGE else image)
        return pages
    finally:
        pdf.close()


def block_words(page: LetterPage, name: str) -> list[str]:
    """What a block of the page says aloud (the letterhead's name and phone number, not its
    whole address; the address without "PRIVATE AND CONFIDENTIAL")."""
    if name == "header":
        return [page.letterhead[0], page.letterhead[4], *page.references]
    if name == "address":
        return page.address[1:]
    if name == "footer":
        return [page.footer]
    return [page.body[int(name.removeprefix("body"))]]


def sentences(lines: list[str]) -> str:
    said = []
    for line in lines:
        text = spoken(line)
        said.append(text if text[-1] in ".:;?!" else text + ".")
    return " ".join(said)


def original_parts(page: LetterPage, blocks: Blocks, boxes) -> list[Part]:
    """The page read along, a part at a time: the letter read aloud as written, so the
    narration is as dense as the letter, each part zoomed to where its words are."""
    return [Part(sentences([line for name in names for line in block_words(page, name)]),
                 part_rect(blocks, names, boxes), label)
            for label, names in page.parts]


# --------------------------------------------------------------------------------------
# The easy-read letter: the same facts, one idea per sentence, a picture beside each point
# --------------------------------------------------------------------------------------


@dataclass
class Point:
    picture: str  # a name in PICTOGRAMS
    text: str  # short sentences; **bold** marks the key fact
    options: dict = field(default_factory=dict)  # for the picture (the date on the calendar)
    say: str | None = None  # only when the voice needs different words (phone numbers)


@dataclass
class EasyPage:
    id: str
    heading: str
    ask: str
    points: list[Point]


EASY_EN = [
    EasyPage("easy-read-1", "Your appointment",
             "Did you understand when and where your appointment is?", [
        Point("hospital", "Your appointment is at **Brookfield General Hospital**.\n"
              "Go to the Diabetes Clinic on Level 2."),
        Point("calendar", "The date is **Tuesday 9 March 2027**.",
              {"top": "MARCH", "number": "9"}),
        Point("clock", "The time is **9:40 in the morning**.\nPlease come 15 minutes early.",
              {"hour": 9, "minute": 40}),
    ]),
    EasyPage("easy-read-2", "Before you come",
             "Did you understand what to do before you come?", [
        Point("no-food", "We will do a blood test.\n"
              "**Do not eat** after 10 o'clock the night before."),
        Point("water", "You **can drink water**.\nDo not drink tea, coffee, juice or milk."),
        Point("medicine", "Do not take your diabetes medicine that morning.\n"
              "Take it after your blood test.\n"
              "**Bring all your medicines.**\nBring your blood sugar meter too."),
    ]),
    EasyPage("easy-read-3", "If you cannot come",
             "Did you understand what to do if you cannot come?", [
        Point("phone", f"Please **phone us on {PHONE}**.",
              say=f"Please phone us on {SPOKEN[plain(PHONE)]}."),
        Point("days-before", "Phone at least **2 days before** your appointment.\n"
              "Then someone else can have your appointment."),
        Point("gp", "If you miss it without phoning, we may send you back to your GP."),
    ]),
    EasyPage("easy-read-4", "Getting here and help",
             "Did you understand how to get here and how to get help?", [
        Point("car", "You can park at the hospital.\n**You need to pay.**\n"
              "Parking is free with a Blue Badge."),
        Point("bus", "**Bus 7 and bus 12** stop outside the hospital.", {"number": "7"}),
        Point("interpreter", "We can get you an **interpreter**.\nIt is free.\n"
              "Please tell us when you phone."),
    ]),
]

# The easy-read letter in Punjabi (Gurmukhi script). Numbers stay as 0-9, as in most
# Punjabi leaflets in the UK; names of places are spelled as they sound.
PA_PHONE_SAY = "0 1 6 3 2, 9 6 0, 4 1 8"
EASY_PA = [
    EasyPage("easy-read-1", "ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ",
             "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ ਕਿ ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ ਕਦੋਂ ਅਤੇ ਕਿੱਥੇ ਹੈ?", [
        Point("hospital", "ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ **ਬਰੁੱਕਫ਼ੀਲਡ ਜਨਰਲ ਹਸਪਤਾਲ** ਵਿੱਚ ਹੈ।\n"
              "ਲੈਵਲ 2 ਉੱਤੇ ਡਾਇਬਟੀਜ਼ (ਸ਼ੂਗਰ) ਕਲੀਨਿਕ ਵਿੱਚ ਜਾਓ।"),
        Point("calendar", "ਤਾਰੀਖ਼ ਹੈ **ਮੰਗਲਵਾਰ, 9 ਮਾਰਚ 2027**।",
              {"top": "ਮਾਰਚ", "number": "9", "script": "gurmukhi"}),
        Point("clock", "ਸਮਾਂ ਹੈ **ਸਵੇਰੇ 9:40 ਵਜੇ**।\nਕਿਰਪਾ ਕਰਕੇ 15 ਮਿੰਟ ਪਹਿਲਾਂ ਆਓ।",
              {"hour": 9, "minute": 40},
              say="ਸਮਾਂ ਹੈ ਸਵੇਰੇ 9 ਵੱਜ ਕੇ 40 ਮਿੰਟ। ਕਿਰਪਾ ਕਰਕੇ 15 ਮਿੰਟ ਪਹਿਲਾਂ ਆਓ।"),
    ]),
    EasyPage("easy-read-2", "ਆਉਣ ਤੋਂ ਪਹਿਲਾਂ",
             "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ ਕਿ ਆਉਣ ਤੋਂ ਪਹਿਲਾਂ ਕੀ ਕਰਨਾ ਹੈ?", [
        Point("no-food", "ਅਸੀਂ ਤੁਹਾਡੇ ਖ਼ੂਨ ਦਾ ਟੈਸਟ ਕਰਾਂਗੇ।\n"
              "ਅਪੌਇੰਟਮੈਂਟ ਤੋਂ ਪਹਿਲੀ ਰਾਤ 10 ਵਜੇ ਤੋਂ ਬਾਅਦ **ਕੁਝ ਨਾ ਖਾਓ**।"),
        Point("water", "ਤੁਸੀਂ **ਪਾਣੀ ਪੀ ਸਕਦੇ ਹੋ**।\nਚਾਹ, ਕੌਫ਼ੀ, ਜੂਸ ਜਾਂ ਦੁੱਧ ਨਾ ਪੀਓ।"),
        Point("medicine", "ਉਸ ਦਿਨ ਸਵੇਰੇ ਆਪਣੀ ਡਾਇਬਟੀਜ਼ ਦੀ ਦਵਾਈ ਨਾ ਲਓ।\n"
              "ਇਹ ਖ਼ੂਨ ਦੇ ਟੈਸਟ ਤੋਂ ਬਾਅਦ ਲਓ।\n"
              "**ਆਪਣੀਆਂ ਸਾਰੀਆਂ ਦਵਾਈਆਂ ਨਾਲ ਲੈ ਕੇ ਆਓ।**\nਆਪਣਾ ਸ਼ੂਗਰ ਵਾਲਾ ਮੀਟਰ ਵੀ ਲੈ ਕੇ ਆਓ।"),
    ]),
    EasyPage("easy-read-3", "ਜੇ ਤੁਸੀਂ ਨਹੀਂ ਆ ਸਕਦੇ",
             "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ ਕਿ ਜੇ ਤੁਸੀਂ ਨਹੀਂ ਆ ਸਕਦੇ ਤਾਂ ਕੀ ਕਰਨਾ ਹੈ?", [
        Point("phone", f"ਕਿਰਪਾ ਕਰਕੇ **ਸਾਨੂੰ {PHONE} ਉੱਤੇ ਫ਼ੋਨ ਕਰੋ**।",
              say=f"ਕਿਰਪਾ ਕਰਕੇ ਸਾਨੂੰ {PA_PHONE_SAY} ਉੱਤੇ ਫ਼ੋਨ ਕਰੋ।"),
        Point("days-before", "ਅਪੌਇੰਟਮੈਂਟ ਤੋਂ **ਘੱਟੋ-ਘੱਟ 2 ਦਿਨ ਪਹਿਲਾਂ** ਫ਼ੋਨ ਕਰੋ।\n"
              "ਫਿਰ ਅਸੀਂ ਤੁਹਾਡੀ ਅਪੌਇੰਟਮੈਂਟ ਕਿਸੇ ਹੋਰ ਨੂੰ ਦੇ ਸਕਦੇ ਹਾਂ।"),
        Point("gp", "ਜੇ ਤੁਸੀਂ ਨਾ ਆਏ ਅਤੇ ਫ਼ੋਨ ਵੀ ਨਾ ਕੀਤਾ, "
              "ਤਾਂ ਅਸੀਂ ਤੁਹਾਨੂੰ ਤੁਹਾਡੇ ਜੀਪੀ ਕੋਲ ਵਾਪਸ ਭੇਜ ਸਕਦੇ ਹਾਂ।"),
    ]),
    EasyPage("easy-read-4", "ਹਸਪਤਾਲ ਪਹੁੰਚਣਾ ਅਤੇ ਮਦਦ",
             "ਕੀ ਤੁਹਾਨੂੰ ਸਮਝ ਆਈ ਕਿ ਇੱਥੇ ਕਿਵੇਂ ਪਹੁੰਚਣਾ ਹੈ ਅਤੇ ਮਦਦ ਕਿਵੇਂ ਲੈਣੀ ਹੈ?", [
        Point("car", "ਤੁਸੀਂ ਹਸਪਤਾਲ ਵਿੱਚ ਕਾਰ ਪਾਰਕ ਕਰ ਸਕਦੇ ਹੋ।\n**ਪਾਰਕਿੰਗ ਦੇ ਪੈਸੇ ਲੱਗਦੇ ਹਨ।**\n"
              "ਬਲੂ ਬੈਜ ਨਾਲ ਪਾਰਕਿੰਗ ਮੁਫ਼ਤ ਹੈ।"),
        Point("bus", "**ਬੱਸ 7 ਅਤੇ ਬੱਸ 12** ਹਸਪਤਾਲ ਦੇ ਬਾਹਰ ਰੁਕਦੀਆਂ ਹਨ।", {"number": "7"}),
        Point("interpreter", "ਅਸੀਂ ਤੁਹਾਡੇ ਲਈ **ਦੁਭਾਸ਼ੀਆ (ਇੰਟਰਪ੍ਰੈਟਰ)** ਬੁਲਾ ਸਕਦੇ ਹਾਂ।\n"
              "ਇਹ ਮੁਫ਼ਤ ਹੈ।\nਫ਼ੋਨ ਕਰਨ ਵੇਲੇ ਸਾਨੂੰ ਦੱਸੋ।"),
    ]),
]


PICTURE = 210  # easy-read pictures: big enough to recognise from a chair
PICTURE_X, EASY_TEXT_X = 60, 310


def render_easy(page: EasyPage, number: int, total: int, body: Style, heading: Style):
    """An A4 page: heading band on top; one row per point, picture left and words right."""
    W, H = PAGE  # noqa: N806
    c = Canvas(WHITE)
    c.rect(0, 0, W, 150, PALE_BLUE)
    c.rect(0, 150, W, 5, BLUE)
    c.text(PICTURE_X, 75, page.heading, heading.font(True), BLUE, "lm")
    c.text(W - 50, 75, f"{number} / {total}", font(40), GREY_TEXT, "rm")
    width = W - EASY_TEXT_X - 50
    heights = [max(PICTURE, paragraph_height(c, p.text, body, width)) for p in page.points]
    top, bottom = 155, H - 30
    gap = (bottom - top - sum(heights)) / len(heights)
    if gap < 24:
        raise ValueError(f"{page.id}: too many words for one screen")
    y = top + gap / 2
    for i, (point, height) in enumerate(zip(page.points, heights, strict=True)):
        if i:
            c.rect(PICTURE_X, y - gap / 2 - 1, W - 2 * PICTURE_X, 2, LINE_GREY)
        picture_y = y + (height - PICTURE) / 2
        c.rect(PICTURE_X - 10, picture_y - 10, PICTURE + 20, PICTURE + 20, PALE_GREY, radius=18)
        PICTOGRAMS[point.picture](c, PICTURE_X, picture_y, PICTURE, **point.options)
        text_h = paragraph_height(c, point.text, body, width)
        # centre the words on the picture (the shift allows for the space under the last line)
        draw_paragraph(c, EASY_TEXT_X, y + (height - text_h) / 2 + body.size * 0.12,
                       point.text, body, width)
        y += height + gap
    return c.finish()


def for_voice(text: str) -> str:
    """Brackets become commas: the espeak-ng Punjabi voice reads a bracket out as a word."""
    text = re.sub(r"\s*\(([^)]*)\)", r", \1,", text)
    return re.sub(r",\s*([,.।?!])", r"\1", text)


def easy_say(page: EasyPage, stop: str) -> str:
    """The heading, then each point's sentences: what a supporter would read aloud."""
    points = [p.say or plain(p.text) for p in page.points]
    return for_voice(" ".join([page.heading + stop, *points]))


PROFILE = (
    ProfileQuestion("english-first-language", "Is English your first language?",
                    {"pa": "ਕੀ ਅੰਗਰੇਜ਼ੀ ਤੁਹਾਡੀ ਪਹਿਲੀ ਭਾਸ਼ਾ ਹੈ?"}),
    ProfileQuestion("age-65-plus", "Are you 65 or older?",
                    {"pa": "ਕੀ ਤੁਹਾਡੀ ਉਮਰ 65 ਸਾਲ ਜਾਂ ਇਸ ਤੋਂ ਵੱਧ ਹੈ?"}),
    ProfileQuestion("smartphone-most-days", "Do you use a smartphone most days?",
                    {"pa": "ਕੀ ਤੁਸੀਂ ਜ਼ਿਆਦਾਤਰ ਦਿਨ ਸਮਾਰਟਫ਼ੋਨ ਵਰਤਦੇ ਹੋ?"}),
)


def hospital_letter(letter: Path = LETTER_PDF) -> Example:
    about = """
An outpatient appointment letter in two versions, to see which one people understand:
  original  - the letter as hospitals really write it (3 screens)
  easy-read - the same facts in short sentences with a picture for each (4 screens)
Each screen asks the same question for both versions, so answers can be compared.
The easy-read screens are also in Punjabi (Gurmukhi script), side by side with the
English in [screen.translations.pa], with their own Punjabi pictures. The original letter
has no translation, as in real life: Punjabi speakers see and hear it in English.
The original pages are read along: a [[screen.part]] per block of the letter, each
zoomed to and outlined on the page while it is read.
Please have a fluent Punjabi reader check the wording before using it with the public.
The hospital, trust, patient and phone numbers are all invented."""
    screens: list[Screen] = []
    pictures: dict[str, Image.Image] = {}
    blocks = write_original_pdf(letter)
    for page, image, where, boxes in zip(ORIGINAL_PAGES, render_pdf_pages(letter), blocks,
                                         text_boxes(letter), strict=True):
        parts = original_parts(page, where, boxes)
        screen = Screen(page.id, picture_path(page.id), " ".join(p.say for p in parts),
                        page.ask, "original", parts=tuple(parts))
        screens.append(screen)
        pictures[screen.image] = image
    body, heading = Style(44, line_height=1.3), Style(60)
    # Gurmukhi letters look smaller than Latin ones at the same size, so a little bigger
    body_pa = Style(46, script="gurmukhi", line_height=1.45)
    heading_pa = Style(56, script="gurmukhi")
    for i, (easy, easy_pa) in enumerate(zip(EASY_EN, EASY_PA, strict=True), 1):
        assert easy.id == easy_pa.id
        punjabi = Translation(easy_say(easy_pa, "।"), easy_pa.ask, picture_path(easy.id, "pa"))
        screen = Screen(easy.id, picture_path(easy.id), easy_say(easy, "."), easy.ask,
                        "easy-read", translations={"pa": punjabi})
        screens.append(screen)
        pictures[screen.image] = render_easy(easy, i, len(EASY_EN), body, heading)
        pictures[picture_path(easy.id, "pa")] = render_easy(easy_pa, i, len(EASY_PA), body_pa,
                                                            heading_pa)
    deck = Deck(
        id="hospital-letter",
        title="Your hospital appointment letter",
        version=3,
        language="en-GB",
        screens=tuple(screens),
        ask="Did you understand this?",
        profile=PROFILE,
        language_names={"en-GB": "English", "pa": "ਪੰਜਾਬੀ"},
    )
    return Example(deck, pictures, example_notes(about, deck))


# --------------------------------------------------------------------------------------
# Deck 2: a diabetes app mock-up, each screen a phone frame as Figma exports it (780 x 1688).
# Buttons record where they were drawn; that rectangle becomes the hotspot.
# --------------------------------------------------------------------------------------

APP_NAME = "Steadily"  # an invented app
SW = 460  # the frame's width in design pixels; the frame is exported at APP_FRAME
ZOOM = APP_FRAME[0] / SW  # design pixels to exported pixels
SX, SY, SH = 0, 0, APP_FRAME[1] / ZOOM  # the frame, in design pixels
PAD = 22  # margin inside the phone screen
CW = SW - 2 * PAD  # width of content inside the phone


class AppScreen:
    """One phone screen being drawn: the canvas plus the hotspots of its buttons."""

    def __init__(self, clock: str, background: str = WHITE):
        self.c = Canvas(background, (SW, SH), APP_FRAME)
        self.hotspots: list[Hotspot] = []
        c = self.c
        dark = background != WHITE
        ink = WHITE if dark else TEXT
        c.text(SX + 40, SY + 26, clock, font(22, True), ink, "lm")
        c.rect(SX + SW - 74, SY + 17, 38, 18, None, ink, 2, 4)  # battery
        c.rect(SX + SW - 70, SY + 21, 26, 10, ink)
        self.y: float = SY + 52

    def app_bar(self, title: str, back: tuple[str, str] | None = None):
        """The blue bar with the screen's title, and a back button when there is one."""
        c, top = self.c, self.y
        c.rect(SX, top, SW, 84, BLUE)
        if back:
            label, goto = back
            self.button(SX + 10, top + 12, 118, 60, "‹ " + label, goto, "bar", size=26,
                        spoken=f"Back to {goto}")
            c.text(SX + SW / 2 + 50, top + 42, title, font(30, True), WHITE, "mm")
        else:
            c.text(SX + SW / 2, top + 42, title, font(32, True), WHITE, "mm")
        self.y = top + 84

    def button(self, x, y, w, h, label, goto, kind="primary", size=30, spoken=None):
        """Draw a button and make the same rectangle a hotspot."""
        fill, ink, outline = {
            "primary": (BLUE, WHITE, None),
            "secondary": (WHITE, BLUE, BLUE),
            "bar": (DARK_BLUE, WHITE, None),
            "danger": (RED, WHITE, None),
        }[kind]
        x, y, w, h = round(x), round(y), round(w), round(h)
        self.c.rect(x, y, w, h, fill, outline, 3 if outline else 0, radius=min(18, h / 2))
        self.c.text(x + w / 2, y + h / 2, label, font(size, True), ink, "mm")
        self.hotspots.append(Hotspot((x, y, w, h), goto, spoken or label.strip("‹+ ")))
        return y + h

    def text(self, text, size=28, bold=False, colour=TEXT, gap=10, align="left", x=None,
             width=None):
        """A wrapped paragraph at the current position; moves the position below it."""
        style = Style(size, colour=colour, line_height=1.3)
        x = SX + PAD if x is None else x
        width = CW if width is None else width
        text = f"**{text}**" if bold else text
        self.y = draw_paragraph(self.c, x, self.y, text, style, width, align)
        self.y += gap

    def tick(self, cy, colour=GREEN):
        cx = SX + SW / 2
        self.c.circle(cx, cy, 64, colour)
        self.c.line([(cx - 30, cy + 2), (cx - 8, cy + 24), (cx + 32, cy - 20)], WHITE, 12)

    def finish(self, screen_id: str, say: str, ask: str) -> Drawn:
        if self.y > SY + SH - 8:
            raise ValueError(f"{screen_id}: the phone screen overflows (y={self.y:.0f})")
        exported = tuple(Hotspot(_zoomed(spot.rect), spot.goto, spot.label)
                         for spot in self.hotspots)  # in the exported frame's pixels
        screen = Screen(screen_id, picture_path(screen_id), say, ask, hotspots=exported)
        return screen, self.c.finish()


def _zoomed(rect: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    x, y, w, h = (round(v * ZOOM) for v in rect)
    return x, y, w, h


def app_home() -> Drawn:
    a = AppScreen("8:16")
    a.app_bar(APP_NAME)
    a.y += 22
    a.text("Good morning, Sam", 32, bold=True, gap=16)
    c, top = a.c, a.y
    c.rect(SX + PAD, top, CW, 226, PALE_BLUE, radius=18)
    c.text(SX + PAD + 24, top + 20, "Your last reading", font(26), GREY_TEXT)
    c.text(SX + PAD + 24, top + 54, "6.2", font(80, True), TEXT)
    c.text(SX + PAD + 170, top + 110, "mmol/L", font(28), TEXT)
    c.text(SX + PAD + 24, top + 150, "Today at 8:15 am", font(24), GREY_TEXT)
    c.rect(SX + PAD + 250, top + 146, 150, 40, PALE_GREEN, radius=20)
    c.text(SX + PAD + 325, top + 166, "On target", font(22, True), GREEN, "mm")
    a.y = top + 226 + 26
    a.y = a.button(SX + PAD, a.y, CW, 100, "+  Add a reading", "log-reading", size=34) + 10
    for label, goto in (("My week", "week"), ("Reminders", "reminder"), ("Help", "help")):
        a.y = a.button(SX + PAD, a.y + 14, CW, 72, label, goto, "secondary")
    return a.finish(
        "home",
        f"This is the home screen of the {APP_NAME} app. It says: Good morning, Sam. "
        "It shows your last reading: 6.2, today at 8:15 am. That is on target. "
        "To add a new reading, press the big blue button, Add a reading. "
        "Below it are three more buttons: My week, Reminders, and Help.",
        "Do you know how to add a new reading?",
    )


def app_log_reading() -> Drawn:
    a = AppScreen("12:30")
    a.app_bar("Add a reading", ("Back", "home"))
    a.y += 18
    a.text("Type the number from your blood sugar meter.", 28, gap=14)
    c, top = a.c, a.y
    c.rect(SX + PAD, top, CW, 104, PALE_GREY, BLUE, 3, 14)
    c.text(SX + PAD + 30, top + 52, "6.8", font(64, True), TEXT, "lm")
    c.text(SX + PAD + CW - 26, top + 60, "mmol/L", font(28), GREY_TEXT, "rm")
    c.rect(SX + PAD + 130, top + 22, 3, 60, BLUE)  # the typing cursor
    y = top + 104 + 18
    key_w, key_h, gap = (CW - 2 * 14) / 3, 66, 12
    keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", ".", "0", "del"]
    for i, key in enumerate(keys):
        kx = SX + PAD + (i % 3) * (key_w + 14)
        ky = y + (i // 3) * (key_h + gap)
        c.rect(kx, ky, key_w, key_h, PALE_GREY, LINE_GREY, 2, 14)
        if key == "del":  # a "delete" key, drawn as an arrow with a cross
            mx, my = kx + key_w / 2, ky + key_h / 2
            c.polygon([(mx - 34, my), (mx - 16, my - 18), (mx + 30, my - 18), (mx + 30, my + 18),
                       (mx - 16, my + 18)], None, TEXT, 3)
            c.line([(mx - 4, my - 8), (mx + 12, my + 8)], TEXT, 3)
            c.line([(mx - 4, my + 8), (mx + 12, my - 8)], TEXT, 3)
        else:
            c.text(kx + key_w / 2, ky + key_h / 2, key, font(34, True), TEXT, "mm")
    a.y = y + 4 * (key_h + gap) + 8
    a.y = a.button(SX + PAD, a.y, CW, 92, "Save reading", "saved", size=32)
    return a.finish(
        "log-reading",
        "This screen is for adding a blood sugar reading. You type the number from your "
        "meter on the number keys. Here, 6.8 is already typed in. "
        "To save it, press the blue button at the bottom, Save reading. "
        "To go back without saving, press Back, at the top left.",
        "Do you know how to save your reading?",
    )


def app_saved() -> Drawn:
    a = AppScreen("12:31")
    a.app_bar("Reading saved")
    a.tick(a.y + 110)
    a.y += 198
    a.text("Saved", 44, bold=True, align="center", gap=6)
    a.text("6.8 mmol/L, today at 12:30 pm", 28, align="center", gap=22)
    c, top = a.c, a.y
    words = "This is in your target range.\nBefore meals, your target is 4 to 7."
    box_h = paragraph_height(c, words, Style(27, line_height=1.3), CW - 40) + 28
    c.rect(SX + PAD, top, CW, box_h, PALE_GREEN, radius=16)
    a.y += 14
    a.text(words, 27, x=SX + PAD + 20, width=CW - 40)
    a.y = top + box_h + 26
    a.y = a.button(SX + PAD, a.y, CW, 86, "See my week", "week") + 16
    a.y = a.button(SX + PAD, a.y, CW, 86, "Done", "home", "secondary")
    return a.finish(
        "saved",
        "Your reading is saved. It says: 6.8, today at 12:30 pm. "
        "This is in your target range. Before meals, your target is 4 to 7. "
        "To see your readings for the week, press See my week. "
        "To go back to the start, press Done.",
        "Did you understand that your reading was saved, and that it is on target?",
    )


WEEK = [("Mon", 6.4), ("Tue", 5.8), ("Wed", 8.9), ("Thu", 6.0), ("Fri", 6.2), ("Sat", 7.6),
        ("Sun", 6.5)]


def app_week() -> Drawn:
    a = AppScreen("12:32")
    a.app_bar("My week", ("Home", "home"))
    a.y += 18
    a.text("Your average each day", 28, bold=True, gap=12)
    c = a.c
    left, right = SX + PAD + 36, SX + PAD + CW
    top, base = a.y + 10, a.y + 290
    scale = (base - top) / 10  # the chart shows 0 to 10 mmol/L

    def level(v):
        return base - v * scale

    c.rect(left, level(7), right - left, level(4) - level(7), PALE_GREEN)  # the target band
    for v in (0, 4, 7, 10):
        c.text(left - 10, level(v), str(v), font(22), GREY_TEXT, "rm")
        c.rect(left, level(v), right - left, 1, LINE_GREY)
    slot = (right - left) / len(WEEK)
    for i, (day, value) in enumerate(WEEK):
        bx = left + i * slot + slot * 0.18
        colour = BLUE if 4 <= value <= 7 else ORANGE
        c.rect(bx, level(value), slot * 0.64, base - level(value), colour, radius=4)
        c.text(bx + slot * 0.32, level(value) - 6, f"{value:.1f}", font(18, True), TEXT, "md")
        c.text(bx + slot * 0.32, base + 10, day, font(20), TEXT, "ma")
    a.y = base + 46
    c.rect(SX + PAD, a.y, 26, 20, PALE_GREEN, GREEN, 1)
    c.text(SX + PAD + 36, a.y + 10, "Your target: 4 to 7", font(22), TEXT, "lm")
    a.y += 44
    a.text("5 of 7 days were on target.", 28, bold=True, gap=4)
    a.text("Wednesday and Saturday were higher (orange).", 27, gap=20)
    a.button(SX + PAD, SY + SH - 40 - 86, CW, 86, "Back to home", "home", "secondary")
    a.y = SY + SH - 40
    return a.finish(
        "week",
        "This screen shows your week. There is one bar for each day, from Monday to Sunday. "
        "The green band is your target: 4 to 7. Blue bars are on target. "
        "5 of 7 days were on target. Wednesday, 8.9, and Saturday, 7.6, were higher, "
        "and their bars are orange. To go back, press Back to home.",
        "Did you understand how your week went?",
    )


def draw_bell(c: Canvas, cx, cy):
    c.circle(cx, cy - 58, 9, ORANGE)
    c.polygon([(cx - 40, cy + 26), (cx - 36, cy - 20), (cx - 20, cy - 46), (cx, cy - 52),
               (cx + 20, cy - 46), (cx + 36, cy - 20), (cx + 40, cy + 26)], ORANGE)
    c.rect(cx - 54, cy + 22, 108, 14, ORANGE, radius=7)
    c.circle(cx, cy + 46, 12, ORANGE)


def app_reminder() -> Drawn:
    a = AppScreen("18:00")
    a.app_bar("Reminder")
    c = a.c
    c.circle(SX + SW / 2, a.y + 100, 76, PALE_ORANGE)
    draw_bell(c, SX + SW / 2, a.y + 96)
    a.y += 196
    a.text("Time for your medicine", 38, bold=True, align="center", gap=14)
    top = a.y
    c.rect(SX + PAD, top, CW, 150, PALE_GREY, radius=16)
    a.y += 16
    a.text("Metformin 500 mg", 32, bold=True, x=SX + PAD + 22, gap=4)
    a.text("1 tablet with your evening meal", 28, x=SX + PAD + 22, width=CW - 44)
    a.y = top + 150 + 24
    a.y = a.button(SX + PAD, a.y, CW, 88, "I have taken it", "taken") + 14
    a.y = a.button(SX + PAD, a.y, CW, 88, "Remind me later", "home", "secondary")
    return a.finish(
        "reminder",
        "This is a reminder. It says: Time for your medicine. Metformin 500 milligrams. "
        "1 tablet with your evening meal. "
        "When you have taken it, press the blue button: I have taken it. "
        "If you cannot take it now, press Remind me later.",
        "Did you understand what the reminder asks you to do?",
    )


def app_taken() -> Drawn:
    a = AppScreen("18:02")
    a.app_bar("Reminder")
    a.tick(a.y + 130)
    a.y += 236
    a.text("Well done", 44, bold=True, align="center", gap=16)
    a.text("We have noted that you took your medicine at 6:02 pm.", 30, align="center",
           x=SX + PAD + 10, width=CW - 20, gap=16)
    a.text("Your next reminder is tomorrow at 6 pm.", 28, align="center", colour=GREY_TEXT,
           x=SX + PAD + 10, width=CW - 20)
    a.button(SX + PAD, SY + SH - 40 - 90, CW, 90, "Back to home", "home")
    a.y = SY + SH - 40
    return a.finish(
        "taken",
        "Well done. The app has noted that you took your medicine at 6:02 pm. "
        "Your next reminder is tomorrow at 6 pm. To go back, press Back to home.",
        "Did you understand that the app has noted your medicine?",
    )


NURSE_PHONE = "01632 960735"


def app_help() -> Drawn:
    a = AppScreen("12:40")
    a.app_bar("Help", ("Home", "home"))
    a.y += 20
    c, top = a.c, a.y
    c.rect(SX + PAD, top, CW, 262, PALE_BLUE, radius=16)
    a.y += 18
    inner = dict(x=SX + PAD + 20, width=CW - 40)
    a.text("Your diabetes nurse", 30, bold=True, gap=2, **inner)
    a.text(NURSE_PHONE, 34, bold=True, colour=BLUE, gap=2, **inner)
    a.text("Mon to Fri, 9 am to 5 pm", 26, colour=GREY_TEXT, gap=14, **inner)
    a.button(SX + PAD + 20, a.y, CW - 40, 76, "Call the nurse", "calling")
    a.y = top + 262 + 22
    a.y = a.button(SX + PAD, a.y, CW, 96, "What do my numbers mean?", "numbers", "secondary",
                   size=27) + 26
    top = a.y
    c.rect(SX + PAD, top, CW, 206, PALE_ORANGE, radius=16)
    c.rect(SX + PAD, top, 10, 206, ORANGE)
    a.y += 20
    inner = dict(x=SX + PAD + 32, width=CW - 52)
    a.text("Feeling very unwell?", 30, bold=True, gap=4, **inner)
    a.text("Call **111**, day or night.", 28, gap=4, **inner)
    a.text("In an emergency, call **999**.", 28, **inner)
    a.y = top + 206
    return a.finish(
        "help",
        "This is the help screen. Your diabetes nurse's phone number is "
        "0 1 6 3 2, 9 6 0, 7 3 5, Monday to Friday, 9 am to 5 pm. "
        "To call the nurse, press Call the nurse. To learn what your numbers mean, "
        "press the button below it. If you feel very unwell, call 1 1 1, day or night. "
        "In an emergency, call 9 9 9.",
        "Do you know how to get help?",
    )


def app_calling() -> Drawn:
    a = AppScreen("12:41", background="#1B2A38")
    c = a.c
    a.y += 60
    a.text("Calling…", 28, colour="#C8D3DB", align="center", gap=10)
    a.text("Diabetes nurse", 40, bold=True, colour=WHITE, align="center", gap=6)
    a.text(NURSE_PHONE, 30, colour="#C8D3DB", align="center")
    cx, cy = SX + SW / 2, a.y + 150
    c.circle(cx, cy, 100, "#2E4A63")
    c.circle(cx, cy - 30, 36, "#C8D3DB")  # a simple person
    c.ellipse(cx - 58, cy + 16, 116, 76, "#C8D3DB")
    a.button(SX + PAD + 40, SY + SH - 60 - 90, CW - 80, 90, "End call", "help", "danger")
    a.y = SY + SH - 60
    return a.finish(
        "calling",
        "The phone is calling your diabetes nurse. To stop the call, "
        "press the red button, End call.",
        "Did you understand that the phone is calling your nurse?",
    )


def app_numbers() -> Drawn:
    a = AppScreen("12:42")
    a.app_bar("My numbers", ("Help", "help"))
    a.y += 20
    a.text("Before meals, your target is **4 to 7**.", 28, gap=18)
    c = a.c
    rows = [
        ("4 to 7", GREEN, WHITE, "On target. Well done."),
        ("Under 4", RED, WHITE, "Too low. Have a sugary drink or sweets now."),
        ("Over 7", ORANGE, TEXT, "Higher than your target. If it stays high, talk to your nurse."),
    ]
    for chip, fill, ink, words in rows:
        top = a.y
        c.rect(SX + PAD, top, 130, 52, fill, radius=26)
        c.text(SX + PAD + 65, top + 26, chip, font(24, True), ink, "mm")
        a.text(words, 27, x=SX + PAD + 146, width=CW - 146, gap=0)
        a.y = max(a.y, top + 52) + 24
        c.rect(SX + PAD, a.y - 12, CW, 1, LINE_GREY)
    a.y += 6
    a.text("Your nurse may give you a different target.", 24, colour=GREY_TEXT)
    return a.finish(
        "numbers",
        "This screen explains your numbers. Before meals, your target is 4 to 7. "
        "4 to 7 is on target. Under 4 is too low: have a sugary drink or sweets now. "
        "Over 7 is higher than your target: if it stays high, talk to your nurse. "
        "Your nurse may give you a different target. To go back, press Help, at the top left.",
        "Did you understand what your numbers mean?",
    )


def diabetes_app() -> Example:
    about = f"""
A clickable mock-up of "{APP_NAME}", an invented diabetes self-management app.
Screens are walked in this order; tapping a button (a hotspot) jumps to its screen.
Each hotspot's rect is exactly the button drawn on the image, in image pixels.
At the end are three tasks: things to do by tapping, such as adding a reading."""
    drawn = [app_home(), app_log_reading(), app_saved(), app_week(), app_reminder(),
             app_taken(), app_help(), app_calling(), app_numbers()]
    deck = Deck(
        id="diabetes-app",
        title=f"{APP_NAME}: a diabetes diary app",
        version=2,
        language="en-GB",
        screens=tuple(screen for screen, _ in drawn),
        ask="Did you understand this screen?",
        tasks=(
            Task("add-reading",
                 "Your meter says 6.8. Add today's blood sugar reading to the app, and save it.",
                 "home", ("saved",), ("home", "log-reading", "saved")),
            Task("low-reading",
                 "Find out what to do if your blood sugar reading is under 4.",
                 "home", ("numbers",), ("home", "help", "numbers")),
            Task("call-nurse",
                 "Find how to phone your diabetes nurse from the app, and start the call.",
                 "home", ("calling",), ("home", "help", "calling")),
        ),
    )
    pictures = {screen.image: picture for screen, picture in drawn}
    return Example(deck, pictures, example_notes(about, deck))


def main(home: Path = HERE) -> None:
    """Draw both decks into ``home`` (the letter's PDF into ``home``/letters)."""
    letters = home / LETTER_PDF.parent.name
    letters.mkdir(parents=True, exist_ok=True)
    write_deck(hospital_letter(letters / LETTER_PDF.name), home)
    write_deck(diabetes_app(), home)


if __name__ == "__main__":
    main()
