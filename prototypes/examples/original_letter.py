"""The hospital letter's original version, as such letters are really written: a PDF with real
text (as a letter leaves a word processor), its pages rendered with pypdfium2 as
``kiosk deck new --from letter.pdf`` does, and read along a block of the letter at a time."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageFont

from kiosk.decks.model import Part

from .drawing import BLUE, FONT_FILES, FONTS, GREY_TEXT, PAGE, TEXT, Word, lines_of, plain

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

LETTER_PDF = Path(__file__).resolve().parents[1] / "letters" / "appointment-letter.pdf"
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
