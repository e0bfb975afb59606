"""Draw two example letters as PDFs: an eye-screening invitation as such letters are often sent
(`original-letter.pdf`), and an Easy Read rewrite of it (`easy-read-letter.pdf`).

Run it from anywhere:  python prototypes/letters/make_letters.py

They are the starting point of the authoring guide (prototypes/AUTHORING.md): one command turns
the two into an A/B deck, and `kiosk deck check` shows why the rewrite is easier to read:

    kiosk deck new eye-screening --from prototypes/letters/original-letter.pdf --variant original \\
        --from prototypes/letters/easy-read-letter.pdf --variant easy-read

The organisations, places and people are made up. The PDFs hold real text (not pictures of
text), as a letter exported from Word would, so the deck maker can read the words out of them.
This folder has no deck.toml on purpose: the kiosk scans prototypes/ for decks.
Matplotlib draws them because it is already a dependency; the output is the same on every run.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent.parent / "kiosk" / "fonts"
A4 = (8.27, 11.69)  # inches

BLUE = "#005EB8"
DARK_BLUE = "#003087"
TEXT = "#212B32"
PALE_BLUE = "#E8F1FA"
GREEN = "#007F3B"
RED = "#D5281B"

ORIGINAL = [
    ("head", "Brookfield Diabetic Eye Screening Programme"),
    ("small", "Unit 3, Kestrel Business Park, Brookfield BV7 1XX   Telephone: 01632 960 552"),
    ("gap", ""),
    ("small", "Our reference: DES/2027/118204        Date: 3 February 2027"),
    ("gap", ""),
    ("text", "Mr Tomasz Nowak"),
    ("text", "22 Alder Road"),
    ("text", "Brookfield BV4 6PL"),
    ("gap", ""),
    ("text", "Dear Mr Nowak,"),
    ("gap", ""),
    ("bold", "Re: Invitation to attend diabetic eye screening"),
    ("gap", ""),
    ("para", "As a person registered with diabetes, you are eligible for annual retinal screening "
             "in accordance with national guidance, and we are writing to inform you that an "
             "appointment has been arranged for you to attend the screening clinic at Hollins Lane "
             "Surgery on Thursday 18 March 2027 at 14:20."),
    ("para", "Screening involves the instillation of eye drops to dilate the pupils, following "
             "which digital photographs of the retina are obtained in order to identify any early "
             "indications of diabetic retinopathy prior to the development of symptoms."),
    ("para", "As the drops may cause temporary blurring of vision for approximately four to six "
             "hours, you must not drive to or from your appointment, and you are advised to bring "
             "sunglasses and to be accompanied by a responsible adult."),
    ("para", "Please ensure that you bring your current spectacles and a list of your medication. "
             "If you are unable to attend, please notify the Programme Office at the earliest "
             "opportunity so that your appointment may be reallocated."),
    ("para", "Failure to attend without prior notification may result in your appointment not "
             "being rescheduled until the next screening round."),
    ("gap", ""),
    ("text", "Yours sincerely,"),
    ("gap", ""),
    ("text", "Programme Office, Brookfield Diabetic Eye Screening Programme"),
]

# The rewrite: one idea per sentence, 15 words or fewer, a picture beside each point, big type.
EASY_READ = [
    ("Eye test", [
        ("calendar", "You have an eye test. It is on Thursday 18 March at 2:20 in the afternoon."),
        ("house", "Go to Hollins Lane Surgery."),
        ("eye", "The test checks your eyes. Diabetes can hurt your eyes."),
    ]),
    ("On the day", [
        ("drops", "We put drops in your eyes. Then we take photos of your eyes."),
        ("car", "Do not drive for 6 hours after the test. The drops make things blurry."),
        ("bag", "Bring your glasses. Bring a list of your medicines. Bring a friend if you can."),
        ("phone", "Cannot come? Please call us on 01632 960 552."),
    ]),
]


def main() -> None:
    """Write both PDFs next to this script."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42  # real, extractable TrueType text
    matplotlib.rcParams["svg.hashsalt"] = "letters"
    write_original(HERE / "original-letter.pdf")
    write_easy_read(HERE / "easy-read-letter.pdf")


def _fonts():
    from matplotlib.font_manager import FontProperties

    return (FontProperties(fname=FONTS / "NotoSans-Regular.ttf"),
            FontProperties(fname=FONTS / "NotoSans-Bold.ttf"))


def _page():
    from matplotlib.figure import Figure

    figure = Figure(figsize=A4)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, A4[0])
    axes.set_ylim(A4[1], 0)  # y grows downwards, in inches from the top
    axes.axis("off")
    return figure, axes


def _metadata(title: str) -> dict:
    return {"Title": title, "Author": "Coffee-morning kiosk examples", "CreationDate": None,
            "Creator": None, "Producer": None}


def write_original(path: Path) -> None:
    """A dense, formal letter at 10.5 pt: the kind many people are sent today."""
    from matplotlib.backends.backend_pdf import PdfPages

    regular, bold = _fonts()
    figure, axes = _page()
    axes.add_patch(_rect(0, 0, A4[0], 0.18, BLUE))
    y = 0.7
    for kind, words in ORIGINAL:
        if kind == "gap":
            y += 0.12
            continue
        if kind == "head":
            axes.text(0.8, y, words, fontproperties=bold, fontsize=15, color=DARK_BLUE, va="top")
            y += 0.32
            continue
        size = 8.5 if kind == "small" else 10.5
        face = bold if kind in ("bold",) else regular
        lines = textwrap.wrap(words, 98) if kind == "para" else [words]
        for line in lines:
            axes.text(0.8, y, line, fontproperties=face, fontsize=size, color=TEXT, va="top")
            y += size / 72 * 1.45
        if kind == "para":
            y += 0.14
    with PdfPages(path, metadata=_metadata("Invitation to diabetic eye screening")) as pdf:
        pdf.savefig(figure)


