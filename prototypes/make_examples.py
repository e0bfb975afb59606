"""Draw the bundled example decks: a hospital letter (original and easy-read, the easy-read
pages also in Punjabi, and three profile questions), and a clickable diabetes app mock-up
with three tasks.

Run it from anywhere:  python prototypes/make_examples.py

Why a script and not a drawing program: the words live in prototypes/examples/ as plain
text, so changing a sentence (or translating the letter) is an edit and a re-run, and every
image matches its narration. A designer making their own deck does not need any of this:
export PNGs from Figma, PowerPoint or a scanner, and write ``deck.toml`` by hand (see
prototypes/README.md).

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
jagged. All coordinates are in design pixels; the ``Canvas`` class (examples/drawing.py) does
the doubling (and for the app, the last step from the 460-pixel-wide design to the 780-pixel
frame). Button
positions are recorded as they are drawn, so the hotspots written to ``deck.toml`` cover
the buttons in the picture.

The output is the same on every run (no dates, no randomness), so re-running it only
changes files whose words or drawing changed. Where things are: prototypes/examples/ holds one
module per idea (``drawing``, ``pictograms``, ``original_letter``, ``easy_read``,
``hospital_letter``, ``diabetes_app``, and ``decks``, which writes each deck through the
project's one deck writer and reads it back with the kiosk's reader).
"""


from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run from anywhere, or loaded by a test: examples/ sits here
    sys.path.insert(0, str(HERE))

from examples.decks import write_deck  # noqa: E402
from examples.diabetes_app import diabetes_app  # noqa: E402
from examples.hospital_letter import hospital_letter  # noqa: E402
from examples.original_letter import LETTER_PDF  # noqa: E402


def main(home: Path = HERE) -> None:
    """Draw both decks into ``home`` (the letter's PDF into ``home``/letters)."""
    letters = home / LETTER_PDF.parent.name
    letters.mkdir(parents=True, exist_ok=True)
    write_deck(hospital_letter(letters / LETTER_PDF.name), home)
    write_deck(diabetes_app(), home)


if __name__ == "__main__":
    main()
