"""Copy the session log off the kiosk as a *bundle*: a folder a designer can import.

A bundle is a folder ``kiosk-log-<kiosk id>-<UTC time>`` holding:

- ``responses.csv``: one row per answer, the contract columns of PRODUCT.md first and in that
  order (``session_id, kiosk_id, venue, deck_id, deck_version, screen_id, variant,
  participant, response, answered_at, seconds_to_answer, replays``), then ``event_id``,
  ``seconds_on_screen``, ``language``, ``session_end``. Encoded as UTF-8 *with* a byte-order
  mark: Excel on Windows reads a CSV without one in the local code page and garbles accents
  and non-Latin scripts (Punjabi, Urdu venue names); with it, Excel, LibreOffice and Python's
  ``utf-8-sig`` all read it right. Text that a spreadsheet would run as a formula gets a
  ``'`` in front (see :func:`neutralise`): not only at the start of a cell, but after every
  ``,`` ``;`` tab or line break inside it, because where ``;`` is the list separator (most of
  Europe) ``Hall;=1+1`` opens as two cells, the second a formula.
- ``events.json``: every session and every event, exactly as logged (the import reads this).
- ``manifest.json``: the kiosk id, the sessions and decks in the bundle, and each file's size
  and SHA-256, so the import can tell a complete bundle from a damaged one.

Written under ``.partial-<name>``, every file fsync'd, then renamed: a stick pulled out
mid-copy leaves only a ``.partial-`` folder, which the import refuses. Exporting twice is
safe (a new bundle with everything still on the kiosk; the import counts each answer once).

When a designer's public key is installed (``kiosk keys install``, or found in the stick's
``kiosk-export/`` folder) the bundle is encrypted instead: ``bundle.age`` plus an outer
``manifest.json`` with only its hash (see ``crypto.py``). Nothing readable is written then.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kiosk.durable import fsync_folder, replace_durably, write_new_file
from kiosk.errors import StorageProblem
from kiosk.sessions.log import ResponseLog, iso

CONTRACT_COLUMNS = (
    "session_id", "kiosk_id", "venue", "deck_id", "deck_version", "screen_id", "variant",
    "participant", "response", "answered_at", "seconds_to_answer", "replays",
)
EXTRA_COLUMNS = ("event_id", "seconds_on_screen", "language", "session_end")
CSV_COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS
BUNDLE_FORMAT = "kiosk-bundle/1"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell while reading a line: the start, any of the list
# separators in use somewhere (comma, semicolon, tab) and a line break. A quote the opening
# program did not take as a quote, or spaces it trims, may stand before the formula.
_FORMULA_AT = re.compile(r"(^|[,;\t\r\n])(?=[ \"]*[=+\-@\t\r])")
# The same places in a batch of CSV text (cells joined by "," and rows by CRLF, a cell with a
# quote, separator or line break in quotes, its quotes doubled): every place the pattern
# above finds in a cell, this finds in the text (with "\n" put before the text, for the first
# cell). It also finds a few that are harmless (an empty last cell, a negative number).
_FORMULA_IN_CSV = re.compile(r"[,;\t\r\n][ \"]*[=+\-@\t\r]")
_FORMULA_CHARS = frozenset("=+-@\t\r")
_PLAIN_START = _FORMULA_CHARS | {" ", '"'}  # a cell starting otherwise needs no look


def neutralise(value: Any) -> Any:
    """Stop a spreadsheet treating text as a formula (CSV injection); numbers pass unchanged.

    A ``'`` goes in front of every piece that could become a cell of its own and would start
    with ``= + - @``, tab or carriage return: ``Hall;=1+1`` becomes ``Hall;'=1+1``, so it is
    text whether the file is opened with ``,``, ``;`` or tab as the separator. Quoting the
    whole cell is not enough: a program splitting on ``;`` starts the next cell in mid-quote.
    """
    if not isinstance(value, str):
        return value
    # Quick look first (most cells are ids, dates and names): without a separator only the
    # cell's start can begin a formula, so the pattern is run only when it could match.
    if "," in value or ";" in value or "\t" in value or "\r" in value or "\n" in value:
        return _FORMULA_AT.sub(r"\1'", value)
    if value[:1] in _PLAIN_START and value.lstrip(' "')[:1] in _FORMULA_CHARS:
        return _FORMULA_AT.sub(r"\1'", value)
    return value


def answer_rows(sessions: list[dict], events: list[dict]) -> list[dict[str, Any]]:
    """One row per answer, joined to its session: the CSV of the contract."""
    by_id = {s["session_id"]: s for s in sessions}
    rows = []
    for event in events:
        if event.get("kind") != "answer":
            continue
        session = by_id.get(event["session_id"], {})
        rows.append({
            "session_id": event["session_id"],
            "kiosk_id": session.get("kiosk_id", ""),
            "venue": session.get("venue", ""),
            "deck_id": session.get("deck_id", ""),
            "deck_version": session.get("deck_version", ""),
            "screen_id": event.get("screen_id", ""),
            "variant": event.get("variant") or "",
            "participant": event.get("participant", ""),
            "response": event.get("response", ""),
            "answered_at": event.get("answered_at") or event.get("at", ""),
            "seconds_to_answer": _blank(event.get("seconds_to_answer")),
            "replays": _blank(event.get("replays")),
            "event_id": event["event_id"],
            "seconds_on_screen": _blank(event.get("seconds_on_screen")),
            "language": event.get("language") or "",
            "session_end": session.get("end_reason") or "",
        })
    return rows


def _blank(value: Any) -> Any:
    return "" if value is None else value


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] = CSV_COLUMNS) -> bytes:
    """UTF-8 with BOM, CRLF rows, formula-looking text neutralised (see the module note)."""
    text = io.StringIO()
    csv_rows(text, [columns])
    csv_rows(text, ([row.get(column, "") for column in columns] for row in rows))
    return text.getvalue().encode("utf-8-sig")


def may_hold_formula(text: str) -> bool:
    """Whether CSV text (cells joined by "," and rows by CRLF) has a place where a cell could
    start a formula, by one search in C: every place :func:`neutralise` would guard, and a few
    harmless ones (an empty last cell, a negative number)."""
    return _FORMULA_IN_CSV.search("\n" + text) is not None


def csv_rows(out: Any, rows: Iterable[Sequence[Any]], batch: int = 5_000) -> None:
    """Rows (sequences of cells) onto ``out`` as CSV, CRLF, each text cell neutralised: the
    one writer behind :func:`csv_bytes` and the report's big ``responses.csv``.

    A batch of rows is first written plainly; only if that text has a place where a cell
    could start with a formula character (what :func:`neutralise` looks for, searched in
    the whole text at once, in C) is it written again with every cell guarded. Every piece
    of a cell that could start a formula starts one in the text too, so nothing slips by;
    a year of answers with no such text is never looked at cell by cell.
    """
    guard = neutralise
    chunk = io.StringIO()
    plain = csv.writer(chunk)
    guarded = csv.writer(out)
    rows = iter(rows)
    while part := list(itertools.islice(rows, batch)):
        chunk.seek(0)
        chunk.truncate()
        plain.writerows(part)
        text = chunk.getvalue()
        if not may_hold_formula(text):
            out.write(text)
        else:
            guarded.writerows([guard(cell) for cell in row] for row in part)


def _write_synced(path: Path, data: bytes) -> str:
    write_new_file(path, data)
    return hashlib.sha256(data).hexdigest()


def build_bundle_files(kiosk_id: str, sessions: list[dict], events: list[dict],
                       created_at: str) -> dict[str, bytes]:
    """The three files of a bundle, as bytes (the manifest last: it holds the others' hashes)."""
    files = {
        "responses.csv": csv_bytes(answer_rows(sessions, events)),
        "events.json": json.dumps(
            {"format": BUNDLE_FORMAT, "kiosk_id": kiosk_id, "sessions": sessions,
             "events": events},
            ensure_ascii=False, indent=1,
        ).encode("utf-8"),
    }
    decks = sorted({(s["deck_id"], s["deck_version"]) for s in sessions})
    manifest = {
        "format": BUNDLE_FORMAT,
        "kiosk_id": kiosk_id,
        "created_at": created_at,
        "sessions": [s["session_id"] for s in sessions],
        "decks": [{"deck_id": d, "deck_version": v} for d, v in decks],
        "answers": sum(1 for e in events if e.get("kind") == "answer"),
        "events": len(events),
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in files.items()},
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    return files


def encrypted_bundle_files(files: dict[str, bytes], recipients: list,
                           created_at: str) -> dict[str, bytes]:
    """The plain files sealed into ``bundle.age``, with an outer manifest that reveals nothing."""
    from kiosk.sessions.crypto import ENCRYPTED_FORMAT, SEALED_FILE, seal

    sealed = seal(files, recipients)
    manifest = {
        "format": ENCRYPTED_FORMAT,
        "created_at": created_at,
        "recipients": [str(r) for r in recipients],
        "files": {SEALED_FILE: {"sha256": hashlib.sha256(sealed).hexdigest(),
                                "bytes": len(sealed)}},
    }
    return {SEALED_FILE: sealed,
            "manifest.json": json.dumps(manifest, indent=1).encode("utf-8")}


def _home_of(log: ResponseLog) -> Path | None:
    """The kiosk's data folder (the log lives in ``<home>/log``), where its key is kept."""
    folder = Path(log.folder)
    return folder.parent if folder.name == "log" else None


_INSTALLED = object()  # the default: whatever key the kiosk (or the stick) has


def export_bundle(log: ResponseLog, dest: Path, recipients: Any = _INSTALLED) -> Path:
    """Write a complete bundle of everything in the log into ``dest``; return its folder.

    ``recipients``: public keys to encrypt to; by default the kiosk's installed key (or one
    waiting in ``dest``), and plain only when there is none. A broken key file raises
    KeyProblem: the kiosk never falls back to a readable bundle once a key was set up.
    """
    dest = Path(dest)
    if recipients is _INSTALLED:
        from kiosk.sessions.crypto import kiosk_recipients

        recipients = kiosk_recipients(_home_of(log), dest if dest.is_dir() else None)
    now = log.clock()
    created_at = iso(now)
    sessions = log.sessions()
    events = log.events()
    files = build_bundle_files(log.kiosk_id, sessions, events, created_at)
    if recipients:
        files = encrypted_bundle_files(files, list(recipients), created_at)
    name = f"kiosk-log-{log.kiosk_id}-{now.strftime('%Y%m%dT%H%M%SZ')}"
    final = dest / name
    counter = 1
    while final.exists():
        counter += 1
        final = dest / f"{name}-{counter}"
    partial = dest / f".partial-{final.name}"
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if partial.exists():
            shutil.rmtree(partial)
        partial.mkdir()
        for file_name, data in files.items():  # manifest.json is last
            _write_synced(partial / file_name, data)
        fsync_folder(partial)
        replace_durably(partial, final)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise StorageProblem(
            f"The logs could not be copied to {dest} ({error.strerror or error}). "
            "Nothing on the kiosk was changed; check the USB stick has room and try again."
        ) from error
    counts: dict[str, int] = {}
    for event in events:
        counts[event["session_id"]] = counts.get(event["session_id"], 0) + 1
    log.mark_exported({s["session_id"]: counts.get(s["session_id"], 0) for s in sessions}, now)
    return final
