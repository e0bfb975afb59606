"""The journal storage: TinyDB's API on top, crash safety underneath, on both backends."""

from __future__ import annotations

import errno
import os

import pytest
from tinydb import Query, TinyDB

from kiosk.errors import StorageProblem
from kiosk.sessions.storage import JournalStorage, decode_line, encode_line


def test_tinydb_api_round_trip(backend):
    db = backend.db()
    people = db.table("t")
    first = people.insert({"a": 1, "nested": {"b": [1, 2]}})
    people.insert_multiple([{"a": 2}, {"a": 3}])
    people.update({"a": 20}, Query().a == 2)
    people.remove(doc_ids=[first])
    db.insert({"default": True})
    db.close()
    backend.close()

    again = backend.db()
    assert sorted(d["a"] for d in again.table("t").all()) == [3, 20]
    assert again.all() == [{"default": True}]
    assert again.table("t").search(Query().a == 3)[0].doc_id == 3
    assert again.tables() == {"t", "_default"}
    again.table("t").truncate()
    again.drop_table("_default")
    again.close()
    backend.close()
    assert backend.db().table("t").all() == []


def test_ids_continue_after_reopen(backend):
    db = backend.db()
    db.insert_multiple([{"n": i} for i in range(5)])
    db.close()
    backend.close()
    db = backend.db()
    assert db.insert({"n": 5}) == 6
    with pytest.raises(ValueError):
        db.storage.put_many("_default", {"6": {"n": 99}})


def test_read_gives_a_private_copy(backend):
    db = backend.db()
    db.insert({"list": [1]})
    snapshot = db.storage.read()
    snapshot["_default"]["1"]["list"].append(2)
    assert db.all() == [{"list": [1]}]


def test_each_write_appends_one_checked_line(backend):
    db = backend.db()
    db.insert({"a": 1})
    size = len(backend.raw())
    db.insert({"a": 2})
    grown = backend.raw()[size:]
    assert grown.count(b"\n") == 1
    assert decode_line(grown.rstrip(b"\n")) == [["put", "_default", "2", {"a": 2}]]


@pytest.mark.parametrize("cut", [1, 5, 17, 40])
def test_torn_tail_is_set_aside_and_the_rest_kept(backend, cut):
    db = backend.db()
    for i in range(10):
        db.insert({"n": i})
    db.close()
    backend.close()
    raw = backend.raw()
    backend.set_raw(raw[:-cut])
    db = backend.db()
    assert [d["n"] for d in db.all()] == list(range(9))
    assert "set aside" in db.storage.problems[0]
    db.insert({"n": 99})  # writing carries on cleanly after the repair
    db.close()
    backend.close()
    db = backend.db()
    assert [d["n"] for d in db.all()] == [*range(9), 99]
    assert db.storage.problems == []


def test_garbage_tail_and_flipped_byte(backend):
    db = backend.db()
    for i in range(5):
        db.insert({"n": i})
    db.close()
    backend.close()
    raw = bytearray(backend.raw())
    second = raw.index(b"\n") + 1 + 20
    raw[second] ^= 0x01  # damage inside the second record
    backend.set_raw(bytes(raw) + b"\x00\x00\xffgarbage that is not a record")
    db = backend.db()
    assert [d["n"] for d in db.all()] == [0, 2, 3, 4]
    assert "2 records" in db.storage.problems[0]


def test_empty_and_missing_journal_is_an_empty_database(backend):
    db = backend.db()
    assert db.all() == []
    assert db.tables() == set()


def test_line_codec_rejects_lies():
    line = encode_line([["put", "t", "1", {"text": "Ünïcödé ਪੰਜਾਬੀ"}]])
    assert decode_line(line[:-1]) == [["put", "t", "1", {"text": "Ünïcödé ਪੰਜਾਬੀ"}]]
    assert decode_line(line[:-5]) is None
    assert decode_line(line.replace(b"K1", b"K2")[:-1]) is None
    assert decode_line(b"") is None


def test_compaction_keeps_the_state_and_shrinks_the_file(tmp_path):
    path = tmp_path / "c.journal"
    db = TinyDB(path, storage=JournalStorage)
    db.insert({"n": 0})
    for i in range(300):
        db.update({"n": i}, doc_ids=[1])
    db.close()
    before = path.stat().st_size
    db = TinyDB(path, storage=JournalStorage, compact=True)
    assert db.all() == [{"n": 299}]
    assert path.stat().st_size < before / 50
    assert not list(tmp_path.glob("*.compacting-*"))


def test_a_left_over_compaction_file_is_ignored(tmp_path):
    path = tmp_path / "c.journal"
    db = TinyDB(path, storage=JournalStorage)
    db.insert({"n": 1})
    db.close()
    (tmp_path / "c.journal.compacting-123").write_bytes(b"half a compaction")
    db = TinyDB(path, storage=JournalStorage)
    assert db.all() == [{"n": 1}]
    assert not (tmp_path / "c.journal.compacting-123").exists()


def test_second_writer_is_refused_plainly(tmp_path):
    path = tmp_path / "l.journal"
    first = JournalStorage(path)
    with pytest.raises(StorageProblem, match="in use"):
        JournalStorage(path)
    reader = JournalStorage(path, read_only=True)  # reading while the kiosk runs is fine
    with pytest.raises(StorageProblem):
        reader.put_many("t", {"1": {}})
    first.close()
    JournalStorage(path).close()


def _failing_pwrite(real, fail_errno, partial):
    def pwrite(fd, data, offset):
        if partial:  # write a piece first, as a real full disk can
            real(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(fail_errno, os.strerror(fail_errno))
    return pwrite


@pytest.mark.parametrize("fail_errno", [errno.ENOSPC, errno.EROFS, errno.EIO])
@pytest.mark.parametrize("partial", [False, True])
def test_injected_disk_errors_never_corrupt(tmp_path, monkeypatch, fail_errno, partial):
    path = tmp_path / "f.journal"
    db = TinyDB(path, storage=JournalStorage)
    db.insert({"n": 1})
    real = os.pwrite
    monkeypatch.setattr(os, "pwrite", _failing_pwrite(real, fail_errno, partial))
    with pytest.raises(StorageProblem) as caught:
        db.insert({"n": 2})
    assert "Answers saved before this are safe" in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert db.all() == [{"n": 1}]  # the failed write is not in memory either
    monkeypatch.setattr(os, "pwrite", real)
    db.insert({"n": 3})  # the disk has room again: carry on, nothing glued to junk
    db.close()
    db = TinyDB(path, storage=JournalStorage)
    assert [d["n"] for d in db.all()] == [1, 3]
    assert db.storage.problems == []
