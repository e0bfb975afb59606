"""One way to write a file durably: every rename lives in kiosk/durable.py.

A write-then-rename rolled by hand is how half-written files and forgotten fsyncs creep in
(issue 13), so the package may not call ``os.replace`` or ``os.rename`` anywhere else.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "kiosk"
ALLOWED = {PACKAGE / "durable.py"}


def renames_in(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("replace", "rename")
            and isinstance(node.value, ast.Name) and node.value.id == "os"]


def test_only_durable_py_renames_files():
    found = {f"{path.relative_to(PACKAGE.parent)}:{line}"
             for path in sorted(PACKAGE.rglob("*.py")) if path not in ALLOWED
             for line in renames_in(path)}
    assert not found, ("use kiosk.durable (atomic_open, write_atomically, replace_durably) "
                       f"instead of os.replace/os.rename at: {', '.join(sorted(found))}")


def test_the_check_finds_a_rename(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import os\nos.replace('a', 'b')\n", encoding="utf-8")
    assert renames_in(sample) == [2]
