"""`python bot.py backup PATH`: an online copy of the live database (SQLite's backup API) while the server writes,
checked with PRAGMA integrity_check before it takes its name; then restored as the README says."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from faq.loader import load_entries
from settings import Settings
from storage.backup import backup_database
from tests.conftest import ROOT, SECRET, TOKEN, LiveServer
from tests.fake_wechat import new_msg_id


def run_backup(db_path, target) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_PATH": str(db_path), "WECHAT_TOKEN": TOKEN, "SECRET_KEY": SECRET}
    return subprocess.run(
        [sys.executable, "bot.py", "backup", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_of_a_live_database_while_it_is_written(tmp_path):
    server = LiveServer(tmp_path).start()
    try:
        fake = server.wechat()
        for _ in range(5):
            fake.say("包工头跑路了 工钱找谁要")
        stop = threading.Event()

        def keep_writing():
            n = 0
            while not stop.is_set() and n < 400:
                fake.send(fake.text(f"老板欠工资第{n}次", msg_id=new_msg_id()))
                n += 1
            return n

        with ThreadPoolExecutor(max_workers=1) as pool:
            writer = pool.submit(keep_writing)
            proc = run_backup(server.db_path, tmp_path / "backups" / "bot-1.db")
            stop.set()
            written = writer.result()
        assert proc.returncode == 0, proc.stderr
        assert "备份完成" in proc.stdout and "完整性检查（PRAGMA integrity_check）：ok" in proc.stdout
        assert f"问答 {len(load_entries(Settings().FAQ_DIR))}" in proc.stdout and "SECRET_KEY" in proc.stdout
        copy = sqlite3.connect(tmp_path / "backups" / "bot-1.db")
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = copy.execute("SELECT count(*) FROM consultations").fetchone()[0]
        assert 5 <= rows <= 5 + written  # a consistent snapshot taken while the bot kept writing
        # every consultation in the copy has its stored reply and its user: one transaction, never half of one
        assert (
            copy.execute(
                "SELECT count(*) FROM consultations c LEFT JOIN message_replies r ON r.key = c.msg_key WHERE r.key IS NULL"
            ).fetchone()[0]
            == 0
        )
        copy.close()
        assert not list((tmp_path / "backups").glob("*.partial"))
    finally:
        server.stop()

    # restore as the README says: the copy in place of the database, the old -wal/-shm moved away
    for suffix in ("", "-wal", "-shm"):
        old = server.db_path.with_name(server.db_path.name + suffix)
        if old.exists():
            old.rename(old.with_name(old.name + ".old"))
    (tmp_path / "backups" / "bot-1.db").replace(server.db_path)
    restored = LiveServer(tmp_path).start()
    try:
        assert restored.wechat().say("你好")
        store = restored.store()
        assert store.log.count() == rows + 1
        store.close()
    finally:
        restored.stop()


def test_backup_refuses_to_overwrite_and_reports_a_missing_database(tmp_path):
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    proc = run_backup(tmp_path / "missing.db", target)
    assert proc.returncode != 0 and "数据库文件不存在" in proc.stderr
    sqlite3.connect(tmp_path / "bot.db").execute("CREATE TABLE t (a)").connection.close()
    proc = run_backup(tmp_path / "bot.db", target)
    assert proc.returncode != 0 and "不会覆盖" in proc.stderr and target.read_text() == "keep me"


def test_a_damaged_database_gives_no_backup(tmp_path):
    db = tmp_path / "bot.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE consultations (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("CREATE INDEX consultations_text ON consultations(text)")
    conn.executemany("INSERT INTO consultations (text) VALUES (?)", [(f"{i}" * 50,) for i in range(300)])
    conn.commit()
    conn.close()
    with open(db, "r+b") as handle:  # a bad sector in the middle of the index
        handle.seek(4096 * 8 + 100)
        handle.write(b"\x07" * 2000)
    report = backup_database(db, tmp_path / "copy.db")
    assert not report.ok and report.integrity != ["ok"]
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "copy.db.partial").exists()
    proc = run_backup(db, tmp_path / "copy.db")
    assert proc.returncode == 1 and "完整性检查未通过" in proc.stderr and not (tmp_path / "copy.db").exists()
