"""The one reader of TOML files (deck.toml, kiosk.toml): every part reads them through here.

Why one reader: designers and facilitators save these files with Notepad (a byte-order mark,
sometimes UTF-16), TextEdit or a script (CRLF line ends). A second parser that forgets one of
those reads a file the first accepts differently, and that has already stopped ``kiosk run``
and blanked a poster. Every problem comes back as a :class:`TomlProblem` in plain English.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError

MAX_TOML_BYTES = 2 * 1024 * 1024


class TomlProblem(KioskError):
    """A TOML file that cannot be read, said so a facilitator can fix it."""


def decode_toml_text(raw: bytes, name: str) -> str:
    """Text from the bytes Notepad, TextEdit or a script may have written."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise TomlProblem(f"{name} could not be read as text") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise TomlProblem(
                f"{name} is not saved as UTF-8 text (line {line} has a character it "
                "cannot read): in Notepad use File > Save As and choose Encoding 'UTF-8'"
            ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_toml(raw: bytes, name: str) -> dict[str, Any]:
    """The table in ``raw`` (the bytes of a file called ``name``, for messages)."""
    text = decode_toml_text(raw, name)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlProblem(
            f"{name} is not written correctly: {error}. Check that text is in "
            '"double quotes", that each table starts with [name] or [[name]], and that '
            "no line is cut in two"
        ) from None
    except (ValueError, RecursionError):
        raise TomlProblem(f"{name} is not written correctly and could not be read") from None


def read_toml(path: Path, name: str | None = None, missing_ok: bool = False,
              max_bytes: int = MAX_TOML_BYTES) -> dict[str, Any]:
    """Read ``path`` as TOML; ``{}`` for a missing file when ``missing_ok``.

    Only a regular file is read, and at most ``max_bytes`` of it, so a FIFO or a link to
    ``/dev/zero`` on a stick cannot hang or exhaust the reader.
    """
    label = name or str(path)
    try:
        if not path.is_file():
            if missing_ok and not path.exists():
                return {}
            raise TomlProblem(f"{label} is missing or is not a plain file")
        if path.stat().st_size > max_bytes:
            raise TomlProblem(f"{label} is too big (over {max_bytes // (1024 * 1024)} MB)")
        with path.open("rb") as file:
            raw = file.read(max_bytes + 1)
    except OSError as error:
        raise TomlProblem(f"{label} could not be read ({error.strerror or error})") from None
    if len(raw) > max_bytes:
        raise TomlProblem(f"{label} is too big (over {max_bytes // (1024 * 1024)} MB)")
    return parse_toml(raw, label)
