"""An easy-read A4 poster per deck, "What you told us", for the venue's noticeboard.

Easy Read practice: large type (well over 16 pt when printed), one idea per sentence, short
sentences, a picture beside each point (the screen itself, when the deck is on this
computer), and a simple bar: green for "understood". PNG at 150 dpi, A4 portrait.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.sessions.deck_info import find_deck_info
from kiosk.sessions.heatmap import PNG_LEVEL
from kiosk.sessions.stats import Analysis, ScreenRow

A4 = (1240, 1754)  # pixels at 150 dpi
FONTS = Path(__file__).resolve().parent.parent / "fonts"
BLUE, GREEN, PALE, INK = (0, 94, 184), (27, 127, 59), (230, 230, 230), (29, 29, 29)
ROWS_PER_PAGE = 7


def _font(size: int, bold: bool = False) -> Any:
    from PIL import ImageFont

    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    try:
        return ImageFont.truetype(str(FONTS / name), size)
    except OSError:
        return ImageFont.load_default(size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            line = trial
        else:
            if line:
                lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def draw_poster(title: str, rows: list[tuple[int, ScreenRow]], people: int, venues: int,
                images: dict[str, Path], more: str = "") -> Any:
    """The poster as a Pillow image."""
    from PIL import Image, ImageDraw

    page = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(page)
    margin = 80
    width = A4[0] - 2 * margin
    draw.rectangle([0, 0, A4[0], 210], fill=BLUE)
    draw.text((margin, 50), "What you told us", font=_font(100, True), fill="white")
    y = 250
    for line in _wrap(draw, f"About: {title}", _font(52, True), width):
        draw.text((margin, y), line, font=_font(52, True), fill=INK)
        y += 66
    places = "1 place" if venues == 1 else f"{venues} places"
    intro = [f"{people} people looked at these screens.", f"They were at {places}.",
             "Green means people understood."]
    for sentence in intro:
        draw.text((margin, y), sentence, font=_font(40), fill=INK)
        y += 52
    y += 16
    footer_top = A4[1] - 160
    # Easy Read wants 16 pt or more on paper: at 150 dpi that is 33 px, so type never shrinks;
    # a long deck goes onto more pages instead.
    row_height = min(230, (footer_top - y) // max(1, len(rows)))
    label_font, text_font = _font(38, True), _font(34)
    thumb_w = 120
    for number, row in rows:
        top = y + 6
        picture = images.get(row.screen_id)
        x = margin
        if picture is not None and picture.is_file():
            try:
                with Image.open(picture) as opened:
                    image = opened.convert("RGB")
                    image.thumbnail((thumb_w, row_height - 14))
                    page.paste(image, (x, top))
                    draw.rectangle([x, top, x + image.width, top + image.height],
                                   outline=(160, 160, 160), width=2)
            except OSError:
                pass
        x += thumb_w + 30
        label = f"Screen {number}"
        if row.variant:
            label += f" ({row.variant.replace('-', ' ')})"
        draw.text((x, top - 6), label, font=label_font, fill=INK)
        bar_top, bar_h = top + 48, 38
        bar_w = A4[0] - margin - x
        draw.rounded_rectangle([x, bar_top, x + bar_w, bar_top + bar_h], radius=10, fill=PALE)
        share = row.pct_understood or 0.0
        if share > 0:
            draw.rounded_rectangle([x, bar_top, x + max(20, int(bar_w * share)), bar_top + bar_h],
                                   radius=10, fill=GREEN)
        if row.answered:
            words = f"{row.understood} of {row.answered} people understood this."
        else:
            words = "No one answered this yet."
        draw.text((x, bar_top + bar_h + 4), words, font=text_font, fill=INK)
        y += row_height
    if more:
        draw.text((margin, footer_top - 50), more, font=_font(34), fill=INK)
    draw.line([margin, footer_top, A4[0] - margin, footer_top], fill=BLUE, width=4)
    draw.text((margin, footer_top + 30), "Thank you for helping.", font=_font(48, True),
              fill=BLUE)
    draw.text((margin, footer_top + 95), "We will make the hard parts easier.",
              font=_font(40), fill=INK)
    return page


@dataclass(frozen=True)
class PosterDeck:
    """What one deck's poster says, taken from the tallies: a few numbers per screen, so it
    is cheap to send to the report's second process, which draws the posters."""

    deck_id: str
    rows: list[ScreenRow]  # the newest version's screens, in walk order
    people: int
    venues: int


def poster_decks(analysis: Analysis) -> list[PosterDeck]:
    """Each deck id's newest version, with its people and the places they were at."""
    newest: dict[str, int] = {}
    for deck_id, version in analysis.decks:
        newest[deck_id] = max(version, newest.get(deck_id, version))
    decks = []
    for deck_id, version in sorted(newest.items()):
        people = 0  # a person is one participant in one session: sessions never share one
        venues = set()
        for session, tally in analysis.sessions:
            if session.get("deck_id") == deck_id and session.get("deck_version") == version:
                people += tally.people
                if tally.views:
                    venues.add(session.get("venue"))
        decks.append(PosterDeck(deck_id, analysis.deck_screens((deck_id, version)), people,
                                len(venues)))
    return decks


def draw_posters(decks: list[PosterDeck], out: Path, deck_folders: list[Path]) -> list[Path]:
    """Each deck's poster pages, saved as A4 PNG at 150 dpi; the files in deck order."""
    written = []
    for deck in decks:
        info = find_deck_info(deck.deck_id, deck_folders)
        title, images = info.title, info.images
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in deck.deck_id)
        numbered = list(enumerate(deck.rows, start=1))
        pages = [numbered[i:i + ROWS_PER_PAGE] for i in range(0, len(numbered), ROWS_PER_PAGE)]
        for index, chunk in enumerate(pages or [[]], start=1):
            more = f"Turn over: page {index + 1} has more screens." if index < len(pages) else ""
            page = draw_poster(title, chunk, deck.people, deck.venues, images, more)
            suffix = "" if index == 1 else f"-{index}"
            target = Path(out) / f"poster-{safe}{suffix}.png"
            page.save(target, dpi=(150, 150), compress_level=PNG_LEVEL)
            written.append(target)
    return written


def make_posters(analysis: Analysis, out: Path, deck_folders: list[Path]) -> list[Path]:
    """One poster per deck id (its newest version), saved as A4 PNG at 150 dpi."""
    return draw_posters(poster_decks(analysis), out, deck_folders)