def write_easy_read(path: Path) -> None:
    """Easy Read: a heading, then one point per row with its picture on the left, 20 pt."""
    from matplotlib.backends.backend_pdf import PdfPages

    regular, bold = _fonts()
    with PdfPages(path, metadata=_metadata("Your eye test (Easy Read)")) as pdf:
        for number, (heading, points) in enumerate(EASY_READ, start=1):
            figure, axes = _page()
            axes.add_patch(_rect(0, 0, A4[0], 0.18, BLUE))
            axes.text(0.7, 0.55, heading, fontproperties=bold, fontsize=30, color=DARK_BLUE,
                      va="top")
            y = 1.5
            row = (A4[1] - 2.2) / len(points)
            for picture, words in points:
                _picture(axes, picture, 0.7, y, 1.9)
                for line_number, line in enumerate(textwrap.wrap(words, 30)):
                    axes.text(3.0, y + 0.25 + line_number * 0.42, line, fontproperties=regular,
                              fontsize=20, color=TEXT, va="top")
                y += row
            axes.text(A4[0] - 0.7, A4[1] - 0.5, f"Page {number} of {len(EASY_READ)}.",
                      fontproperties=regular, fontsize=12, color=TEXT, ha="right")
            pdf.savefig(figure)


def _rect(x: float, y: float, w: float, h: float, colour: str, **more):
    from matplotlib.patches import Rectangle

    more.setdefault("edgecolor", "none")
    return Rectangle((x, y), w, h, facecolor=colour, **more)


def _picture(axes, kind: str, x: float, y: float, size: float) -> None:
    """A simple picture for a point, drawn with shapes (no clip art to licence)."""
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Polygon

    s = size
    axes.add_patch(FancyBboxPatch((x, y), s, s, boxstyle="round,pad=0,rounding_size=0.15",
                                  facecolor=PALE_BLUE, edgecolor="none"))
    cx, cy = x + s / 2, y + s / 2
    line: dict[str, Any] = {"edgecolor": DARK_BLUE, "linewidth": 3}
    if kind == "calendar":
        axes.add_patch(_rect(x + 0.3 * s, y + 0.3 * s, 0.4 * s, 0.45 * s, "white", **line))
        axes.add_patch(_rect(x + 0.3 * s, y + 0.3 * s, 0.4 * s, 0.12 * s, BLUE))
        for row in range(3):  # days as squares: words inside a picture would be read aloud
            for col in range(3):
                axes.add_patch(_rect(x + (0.34 + col * 0.115) * s, y + (0.47 + row * 0.09) * s,
                                     0.07 * s, 0.06 * s, RED if (row, col) == (1, 1) else BLUE))
    elif kind == "house":
        axes.add_patch(Polygon([(x + 0.2 * s, cy), (cx, y + 0.2 * s), (x + 0.8 * s, cy)],
                               facecolor=BLUE, edgecolor="none"))
        axes.add_patch(_rect(x + 0.28 * s, cy, 0.44 * s, 0.3 * s, "white", **line))
        axes.add_patch(_rect(cx - 0.06 * s, cy + 0.12 * s, 0.12 * s, 0.18 * s, DARK_BLUE))
    elif kind == "eye" or kind == "drops":
        axes.add_patch(Ellipse((cx, cy + 0.05 * s), 0.6 * s, 0.32 * s, facecolor="white", **line))
        axes.add_patch(Circle((cx, cy + 0.05 * s), 0.1 * s, facecolor=DARK_BLUE))
        if kind == "drops":
            for dx in (-0.12, 0.12):
                axes.add_patch(Ellipse((cx + dx * s, y + 0.22 * s), 0.07 * s, 0.11 * s,
                                       facecolor=BLUE))
    elif kind == "car":
        axes.add_patch(_rect(x + 0.2 * s, cy - 0.05 * s, 0.6 * s, 0.2 * s, BLUE))
        axes.add_patch(_rect(x + 0.32 * s, cy - 0.18 * s, 0.36 * s, 0.14 * s, BLUE))
        for dx in (0.32, 0.68):
            axes.add_patch(Circle((x + dx * s, cy + 0.17 * s), 0.07 * s, facecolor=DARK_BLUE))
        axes.plot([x + 0.15 * s, x + 0.85 * s], [y + 0.15 * s, y + 0.85 * s], color=RED,
                  linewidth=7, solid_capstyle="round")
    elif kind == "bag":
        axes.add_patch(_rect(x + 0.25 * s, cy - 0.1 * s, 0.5 * s, 0.35 * s, BLUE))
        axes.add_patch(_rect(x + 0.38 * s, cy - 0.22 * s, 0.24 * s, 0.12 * s, "none", **line))
    elif kind == "phone":
        axes.add_patch(FancyBboxPatch((x + 0.35 * s, y + 0.2 * s), 0.3 * s, 0.6 * s,
                                      boxstyle="round,pad=0,rounding_size=0.08",
                                      facecolor="white", **line))
        axes.add_patch(Circle((cx, y + 0.7 * s), 0.035 * s, facecolor=GREEN))


if __name__ == "__main__":
    main()
