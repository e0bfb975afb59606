"""The project's own errors: each carries a message a facilitator can read.

Anything that reaches a person through the command line or the facilitator menu is a
``KioskError``; a Python traceback never is.
"""

from __future__ import annotations


class KioskError(Exception):
    """A problem explained in plain English, with no traceback needed."""


class DeckProblems(KioskError):
    """A deck that cannot be used, with every problem found (not just the first)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source} cannot be used:\n{lines}")


class StorageProblem(KioskError):
    """The disk refused a write (full, read-only, removed); nothing good was overwritten."""
