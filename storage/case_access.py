"""Who looked at which case and how: every view of a case page, every reveal of a phone number, every export
(console and command line). Admins read it in the console (/admin/cases/audit)."""

from __future__ import annotations

import json
import time

from storage.db import Database

ACCESS_LABELS = {"view": "查看案件", "reveal": "显示电话号码", "export": "导出", "cli_show": "命令行查看（含号码）"}


class CaseAccess:
    def __init__(self, db: Database):
        self.db = db

    def record(self, actor: str, action: str, case_number: str | None = None, detail: dict | None = None) -> None:
        self.db.get().execute(
            "INSERT INTO case_access (ts, actor, action, case_number, detail) VALUES (?,?,?,?,?)",
            [time.time(), actor[:64], action, case_number, json.dumps(detail or {}, ensure_ascii=False)],
        )

    def recent(self, limit: int = 200, case_number: str | None = None) -> list[dict]:
        where, params = ("WHERE case_number = ?", [case_number]) if case_number else ("", [])
        rows = list(
            self.db.get().query(f"SELECT * FROM case_access {where} ORDER BY id DESC LIMIT ?", [*params, limit])
        )
        for row in rows:
            row["detail"] = json.loads(row["detail"] or "{}")
        return rows
