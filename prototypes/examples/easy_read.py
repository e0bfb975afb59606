"""The easy-read letter: the same facts, one idea per sentence, a picture beside each point,
in English and in Punjabi (Gurmukhi script, drawn with Pillow's complex text layout)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .drawing import (
    BLUE,
    GREY_TEXT,
    LINE_GREY,
    PAGE,
    PALE_BLUE,
    PALE_GREY,
    WHITE,
    Canvas,
    Style,
    draw_paragraph,
    font,
    paragraph_height,
    plain,
)
from .original_letter import PHONE, SPOKEN
from .pictograms import PICTOGRAMS


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
