"""The spool file (storage/spool.py): durable appends shared by processes, lookups, replay exactly once."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from storage import Store
from storage.consultations import Consultation, log_row
from storage.spool import DATA_START, Spool, SpoolError


def row(key: str, user: str = "u1", reply: str = "答复", state: dict | None = None, nonce=None) -> dict:
    c = Consultation(user_id=user, kind="text", outcome="answered", text="问题", msg_key=key)
    return log_row(c, reply, None, state, nonce)


def test_append_lookup_and_first_wins(tmp_path):
    spool = Spool(tmp_path / "s.spool")
    assert spool.is_empty() and spool.count() == 0 and not (tmp_path / "s.spool").exists()
    assert spool.append(row("msg:1", reply="第一")) is None
    assert spool.append(row("msg:1", reply="第二"))["reply"] == "第一"  # another delivery spooled first
    spool.append(row("msg:2", state={"choices": ["a"]}, nonce=(123, "n1")))
    pending = Spool(tmp_path / "s.spool").snapshot()  # another process sees the same
    assert [r["msg_key"] for r in pending.rows] == ["msg:1", "msg:2"]
    assert pending.by_nonce[(123, "n1")] == "msg:2"
    assert pending.chat_state["u1"][1] == '{"choices": ["a"]}'


def test_reserve_writes_the_space_up_front(tmp_path):
    spool = Spool(tmp_path / "s.spool", reserve_bytes=3 << 20)
    spool.reserve()
    assert (tmp_path / "s.spool").stat().st_size == 3 << 20
    assert (tmp_path / "s.spool").stat().st_blocks * 512 >= 3 << 20  # allocated, not sparse
    assert spool.is_empty()


def test_replay_is_exactly_once_even_when_interrupted_after_the_commit(tmp_path):
    store = Store(tmp_path / "bot.db")
    for i in range(5):
        store.spool.append(row(f"msg:{i}", user=f"u{i % 2}"))

    def commit_then_crash(rows):
        store.writer._write_batch(rows)
        raise RuntimeError("killed between the commit and the header update")

    with pytest.raises(RuntimeError):
        store.spool.replay(commit_then_crash)
    assert store.spool.count() == 5 and store.log.count() == 5
    assert store.writer.replay() == 5  # replayed again: the database ignores rows it has
    assert store.spool.count() == 0 and store.log.count() == 5
    users = dict(store.db.get().execute("SELECT user_id, messages FROM users").fetchall())
    assert users == {"u0": 3, "u1": 2}
    store.close()


def test_replay_in_batches_keeps_order_and_reuses_the_space(tmp_path):
    spool = Spool(tmp_path / "s.spool")
    for i in range(7):
        spool.append(row(f"msg:{i}"))
    seen: list[list[str]] = []
    assert spool.replay(lambda rows: seen.append([r["msg_key"] for r in rows]), batch=3) == 7
    assert seen == [["msg:0", "msg:1", "msg:2"], ["msg:3", "msg:4", "msg:5"], ["msg:6"]]
    assert spool.is_empty()
    spool.append(row("msg:new"))
    assert [r["msg_key"] for r in spool.snapshot().rows] == ["msg:new"]
    assert spool.snapshot().ends[0] < DATA_START + 4096  # back at the front of the file


def test_a_failed_replay_leaves_every_row_pending(tmp_path):
    spool = Spool(tmp_path / "s.spool")
    spool.append(row("msg:1"))

    def locked(rows):
        raise OSError("database is locked")

    with pytest.raises(OSError):
        spool.replay(locked)
    assert spool.count() == 1


def _append_many(path: str, worker: int, n: int) -> None:
    spool = Spool(path)
    for i in range(n):
        spool.append(row(f"msg:{worker}:{i}", user=f"u{worker}"))


def test_appends_from_several_processes_all_survive(tmp_path):
    path = str(tmp_path / "s.spool")
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(path, w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert all(p.exitcode == 0 for p in procs)
    pending = Spool(path).snapshot()
    assert len(pending.rows) == 160 and len(pending.by_key) == 160
    for w in range(4):  # each process's rows in its own order
        mine = [r["msg_key"] for r in pending.rows if r["user_id"] == f"u{w}"]
        assert mine == [f"msg:{w}:{i}" for i in range(40)]


def test_a_damaged_record_is_reported_not_skipped(tmp_path):
    path = tmp_path / "s.spool"
    spool = Spool(path)
    spool.append(row("msg:1"))
    with open(path, "r+b") as handle:
        handle.seek(DATA_START + 12)
        handle.write(b"#")
    with pytest.raises(SpoolError):
        Spool(path).snapshot()


def test_health_reports_spooled_rows(tmp_path):
    store = Store(tmp_path / "bot.db")
    assert store.writer.health()["ok"]
    store.spool.append(row("msg:1"))
    state = store.writer.health()
    assert not state["ok"] and state["spooled"] == 1 and state["database"] == "ok"
    deadline = time.monotonic() + 10  # the maintenance thread started by health() replays it
    while store.spool.count() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert store.writer.health()["ok"] and store.log.count() == 1
    store.close()
