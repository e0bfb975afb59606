"""Builders for the deck tests: real decks on disk, real pictures, real TOML, hostile files."""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

GOOD_TOML = """\
id = "clinic-letter"
title = "Clinic letter"
version = 1
language = "en-GB"
ask = "Did you understand this page?"
made_by = "Tests"

[[screen]]
id = "p1"
image = "screens/page 1.png"
say = "You have an appointment at Elm Street Clinic on Tuesday."
variant = "original"

[[screen.hotspot]]
rect = [600, 500, 150, 80]
goto = "p2"
label = "Next page"

[[screen]]
id = "p2"
image = "screens/page2.jpg"
say = "Please bring this letter with you."
ask = "Do you know what to bring?"
variant = "easy-read"
"""


def make_image(path: Path, size: tuple[int, int] = (800, 600), fmt: str | None = None) -> Path:
    """A small real picture (a coloured shape on white) so decoding has work to do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, size[0] // 2, size[1] // 2), fill=(0, 94, 184))
    draw.rectangle((size[0] // 2, size[1] // 2, size[0] - 10, size[1] - 10), fill=(218, 41, 28))
    image.save(path, format=fmt or ("JPEG" if path.suffix.lower() in (".jpg", ".jpeg") else "PNG"))
    return path


def make_deck(
    folder: Path, toml: str = GOOD_TOML, images: dict[str, tuple[int, int]] | None = None,
    encoding: str = "utf-8",
) -> Path:  # fmt: skip
    """A deck folder: deck.toml plus the pictures it names (default: the good deck's)."""
    folder.mkdir(parents=True, exist_ok=True)
    if images is None:
        images = {"screens/page 1.png": (800, 600), "screens/page2.jpg": (800, 600)}
    for name, size in images.items():
        make_image(folder / name, size)
    (folder / "deck.toml").write_bytes(toml.encode(encoding))
    return folder


def simple_toml(
    deck_id: str = "simple", version: int = 1, title: str = "Simple",
    language: str = "en-GB", screens: int = 2, say: str = "Page {n}.",
) -> str:  # fmt: skip
    lines = [
        f'id = "{deck_id}"',
        f'title = "{title}"',
        f"version = {version}",
        f'language = "{language}"',
    ]
    for n in range(1, screens + 1):
        lines += ["", "[[screen]]", f'id = "s{n}"', f'image = "s{n}.png"']
        lines.append(f'say = "{say.format(n=n)}"')
    return "\n".join(lines) + "\n"


def make_simple_deck(folder: Path, **fields) -> Path:
    screens = fields.get("screens", 2)
    return make_deck(
        folder, simple_toml(**fields), {f"s{n}.png": (320, 240) for n in range(1, screens + 1)}
    )


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims a huge size in its header but holds almost nothing: an image bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 64)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder with a hash of its bytes: "exactly as it was" made testable."""
    found = {}
    if not folder.exists():
        return found
    for top, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(top) / name
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    return found


def scratch_left(home) -> list[str]:
    if not home.work.exists():
        return []
    return sorted(n for n in os.listdir(home.work) if n.startswith(("deck-install", "deck-remove")))
