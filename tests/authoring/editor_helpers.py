"""Shared by the editor tests: a deck folder of blank pages, and the mouse and key events a
designer's hand makes."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from kiosk.authoring.editor import Drag, Editor, Key, Press, Release, Text


def letter_folder(folder: Path, toml: str, pages: tuple[str, ...] = ("page-1", "page-2"),
                  size: tuple[int, int] = (800, 1100)) -> Path:
    """``folder`` with ``deck.toml`` and a white picture at pages/<name>.png for each page."""
    (folder / "pages").mkdir(parents=True)
    for name in pages:
        Image.new("RGB", size, "white").save(folder / "pages" / f"{name}.png")
    (folder / "deck.toml").write_text(toml, encoding="utf-8")
    return folder


def draw(editor: Editor, start: tuple[float, float], end: tuple[float, float]) -> None:
    editor.handle(Press(*start))
    editor.handle(Drag((start[0] + end[0]) / 2, (start[1] + end[1]) / 2))
    editor.handle(Release(*end))


def select(editor: Editor, x: float, y: float) -> None:
    editor.handle(Press(x, y))
    editor.handle(Release(x, y))


def type_words(editor: Editor, words: str) -> None:
    """Typed a key at a time, then Enter."""
    for char in words:
        editor.handle(Text(char))
    editor.handle(Key("return"))
