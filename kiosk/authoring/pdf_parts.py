"""Read-along parts proposed from a PDF page's text: one per paragraph, with its region.

A support worker reads a letter with someone a paragraph at a time, pointing at it. The PDF
already knows where every letter of the text is, so ``kiosk deck new --from letter.pdf`` can
draft those paragraphs and their regions; the designer then adjusts them in ``kiosk deck edit``
instead of measuring pixels.

How: pypdfium2 gives each character's box in PDF points (origin bottom-left), turned here to
the page as shown (a page may be stored turned, with /Rotate). Characters make
lines (the PDF's own line breaks, or a jump in position); lines make a paragraph while each
sits just under the one before and overlaps it sideways (a gap of more than half a line starts
a new one, and a column beside it stays apart). Each paragraph's box is turned into pixels of
the page as rendered (origin top-left) with a small margin, clipped to the page.

Each part is labelled from its first words (``label_of``): a heading, an address line, or a
paragraph's opening clause, so the report's per-part figures say "Dear Mr Nowak" and "As a
person registered with diabetes" rather than "part 4" and "part 6".

Left out: lone page numbers ("3", "- 2 -": no letters, at most three digits) and footers ("Page 1 of
2"), which nobody reads aloud. Everything else is kept, even a one-line reference, because only
the designer knows whether it matters; at most ``MAX_PARTS`` are proposed, the smallest blocks
joining their neighbours above when a page has more.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

PAGE_FOOTER = re.compile(r"page\s+\d+(\s+of\s+\d+)?\.?", re.IGNORECASE)
MAX_PARTS = 30  # as many as a deck's screen may have (kiosk.decks.screens.MAX_PARTS)
MARGIN_POINTS = 5.0  # around a paragraph's ink, so the zoom does not crop letters
PARAGRAPH_GAP = 0.5  # a gap above a line of more than this many line heights starts a paragraph
LINE_BREAKS = "\r\n\x02\x03"
LABEL_CHARS = 48  # a part's label: about six words, at most (a deck allows 64 characters)
DASHES = {"-", "\u2013", "\u2014"}
# Words a label cut short should not end on ("a referral from..."): it ends before them.
LINKS = {"a", "an", "and", "as", "at", "by", "for", "from", "if", "in", "into", "of", "on",
         "or", "so", "than", "that", "the", "to", "was", "were", "which", "who", "with",
         "you", "your", "is", "are", "be", "will", "may", "this"}


@dataclass
class DraftPart:
    """A proposed ``[[screen.part]]``: its words, its region in image pixels, and a short
    label from its first words (what the report calls it)."""

    say: str
    rect: tuple[int, int, int, int]  # x, y, width, height
    label: str = ""


@dataclass
class _Box:
    """Ink in PDF points (left, bottom, right, top), and the font's line box (``low``,
    ``high``): lines are compared by their font's box, because ink depends on the letters
    ("eyes." has no tall letters, "your" hangs below the line)."""

    left: float
    bottom: float
    right: float
    top: float
    low: float
    high: float

    @property
    def height(self) -> float:
        return self.high - self.low

    def join(self, other: _Box) -> None:
        self.left, self.bottom = min(self.left, other.left), min(self.bottom, other.bottom)
        self.right, self.top = max(self.right, other.right), max(self.top, other.top)
        self.low, self.high = min(self.low, other.low), max(self.high, other.high)


@dataclass
class _Line:
    box: _Box
    text: str


@dataclass
class _Block:
    box: _Box
    lines: list[_Line]

    @property
    def text(self) -> str:
        words = ""
        for line in self.lines:
            if words.endswith("-") and len(words) > 1 and words[-2].isalpha():
                words += line.text  # "pre-" + "clinic": a word broken at its hyphen
            else:
                words += (" " if words else "") + line.text
        return words


def propose_parts(page, scale: float, image_size: tuple[int, int]) -> list[DraftPart]:
    """The paragraphs of a pypdfium2 ``PdfPage`` drawn at ``scale`` pixels per point into an
    image of ``image_size``, in reading order (top to bottom, then left to right)."""
    textpage = page.get_textpage()
    try:
        lines = _lines(textpage, _Upright(page))
    finally:
        textpage.close()
    blocks = [b for b in _blocks(lines) if _worth_reading(b.text)]
    blocks = _at_most(blocks, MAX_PARTS)
    top = page.get_height()
    labels = _unique_labels([label_of([line.text for line in b.lines]) for b in blocks])
    return [DraftPart(b.text, _pixels(b.box, top, scale, image_size), label)
            for b, label in zip(blocks, labels, strict=True)]


class _Upright:
    """Turns boxes in the PDF's own coordinates into points of the page as it is shown (and
    rendered): a page may say "turn me 90 degrees", and its crop box need not start at 0."""

    def __init__(self, page) -> None:
        self.left, self.bottom, self.right, self.top = page.get_cropbox()
        self.rotation = page.get_rotation() % 360

    def point(self, x: float, y: float) -> tuple[float, float]:
        """x from the left edge and y up from the bottom edge of the page as shown."""
        if self.rotation == 90:
            return y - self.bottom, self.right - x
        if self.rotation == 180:
            return self.right - x, self.top - y
        if self.rotation == 270:
            return self.top - y, x - self.left
        return x - self.left, y - self.bottom

    def box(self, left: float, bottom: float, right: float,
            top: float) -> tuple[float, float, float, float]:
        (x0, y0), (x1, y1) = self.point(left, bottom), self.point(right, top)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _lines(textpage, upright: _Upright) -> list[_Line]:
    """Runs of characters on one line, in the order the PDF holds them."""
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # characters beyond UCS-2: ask one at a time
        text = "".join(textpage.get_text_range(i, 1) or " " for i in range(count))
    lines: list[_Line] = []
    box: _Box | None = None
    chars: list[str] = []

    def finish() -> None:
        words = " ".join(unicodedata.normalize("NFKC", "".join(chars)).split())
        if box is not None and words:
            lines.append(_Line(box, words))

    for index, char in enumerate(text):
        if char in LINE_BREAKS:
            finish()
            box, chars = None, []
            continue
        if char.isspace():
            chars.append(" ")
            continue
        left, bottom, right, top = upright.box(*textpage.get_charbox(index))
        _, low, _, high = upright.box(*textpage.get_charbox(index, loose=True))
        ink = _Box(left, bottom, right, top, min(low, bottom), max(high, top))
        if box is not None and not _same_line(box, ink):
            finish()
            box, chars = None, []
        if box is None:
            box = ink
        else:
            box.join(ink)
        chars.append(char)
    finish()
    return lines


def _same_line(line: _Box, char: _Box) -> bool:
    middle = (char.low + char.high) / 2
    within = line.low <= middle <= line.high
    near = line.left - char.height <= char.left <= line.right + 2 * line.height
    return within and near


def _blocks(lines: list[_Line]) -> list[_Block]:
    """Lines gathered into paragraphs, top to bottom."""
    blocks: list[_Block] = []
    for line in sorted(lines, key=lambda ln: (-ln.box.top, ln.box.left)):
        home = None
        for block in reversed(blocks):
            last = block.lines[-1].box
            gap = last.low - line.box.high
            height = min(last.height, line.box.height)
            sideways = line.box.left < block.box.right and block.box.left < line.box.right
            if sideways and -height <= gap <= PARAGRAPH_GAP * height:
                home = block
                break
        if home is None:
            blocks.append(_Block(_Box(**vars(line.box)), [line]))
        else:
            home.lines.append(line)
            home.box.join(line.box)
    return sorted(blocks, key=lambda b: (-b.box.top, b.box.left))


def label_of(lines: list[str]) -> str:
    """A part's label, from its first words: up to the end of the first sentence or clause
    (a full stop, comma, question mark, dash, a second "Field:", or a line that stands alone
    as an address line does), at most LABEL_CHARS; cut mid-clause, it ends with "...".
    "Date: Tuesday 9 March 2027, Time: 09:40" gives "Date: Tuesday 9 March 2027"."""
    taken: list[str] = []
    for number, line in enumerate(lines):
        words = line.split()
        following = lines[number + 1].lstrip()[:1] if number + 1 < len(lines) else ""
        for index, word in enumerate(words):
            if taken and (word in DASHES or (word.endswith(":") and len(taken) >= 2)):
                return _label(taken, whole=True)  # "Re: Outpatient Appointment – Diabetes"
            if len(" ".join([*taken, word])) > LABEL_CHARS:
                return _label(taken, whole=False)
            taken.append(word)
            if _clause_ends(word):
                return _label(taken, whole=True)
            last = index == len(words) - 1
            if last and (not following or following.isupper() or following.isdigit()):
                return _label(taken, whole=True)  # "Mr Tomasz Nowak" / "22 Alder Road"
    return _label(taken, whole=True)


def _clause_ends(word: str) -> bool:
    """A comma, semicolon, question or exclamation mark, or a full stop after a word (not
    after an initial or title such as "R." or "Dr.")."""
    if word[-1:] in ",;?!":
        return True
    return word.endswith(".") and sum(c.isalpha() for c in word) >= 3


def _label(words: list[str], whole: bool) -> str:
    if not whole:
        while len(words) > 1 and words[-1].casefold().strip(",;:") in LINKS:
            words = words[:-1]
    text = " ".join(words).rstrip(".,;:")
    return text if whole else text + "\u2026"


def _unique_labels(labels: list[str]) -> list[str]:
    """The same words twice on a page ("Yes", "Yes") are told apart by a number."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def _worth_reading(text: str) -> bool:
    """Not a page number ("3", "- 2 -") or footer ("Page 1 of 2"); a phone number is kept."""
    if PAGE_FOOTER.fullmatch(text):
        return False
    return any(c.isalpha() for c in text) or sum(c.isdigit() for c in text) > 3


def _at_most(blocks: list[_Block], limit: int) -> list[_Block]:
    """Join the shortest blocks into the one before them until there are ``limit``."""
    blocks = list(blocks)
    while len(blocks) > limit:
        index = min(range(len(blocks)), key=lambda i: len(blocks[i].text))
        into = index - 1 if index > 0 else 1
        first, second = sorted((index, into))
        blocks[first].lines += blocks[second].lines
        blocks[first].box.join(blocks[second].box)
        del blocks[second]
    return blocks


def _pixels(box: _Box, top: float, scale: float,
            image_size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A box in points (origin bottom-left of a page ``top`` points tall) as x, y, width,
    height in image pixels (origin top-left), a margin around it, clipped to the image."""
    margin = MARGIN_POINTS
    x0 = min(image_size[0] - 1, max(0, math.floor((box.left - margin) * scale)))
    y0 = min(image_size[1] - 1, max(0, math.floor((top - box.top - margin) * scale)))
    x1 = min(image_size[0], math.ceil((box.right + margin) * scale))
    y1 = min(image_size[1], math.ceil((top - box.bottom + margin) * scale))
    return x0, y0, max(1, x1 - x0), max(1, y1 - y0)
