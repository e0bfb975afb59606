"""``kiosk deck new --from letter.pdf`` proposes read-along parts: a real PDF is written here
with each paragraph in its own colour, so the rendered page shows whether each part's region
holds its paragraph's ink and none of another's."""

import tomllib

import pytest
from PIL import Image

from kiosk.authoring.pdf_parts import label_of, propose_parts
from kiosk.cli import main
from kiosk.decks.reader import read_deck
from kiosk.home import CHECKOUT

A4 = (8.27, 11.69)  # inches
HEADING = ("Your eye test", 20, "#00a000")
FIRST = (["You have an eye test on Thursday 18 March at 2:20 in the afternoon.",
          "It is at Hollins Lane Surgery, on the corner of Hollins Lane and",
          "Mill Street. The test takes about half an hour."], 13, "#e00000")
SECOND = (["Please bring your glasses and a list of your medicines. Do not drive",
           "for six hours after the test: the eye drops make things blurry."], 13, "#0000e0")
PHONE = (["Call 01632 960 552 if you cannot come."], 13, "#c000c0")
COLOURS = {"heading": (0, 160, 0), "first": (224, 0, 0), "second": (0, 0, 224),
           "phone": (192, 0, 192)}


def write_letter(path, pages=1):
    """A word-processor-like letter: real (extractable) text, a page footer and a page number."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["pdf.fonttype"] = 42
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with PdfPages(path, metadata={"Title": "Eye test letter"}) as pdf:
        for number in range(1, pages + 1):
            figure = Figure(figsize=A4)
            y = 1 - 1.0 / A4[1]
            for lines, points, colour, gap_after in ((*HEADING, 0.25),
                                                     (*FIRST, 0.2), (*SECOND, 0.2),
                                                     (*PHONE, 0)):
                for line in [lines] if isinstance(lines, str) else lines:
                    figure.text(0.9 / A4[0], y, line, fontsize=points, color=colour, va="top")
                    y -= points * 1.45 / 72 / A4[1]
                y -= gap_after / A4[1]
            figure.text(0.5, 0.4 / A4[1], str(number), fontsize=10, color="black")
            figure.text(1 - 0.9 / A4[0], 0.7 / A4[1], f"Page {number} of {pages}", fontsize=10,
                        color="black", ha="right")
            pdf.savefig(figure)


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    write_letter(folder / "letter.pdf")
    return folder / "letter.pdf"


@pytest.fixture(scope="module")
def made(letter, tmp_path_factory):
    dest = tmp_path_factory.mktemp("made") / "eye-test"
    assert main(["deck", "new", str(dest), "--from", str(letter)]) == 0
    return dest


def pixels_of(image, colour, tolerance=60):
    """Where ``colour`` was painted (anti-aliased edges included)."""
    found = []
    rgb = image.convert("RGB")
    width, height = rgb.size
    data = rgb.load()
    for y in range(height):
        for x in range(width):
            r, g, b = data[x, y]
            if abs(r - colour[0]) + abs(g - colour[1]) + abs(b - colour[2]) < tolerance:
                found.append((x, y))
    return found


def inside(point, rect):
    x, y = point
    return rect[0] <= x < rect[0] + rect[2] and rect[1] <= y < rect[1] + rect[3]


def test_each_paragraph_becomes_a_part_with_its_words(made):
    screen = read_deck(made).screens[0]
    assert [part.say for part in screen.parts] == [
        HEADING[0], " ".join(FIRST[0]), " ".join(SECOND[0]), PHONE[0][0]]
    # The page number and footer are not read out; the whole screen is the parts in order.
    assert "Page 1" not in screen.say and not screen.say.rstrip().endswith("1")
    assert screen.say == " ".join(part.say for part in screen.parts)


def test_each_region_holds_its_paragraph_and_no_other(made):
    deck = read_deck(made)
    screen = deck.screens[0]
    with Image.open(deck.path_of(screen.image)) as page:
        page.load()
        assert_regions_hold_their_ink(page, dict(zip(COLOURS, screen.parts, strict=True)))


def assert_regions_hold_their_ink(page, parts_by_colour):
    size = page.size
    ink = {name: pixels_of(page, colour) for name, colour in COLOURS.items()}
    for name, part in parts_by_colour.items():
        x, y, width, height = part.rect
        assert x >= 0 and y >= 0 and x + width <= size[0] and y + height <= size[1]
        assert len(ink[name]) > 200, name
        assert all(inside(p, part.rect) for p in ink[name]), name  # all of its ink
        for other in COLOURS:
            if other != name:
                assert not any(inside(p, part.rect) for p in ink[other]), (name, other)
        # A small margin only: the region is not much bigger than the ink.
        xs = [p[0] for p in ink[name]]
        ys = [p[1] for p in ink[name]]
        assert x >= min(xs) - 12 and x + width <= max(xs) + 13
        assert y >= min(ys) - 14 and y + height <= max(ys) + 15


def test_a_page_stored_turned_gets_regions_on_the_page_as_shown(letter, tmp_path):
    """A PDF page may be stored upside down with /Rotate 180: the regions follow the picture."""
    import pypdfium2 as pdfium

    turned = tmp_path / "turned.pdf"
    pdf = pdfium.PdfDocument(str(letter))
    pdf[0].set_rotation(180)
    pdf.save(str(turned))
    pdf.close()
    pdf = pdfium.PdfDocument(str(turned))
    try:
        page = pdf[0]
        image = page.render(scale=1.5).to_pil().convert("RGB")
        parts = propose_parts(page, 1.5, image.size)
    finally:
        pdf.close()
    # Upside-down text is not read in its usual order, but each region still holds the ink
    # of one paragraph only, and every paragraph's ink is inside a region.
    ink = {name: pixels_of(image, colour) for name, colour in COLOURS.items()}
    for part in parts:
        held = [name for name, points in ink.items() if any(inside(p, part.rect) for p in points)]
        assert len(held) == 1, (part.say, held)
    for name, points in ink.items():
        assert len(points) > 200
        assert all(any(inside(p, part.rect) for part in parts) for p in points), name
    # Without turning the boxes the regions would be on the wrong half of the page.
    assert min(part.rect[1] for part in parts) > image.height / 2


def test_the_deck_file_has_commented_part_tables_and_installs(made, home, monkeypatch):
    from kiosk.decks import narration
    from kiosk.decks.library import DeckLibrary
    from kiosk.decks.narration import NarrationCache, NoSpeechEngine

    text = (made / "deck.toml").read_text(encoding="utf-8")
    assert "# Read a paragraph at a time" in text and "`kiosk deck edit`" in text
    table = tomllib.loads(text)["screen"][0]
    assert "say" not in table  # the words live in the parts only: one place to edit them
    assert all({"rect", "say"} <= set(part) <= {"rect", "say", "label"}
               for part in table["part"])
    assert len(table["part"]) == 4
    monkeypatch.setattr(narration, "default_engine", lambda: NoSpeechEngine())
    results = DeckLibrary(home, NarrationCache.for_home(home, NoSpeechEngine())).install(made)
    assert [r.ok for r in results] == [True]


def test_no_parts_reads_each_page_whole(letter, tmp_path, capsys):
    assert main(["deck", "new", str(tmp_path / "along"), "--from", str(letter)]) == 0
    out = capsys.readouterr().out
    assert "1 screen, read a paragraph at a time (4 read-along parts)." in out
    assert "kiosk deck edit" in out
    dest = tmp_path / "whole"
    assert main(["deck", "new", str(dest), "--from", str(letter), "--no-parts"]) == 0
    out = capsys.readouterr().out
    assert "1 screen." in out and "read-along" not in out and "deck edit" not in out
    screen = read_deck(dest).screens[0]
    assert screen.parts == ()
    assert screen.say.startswith("Your eye test\n\nYou have an eye test")


def test_parts_follow_the_render_scale(letter):
    """The same page drawn at half the size gets regions at half the size."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(letter))
    try:
        page = pdf[0]
        width, height = page.get_size()
        big = propose_parts(page, 2.0, (round(width * 2), round(height * 2)))
        small = propose_parts(page, 1.0, (round(width), round(height)))
    finally:
        pdf.close()
    assert [p.say for p in big] == [p.say for p in small]
    for a, b in zip(big, small, strict=True):
        assert all(abs(p - 2 * q) <= 3 for p, q in zip(a.rect, b.rect, strict=True))


