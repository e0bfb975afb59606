"""A real SIGKILL in the middle of an install: the library is exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from deck_helpers import make_simple_deck, scratch_left, snapshot

from kiosk.decks.library import DeckLibrary

# The child installs, and stops at a chosen point (after some files are copied, or between
# the two renames of a replace) to tell the parent it is there; the parent then kills it.
CHILD = textwrap.dedent(
    """
    import os, shutil, sys, time
    from pathlib import Path
    from kiosk.home import Home
    from kiosk.decks.library import DeckLibrary

    home, source, where = Home(Path(sys.argv[1])), Path(sys.argv[2]), sys.argv[3]

    def pause():
        print("READY", flush=True)
        time.sleep(60)

    if where == "copy":
        real = shutil.copyfile
        copied = []
        def copyfile(src, dst, *a, **k):
            result = real(src, dst, *a, **k)
            copied.append(src)
            if len(copied) == 3:
                pause()
            return result
        shutil.copyfile = copyfile
    elif where == "rename":
        real_replace = os.replace
        def replace(src, dst):
            real_replace(src, dst)
            if str(dst).endswith("/old"):
                pause()
        os.replace = replace
    DeckLibrary(home).install(source)
    print("FINISHED", flush=True)
    """
)


@pytest.mark.parametrize("where", ["copy", "rename"])
def test_sigkill_mid_install_changes_nothing(tmp_path, home, cache, where):
    make_simple_deck(tmp_path / "v1", deck_id="letter", version=1, screens=3)
    make_simple_deck(tmp_path / "v2", deck_id="letter", version=2, screens=6, say="New {n}.")
    DeckLibrary(home, cache).install(tmp_path / "v1")
    before = snapshot(home.decks)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home.root), str(tmp_path / "v2"), where],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "READY"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert scratch_left(home)  # the killed install left its scratch behind

    library = DeckLibrary(home, cache)
    (deck,) = library.installed()  # the next run tidies up, and puts back what was aside
    assert (deck.id, deck.version) == ("letter", 1)
    assert snapshot(home.decks) == before
    assert scratch_left(home) == []

    (result,) = library.install(tmp_path / "v2")  # and a later install works normally
    assert result.status == "replaced" and library.get("letter").version == 2
