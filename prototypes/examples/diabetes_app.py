"""Deck 2: a diabetes app mock-up, each screen a phone frame as Figma exports it (780 x 1688).
Buttons record where they were drawn; that rectangle becomes the hotspot."""

from __future__ import annotations

from kiosk.decks.model import Deck, Hotspot, Screen, Task

from .decks import Drawn, Example, example_notes, picture_path
from .drawing import (
    APP_FRAME,
    BLUE,
    DARK_BLUE,
    GREEN,
    GREY_TEXT,
    LINE_GREY,
    ORANGE,
    PALE_BLUE,
    PALE_GREEN,
    PALE_GREY,
    PALE_ORANGE,
    RED,
    TEXT,
    WHITE,
    Canvas,
    Style,
    draw_paragraph,
    font,
    paragraph_height,
)

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
