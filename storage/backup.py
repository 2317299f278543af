"""Online backup of the live database: SQLite's backup API (a consistent copy while the bot keeps writing), then
PRAGMA integrity_check on the copy before it takes its final name."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

COUNTED = (("consultations", "咨询记录"), ("users", "用户"), ("faq_entries", "问答"), ("accounts", "控制台账号"))


@dataclass
class BackupReport:
    path: Path
    bytes: int
    seconds: float
    integrity: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.integrity == ["ok"]


def backup_database(source: str | os.PathLike, target: str | os.PathLike) -> BackupReport:
    """Copy `source` to `target` (which must not exist) and check the copy. The copy is written under a temporary
    name and renamed only when integrity_check says ok; otherwise it is deleted and the report says why."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise FileNotFoundError(f"数据库文件不存在：{source}")
    if target.exists():
        raise FileExistsError(f"目标文件已存在，不会覆盖：{target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        # All pages in one step: one read transaction, which in WAL mode never blocks the bot's writes (a stepped
        # backup restarts whenever another process writes, and might never finish under load).
        src.backup(dst, pages=-1)
        integrity = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        counts = {}
        tables = {row[0] for row in dst.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, _ in COUNTED:
            if table in tables:
                counts[table] = dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        dst.close()
        src.close()
    report = BackupReport(target, partial.stat().st_size, time.perf_counter() - started, integrity, counts)
    if not report.ok:
        partial.unlink(missing_ok=True)
        return report
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return report
