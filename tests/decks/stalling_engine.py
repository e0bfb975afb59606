"""A speech engine that really hangs, for the worker tests: loaded inside the speech worker
process by ``KIOSK_SPEECH_ENGINE=stalling_engine:StallingEngine`` (with this folder on
PYTHONPATH), never imported by the kiosk itself.

It speaks through the real pyttsx3 + espeak-ng, except for texts that say so:
"stalls once" sleeps for an hour the first time (any process) and speaks the next time;
"always stalls" sleeps every time; "waits for release" waits until a file named ``release``
appears in the marks folder. Every attempt is one line in ``attempts.log`` there, so a test
can count tries across the workers that were killed. The folder is $STALL_MARKS.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from kiosk.decks.narration import Pyttsx3Engine, Voice


class StallingEngine:
    def __init__(self) -> None:
        self.real = Pyttsx3Engine()
        self.marks = Path(os.environ["STALL_MARKS"])

    def voices(self) -> list[Voice]:
        return self.real.voices()

    def render(self, text: str, voice: str, rate: int, dest_wav: Path) -> None:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        with open(self.marks / "attempts.log", "a", encoding="utf-8") as log:
            log.write(f"{key} {os.getpid()} {text}\n")
        if "always stalls" in text:
            time.sleep(3600)
        if "stalls once" in text:
            first = self.marks / f"{key}.stalled"
            if not first.exists():
                first.touch()
                time.sleep(3600)
        if "waits for release" in text:
            while not (self.marks / "release").exists():
                time.sleep(0.02)
        self.real.render(text, voice, rate, dest_wav)


def attempts(marks: Path, text: str) -> int:
    """How many times the engine was asked for ``text``, in every worker."""
    log = marks / "attempts.log"
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text("utf-8").splitlines() if line.split(" ", 2)[2] == text)
