"""Where the kiosk keeps its data: one folder, so the SD card has one place that is written.

Chosen by ``--home DIR``, else ``KIOSK_HOME``, else (running from a checkout) the checkout's
``sessions/`` folder, else ``~/.local/share/coffee-morning-kiosk``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def bundled_decks_folder() -> Path | None:
    """The example decks that come with a checkout, or None in an installed copy."""
    folder = CHECKOUT / "prototypes"
    return folder if folder.is_dir() else None


@dataclass(frozen=True)
class Home:
    """The layout of the data folder. Every part of the kiosk asks this for its paths."""

    root: Path

    @property
    def decks(self) -> Path:
        """Installed decks, one folder per deck id."""
        return self.root / "decks"

    @property
    def narration_cache(self) -> Path:
        """Narration rendered ahead, keyed by text + voice + rate."""
        return self.root / "narration-cache"

    @property
    def log(self) -> Path:
        """The session log (TinyDB, crash-safe storage)."""
        return self.root / "log"

    @property
    def config(self) -> Path:
        """The kiosk's settings: kiosk id, venues, button pins (all optional)."""
        return self.root / "kiosk.toml"

    @property
    def kiosk_log(self) -> Path:
        """The kiosk's own diagnostic log (errors with tracebacks, for the facilitator)."""
        return self.root / "kiosk-errors.log"

    @property
    def work(self) -> Path:
        """Scratch space on the same file system, so a finished job is one atomic rename."""
        return self.root / ".work"


def resolve_home(
    cli_value: str | None = None, environ: Mapping[str, str] | None = None
) -> Home:
    env: Mapping[str, str] = os.environ if environ is None else environ
    if cli_value:
        root = Path(cli_value)
    elif env.get("KIOSK_HOME"):
        root = Path(env["KIOSK_HOME"])
    elif (CHECKOUT / "sessions").is_dir() and (CHECKOUT / "setup.cfg").is_file():
        root = CHECKOUT / "sessions"
    else:
        root = Path.home() / ".local" / "share" / "coffee-morning-kiosk"
    return Home(root.expanduser().resolve())
