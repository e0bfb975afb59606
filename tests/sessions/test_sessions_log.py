"""The ResponseLog: what the kiosk's run loop calls, and what survives a power cut."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sessions_helpers import answer, fill_up, remount_read_only

from kiosk.errors import StorageProblem
from kiosk.sessions.log import LOG_FILE, ResponseLog
from kiosk.sessions.storage import JournalDB, MemoryJournalStorage

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture(params=["file", "memory"])
def make_log(request, tmp_path, clock):
    """Opens a log (again) in the same place, on the file journal or in memory."""
    memory = {"raw": b""}
    opened: list[ResponseLog] = []

    def make() -> ResponseLog:
        if opened:
            opened[-1].close()
            if request.param == "memory":
                memory["raw"] = bytes(opened[-1].db.storage.raw)
        if request.param == "file":
            log = ResponseLog(tmp_path / "log", "kiosk-07", clock)
        else:
            db = JournalDB(storage=lambda: MemoryJournalStorage(memory["raw"]))
            log = ResponseLog(Path("."), "kiosk-07", clock, db=db)
        opened.append(log)
        return log

    yield make
    if opened:
        opened[-1].close()


def test_a_session_from_start_to_end(make_log):
    log = make_log()
    sid = log.start_session("gp-letter", 3, "Caldmore Community Centre")
    first = answer(log, sid, 1, "page-1", "understood")
    log.record(sid, "replay", participant=1, screen_id="page-2", replay_number=1)
    log.record(sid, "tap", participant=1, screen_id="page-2", x=10, y=20,
               hotspot="Book appointment", goto="page-3")
    log.record(sid, "miss", participant=1, screen_id="page-2", x=500.5, y=None)
    answer(log, sid, 1, "page-2", "not_understood", replays=1)
    log.end_session(sid)
    log.end_session(sid)  # twice is harmless

    log = make_log()
    [session] = log.sessions()
    assert session["session_id"] == sid and session["end_reason"] == "ended"
    assert session["deck_id"] == "gp-letter" and session["deck_version"] == 3
    assert ISO_UTC.fullmatch(session["started_at"]) and ISO_UTC.fullmatch(session["ended_at"])
    events = log.events(sid)
    assert [e["kind"] for e in events] == ["answer", "replay", "tap", "miss", "answer"]
    assert events[0]["event_id"] == first
    assert ISO_UTC.fullmatch(events[0]["answered_at"])
    assert events[0]["at"] == events[0]["answered_at"]
    assert len({e["event_id"] for e in events}) == 5
    assert log.recover() == []


def test_recover_closes_a_crashed_session_and_keeps_its_answers(make_log):
    log = make_log()
    sid = log.start_session("app", 1, "Palfrey library")
    for n in range(3):
        answer(log, sid, n + 1, "home", "understood")
    log = make_log()  # the power went off: no end_session
    messages = log.recover()
    assert len(messages) == 1
    assert "not closed" in messages[0] and "3 answers are kept" in messages[0]
    [session] = log.sessions()
    assert session["end_reason"] == "crashed"
    assert session["ended_at"] == log.events(sid)[-1]["at"]
    assert len(log.events(sid)) == 3
    assert make_log().recover() == []  # said once, not at every start


@pytest.mark.parametrize("kind, fields, words", [
    ("answer", {"participant": 1, "screen_id": "a", "response": "maybe"}, "response"),
    ("answer", {"participant": "Mrs Patel", "screen_id": "a", "response": "understood"},
     "wrong type"),
    ("answer", {"screen_id": "a", "response": "understood"}, "participant"),
    ("answer", {"participant": 1, "screen_id": "a", "response": "understood",
                "comment": "my name is Joan"}, "free text"),
    ("shout", {}, "unknown record kind"),
    ("miss", {"event_id": "x"}, "set by the log"),
])
def test_records_that_could_hold_personal_data_or_nonsense_are_refused(make_log, kind,
                                                                        fields, words):
    log = make_log()
    sid = log.start_session("app", 1, "Venue")
    with pytest.raises(ValueError, match=words):
        log.record(sid, kind, **fields)
    assert log.events(sid) == []


def test_unknown_identifier_fields_are_kept(make_log):
    log = make_log()
    sid = log.start_session("app", 1, "Venue")
    answer(log, sid, 1, "a", "skipped")
    log.record(sid, "miss", participant=1, screen_id="a", x=1, y=2, attempt=2, mode="touch")
    assert log.events(sid)[-1]["mode"] == "touch"


def test_records_for_unknown_or_ended_sessions_are_refused(make_log):
    log = make_log()
    with pytest.raises(ValueError, match="no session"):
        answer(log, "nope", 1, "a", "understood")
    sid = log.start_session("app", 1, "Venue")
    log.end_session(sid)
    log = make_log()
    with pytest.raises(ValueError, match="already ended"):
        answer(log, sid, 1, "a", "understood")


def test_truncated_at_every_byte_of_the_last_answer(tmp_path, clock):
    folder = tmp_path / "log"
    log = ResponseLog(folder, "k", clock)
    sid = log.start_session("app", 1, "Venue")
    kept = [answer(log, sid, 1, f"s{i}", "understood") for i in range(4)]
    size_before_last = (folder / LOG_FILE).stat().st_size
    answer(log, sid, 1, "s4", "understood")
    log.close()
    full = (folder / LOG_FILE).read_bytes()
    for cut in range(size_before_last, len(full), 7):
        (folder / LOG_FILE).write_bytes(full[:cut])
        for side in folder.glob("*.damaged-*"):
            side.unlink()
        log = ResponseLog(folder, "k", clock)
        messages = log.recover()
        assert [e["event_id"] for e in log.events(sid)] == kept
        if cut > size_before_last:
            assert "set aside" in messages[0] and len(list(folder.glob("*.damaged-*"))) == 1
        log.close()


def test_full_disk_on_a_real_small_file_system(tmpfs, clock):
    log = ResponseLog(tmpfs / "log", "k", clock)
    sid = log.start_session("app", 1, "Venue")
    kept = [answer(log, sid, 1, f"s{i}", "understood") for i in range(20)]
    fill_up(tmpfs)
    with pytest.raises(StorageProblem, match="storage is full") as caught:
        for i in range(1000):
            kept.append(answer(log, sid, 1, f"more{i}", "understood"))
    assert "Answers saved before this are safe" in str(caught.value)
    (tmpfs / "ballast").unlink()
    kept.append(answer(log, sid, 2, "after", "understood"))  # room again: carries on
    log.close()
    log = ResponseLog(tmpfs / "log", "k", clock)
    assert [e["event_id"] for e in log.events(sid)] == kept
    assert log.problems == []
    log.close()


def test_read_only_disk(tmpfs, clock):
    """A card the kernel has made read-only: opening says so plainly; reading still works.

    We run as root, so chmod would not stop a write: the file system itself is remounted
    read-only (a write that fails mid-session is covered by the injected EROFS storage test).
    """
    log = ResponseLog(tmpfs / "log", "k", clock)
    sid = log.start_session("app", 1, "Venue")
    kept = [answer(log, sid, 1, f"s{i}", "understood") for i in range(5)]
    log.close()
    remount_read_only(tmpfs)
    with pytest.raises(StorageProblem, match="read-only") as caught:
        ResponseLog(tmpfs / "log", "k", clock)
    assert "Traceback" not in str(caught.value)
    reader = ResponseLog(tmpfs / "log", "k", clock, read_only=True)
    assert [e["event_id"] for e in reader.events(sid)] == kept
    with pytest.raises(StorageProblem):
        answer(reader, sid, 1, "late", "understood")
    reader.close()


def test_in_memory_log_has_the_same_api(clock):
    log = ResponseLog.in_memory("k", clock)
    sid = log.start_session("app", 1, "Venue")
    answer(log, sid, 1, "a", "understood")
    assert len(log.events(sid)) == 1 and log.recover() == []