def parts_of(path, number=0):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[number]
        width, height = page.get_size()
        return propose_parts(page, 1.0, (round(width), round(height)))
    finally:
        pdf.close()


def test_each_part_is_labelled_from_its_first_words(letter):
    """A heading is its own label; a paragraph's label is its first words, cut at a word
    and marked as cut when the first sentence is longer than a label."""
    assert [part.label for part in parts_of(letter)] == [
        "Your eye test", "You have an eye test on Thursday 18 March\u2026",
        "Please bring your glasses and a list\u2026", "Call 01632 960 552 if you cannot come"]


def test_a_real_letters_parts_get_short_distinct_labels_a_deck_accepts():
    """The bundled original letter (made by a word processor's PDF writer, not matplotlib)."""
    parts = parts_of(CHECKOUT / "prototypes" / "letters" / "original-letter.pdf")
    labels = [part.label for part in parts]
    assert labels[:6] == [
        "Brookfield Diabetic Eye Screening Programme",  # the letterhead's first line
        "Our reference: DES/2027/118204",  # up to the next "Field:" on the line
        "Mr Tomasz Nowak",  # an address line stands alone
        "Dear Mr Nowak",
        "Re: Invitation to attend diabetic eye screening",
        "As a person registered with diabetes",  # up to the first comma
    ]
    assert len(set(labels)) == len(labels)
    for part in parts:
        assert 0 < len(part.label) <= 64  # the deck format's limit for a label
        assert part.say.startswith(part.label.rstrip("\u2026"))


@pytest.mark.parametrize("lines,label", [
    (["Mr Tomasz Nowak", "22 Alder Road"], "Mr Tomasz Nowak"),
    (["Do not drive for 6 hours after", "the test. The drops make"],
     "Do not drive for 6 hours after the test"),
    (["Re: Outpatient Appointment \u2013 Diabetes and Endocrinology (New", "Patient)"],
     "Re: Outpatient Appointment"),
    (["Date: Tuesday 9 March 2027, Time: 09:40, Consultant: Dr E. Marsh"],
     "Date: Tuesday 9 March 2027"),
    (["cc: Dr R. Okafor, Hollins Lane Surgery"], "cc: Dr R. Okafor"),
    (["Cannot come? Please call us on", "01632 960 552."], "Cannot come?"),
    (["Following receipt of a referral from your General Practitioner, an"],
     "Following receipt of a referral\u2026"),
])
def test_a_label_ends_where_the_words_do(lines, label):
    assert label_of(lines) == label


def test_deck_new_writes_each_parts_label(made, letter):
    table = tomllib.loads((made / "deck.toml").read_text(encoding="utf-8"))["screen"][0]
    assert [part.get("label") for part in table["part"]] == [
        part.label for part in parts_of(letter)]
