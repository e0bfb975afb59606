"""Draw wiring.png: the Pi's header pins used, the arcade buttons, and the lamp drivers.

Run ``python hardware/draw_wiring.py [OUT.png]``. The pin numbers come from the kiosk's own
defaults (``kiosk/buttons/settings.py``), so the picture cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.buttons.settings import ButtonSettings  # noqa: E402

FONTS = Path(__file__).resolve().parent.parent / "kiosk" / "fonts"
WIDTH, HEIGHT = 1800, 1340

INK = (30, 30, 30)
GREY = (120, 120, 120)
GND = (20, 20, 20)
POWER = (200, 30, 30)
SIGNAL = {"green": (0, 120, 60), "red": (190, 40, 40), "replay": (40, 90, 200)}
LAMP_WIRE = (230, 140, 0)
BUTTON_FILL = {"green": (40, 170, 80), "red": (215, 50, 50), "replay": (70, 120, 220)}

HEADER_X, HEADER_TOP, PITCH = 380, 190, 34

# Physical pin -> BCM GPIO number, for the pins a kiosk may use (the others are power).
PIN_OF_GPIO = {
    4: 7, 5: 29, 6: 31, 12: 32, 13: 33, 16: 36, 17: 11, 22: 15, 23: 16, 24: 18, 25: 22,
    26: 37, 27: 13, 0: 27, 1: 28, 2: 3, 3: 5, 7: 26, 8: 24, 9: 21, 10: 19, 11: 23,
    14: 8, 15: 10, 18: 12, 19: 35, 20: 38, 21: 40,
}
GROUND_PINS = (6, 9, 14, 20, 25, 30, 34, 39)
FIVE_VOLT_PINS = (2, 4)
THREE_V3_PINS = (1, 17)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def pin_xy(pin: int) -> tuple[int, int]:
    row = (pin - 1) // 2
    x = HEADER_X + 20 if pin % 2 else HEADER_X + 56
    return x, HEADER_TOP + row * PITCH


def wire(draw: ImageDraw.ImageDraw, points: list[tuple[int, int]], colour, width: int = 5):
    draw.line(points, fill=colour, width=width, joint="curve")
    for x, y in points[1:-1]:
        r = width // 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def dot(draw: ImageDraw.ImageDraw, xy: tuple[int, int], colour=INK, r: int = 8) -> None:
    x, y = xy
    draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)


def terminal(draw, xy, label, anchor="mm", offset=(0, -22), size=20):
    x, y = xy
    draw.rectangle((x - 9, y - 9, x + 9, y + 9), fill=(250, 210, 60), outline=INK, width=2)
    draw.text((x + offset[0], y + offset[1]), label, font=font(size, True), fill=INK,
              anchor=anchor)


def draw_header(draw: ImageDraw.ImageDraw, used: dict[int, str]) -> None:
    bottom = HEADER_TOP + 19 * PITCH
    draw.rounded_rectangle(
        (HEADER_X - 10, HEADER_TOP - 34, HEADER_X + 86, bottom + 24), radius=10,
        fill=(20, 90, 50), outline=INK, width=3,
    )
    draw.text((HEADER_X + 38, HEADER_TOP - 62), "Pi GPIO header", font=font(24, True),
              fill=INK, anchor="mm")
    draw.text((HEADER_X + 38, bottom + 52), "pin 1: square pad, SD card end", font=font(18),
              fill=GREY, anchor="mm")
    for pin in range(1, 41):
        x, y = pin_xy(pin)
        if pin in used:
            fill = (255, 220, 60)
        elif pin in GROUND_PINS:
            fill = (60, 60, 60)
        elif pin in FIVE_VOLT_PINS:
            fill = (230, 80, 80)
        elif pin in THREE_V3_PINS:
            fill = (240, 160, 80)
        else:
            fill = (200, 200, 200)
        draw.rectangle((x - 11, y - 11, x + 11, y + 11), fill=fill, outline=INK, width=2)
        if pin in used:
            text = f"{pin}"
            draw.text((x, y), text, font=font(13, True), fill=INK, anchor="mm")
    for pin, label in used.items():
        x, y = pin_xy(pin)
        if pin % 2:
            draw.text((x - 22, y), label, font=font(20), fill=INK, anchor="rm")
        else:
            draw.text((x + 22, y), label, font=font(20), fill=INK, anchor="lm")


def tag(draw, xy, text, colour=INK):
    """A label sitting on a wire, on a white patch so the wire never runs through the text."""
    f = font(17, True)
    left, top, right, bottom = draw.textbbox(xy, text, font=f, anchor="mm")
    draw.rounded_rectangle((left - 6, top - 4, right + 6, bottom + 4), radius=4,
                           fill=(255, 255, 255), outline=colour, width=2)
    draw.text(xy, text, font=f, fill=colour, anchor="mm")


def ground(draw, xy, label="", side="right"):
    """The ground symbol: every GND pin of the Pi is the same, so these need no wire drawn."""
    x, y = xy
    draw.line([(x, y), (x, y + 18)], fill=GND, width=4)
    for i, half in enumerate((16, 10, 4)):
        yy = y + 18 + i * 6
        draw.line([(x - half, yy), (x + half, yy)], fill=GND, width=3)
    if label:
        if side == "right":
            draw.text((x + 22, y + 26), label, font=font(16, True), fill=GND, anchor="lm")
        else:
            draw.text((x - 22, y + 26), label, font=font(16, True), fill=GND, anchor="rm")


def draw_button(draw, centre, radius, colour_name, title, subtitle, dashed=False):
    cx, cy = centre
    fill = BUTTON_FILL[colour_name]
    draw.ellipse((cx - radius - 14, cy - radius - 14, cx + radius + 14, cy + radius + 14),
                 fill=(60, 60, 60))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=fill,
                 outline=INK, width=3)
    draw.ellipse((cx - radius * 0.55, cy - radius * 0.55, cx + radius * 0.55, cy + radius * 0.55),
                 outline=(255, 255, 255), width=3)
    draw.text((cx, cy), title, font=font(26 if radius > 80 else 20, True), fill=(255, 255, 255),
              anchor="mm")
    draw.text((cx + radius + 24, cy - 12), subtitle, font=font(20), fill=INK, anchor="lm")
    if dashed:
        draw.text((cx + radius + 24, cy + 16), "(optional)", font=font(18), fill=GREY,
                  anchor="lm")


def draw_driver(draw, box, name):
    x0, y0, x1, y1 = box
    draw.rounded_rectangle(box, radius=8, fill=(235, 240, 250), outline=INK, width=3)
    draw.text(((x0 + x1) // 2, y0 + 24), f"{name} lamp driver", font=font(22, True), fill=INK,
              anchor="mm")
    draw.text(((x0 + x1) // 2, y0 + 52), "logic-level N-MOSFET module", font=font(17),
              fill=INK, anchor="mm")
    draw.text(((x0 + x1) // 2, y0 + 74), "(or NPN transistor + 1 kΩ)", font=font(17),
              fill=GREY, anchor="mm")


def render(settings: ButtonSettings | None = None) -> Image.Image:
    s = settings or ButtonSettings()
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((40, 26), "Coffee-morning kiosk: button and lamp wiring", font=font(38, True),
              fill=INK)
    draw.text((40, 78), "GPIO numbers are BCM numbers, as in kiosk.toml [buttons]; "
              "\"pin\" is the physical pin on the header.", font=font(20), fill=GREY)

    pin = {name: PIN_OF_GPIO[getattr(s, f"{name}_pin")]
           for name in ("green", "red", "green_lamp", "red_lamp")}
    has_replay = s.replay_pin is not None
    if has_replay:
        pin["replay"] = PIN_OF_GPIO[s.replay_pin]
    button_gnd, driver_gnd, five_volt = 39, 20, 2
    used = {p: "" for p in pin.values()} | {button_gnd: "", driver_gnd: "", five_volt: ""}
    draw_header(draw, used)

    # ---- lamp supply (+V bus along the top) ------------------------------------------
    sx, sy = pin_xy(five_volt)
    bus_y, bus_end = 150, 1660
    wire(draw, [(sx, sy), (600, sy), (600, bus_y), (bus_end, bus_y)], POWER)
    tag(draw, (528, sy), f"5V · pin {five_volt}", POWER)
    draw.text((640, bus_y - 24), "lamp +V: 5 V lamps from pin 2; for 12 V lamps use a 12 V "
              "supply's + instead (and join its - to a Pi GND)", font=font(18), fill=POWER,
              anchor="lm")

    # ---- lamp drivers: red nearer the header, green beyond it -----------------------
    drivers = {"red": (820, 230, 1110, 330), "green": (1190, 230, 1480, 330)}
    for name, box in drivers.items():
        draw_driver(draw, box, name.capitalize())
        x0, _, x1, y1 = box
        terminal(draw, (x0, 300), "IN", offset=(-14, -20), anchor="rm", size=16)
        terminal(draw, (x0 + 50, y1), "GND", offset=(0, 24), size=15)
        ground(draw, (x0 + 50, y1 + 40), f"GND (e.g. pin {driver_gnd})")
        terminal(draw, (x1 - 50, y1), "OUT-", offset=(0, 24), size=15)
    rx, ry = pin_xy(pin["red_lamp"])
    wire(draw, [(rx, ry), (660, ry), (660, 300), (820, 300)], LAMP_WIRE)
    tag(draw, (560, ry), f"GPIO{s.red_lamp_pin} · pin {pin['red_lamp']}", LAMP_WIRE)
    gx, gy = pin_xy(pin["green_lamp"])
    wire(draw, [(gx, gy), (630, gy), (630, 200), (1150, 200), (1150, 300), (1190, 300)],
         LAMP_WIRE)
    tag(draw, (545, gy), f"GPIO{s.green_lamp_pin} · pin {pin['green_lamp']}", LAMP_WIRE)
    dx, dy = pin_xy(driver_gnd)
    wire(draw, [(dx, dy), (520, dy)], GND)
    ground(draw, (520, dy), f"pin {driver_gnd}")

    # ---- the buttons: hear again (optional), red, green (green on the right, as the keys)
    buttons = {"red": (940, 1000, 95), "green": (1310, 1000, 95)}
    if has_replay:
        buttons["replay"] = (590, 1000, 65)
        draw_button(draw, (590, 1000), 65, "replay", "AGAIN", "hear again", dashed=True)
    draw_button(draw, buttons["red"][:2], 95, "red", "RED", "")
    draw_button(draw, buttons["green"][:2], 95, "green", "GREEN", "")
    draw.text((940, 1130), "I don't understand", font=font(20), fill=INK, anchor="mm")
    draw.text((1310, 1130), "I understand", font=font(20), fill=INK, anchor="mm")

    # lamps: - to the driver's OUT-, + chained to the +V bus
    out_y = {"red": 560, "green": 600}
    for name in ("red", "green"):
        cx, cy, r = buttons[name]
        minus, plus = (cx - 30, cy - r - 70), (cx + 30, cy - r - 70)
        terminal(draw, minus, "lamp -", offset=(-16, -24), size=15)
        terminal(draw, plus, "lamp +", offset=(16, -24), size=15)
        x1 = drivers[name][2]
        wire(draw, [(x1 - 50, 330), (x1 - 50, out_y[name]), (minus[0], out_y[name]), minus],
             LAMP_WIRE)
    red_plus = (buttons["red"][0] + 30, buttons["red"][1] - 95 - 70)
    green_plus = (buttons["green"][0] + 30, buttons["green"][1] - 95 - 70)
    chain_y = red_plus[1] + 36
    wire(draw, [red_plus, (red_plus[0], chain_y), (bus_end, chain_y), (bus_end, bus_y)], POWER)
    wire(draw, [green_plus, (green_plus[0], chain_y)], POWER)
    dot(draw, (green_plus[0], chain_y), POWER)

    # switches: NO to the button's GPIO, COM to GND
    lanes = {"green": (220, 1262), "red": (245, 1240), "replay": (270, 1218)}
    for name, (cx, _cy, _r) in buttons.items():
        no, com = (cx - 40, 1195), (cx + 40, 1195)
        terminal(draw, no, "NO", offset=(-16, -22), anchor="rm", size=15)
        terminal(draw, com, "COM", offset=(16, -22), anchor="lm", size=15)
        ground(draw, com, f"GND (e.g. pin {button_gnd})" if name == "green" else "")
        px, py = pin_xy(pin[name])
        lane_x, run_y = lanes[name]
        wire(draw, [(px, py), (lane_x, py), (lane_x, run_y), (no[0], run_y), no], SIGNAL[name])
        gpio = getattr(s, f"{name}_pin")
        tag(draw, ((px + lane_x) // 2 - 8, py), f"GPIO{gpio} · pin {pin[name]}", SIGNAL[name])
    bx, by = pin_xy(button_gnd)
    wire(draw, [(bx, by), (330, by)], GND)
    ground(draw, (330, by), f"pin {button_gnd}", side="left")

    # key
    kx, ky = 1480, 1010
    draw.text((kx, ky - 40), "Key", font=font(22, True), fill=INK)
    for i, (colour, text) in enumerate(
        [(SIGNAL["green"], "button to its GPIO"), (LAMP_WIRE, "lamp switching"),
         (POWER, "lamp supply +V")]
    ):
        y = ky + i * 32
        draw.line([(kx, y), (kx + 50, y)], fill=colour, width=6)
        draw.text((kx + 60, y), text, font=font(17), fill=INK, anchor="lm")
    ground(draw, (kx + 25, ky + 88))
    draw.text((kx + 60, ky + 112), "any Pi GND pin", font=font(17), fill=INK, anchor="lm")
    draw.text((40, HEIGHT - 30), "Buttons need no resistors: the Pi's own pull-ups hold each "
              "GPIO high until the switch joins it to GND.", font=font(18), fill=GREY,
              anchor="lm")
    return image


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent / "wiring.png"
    render().save(out, optimize=True)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
