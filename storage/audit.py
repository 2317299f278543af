"""Who deleted what: every erasure of a user's data and every purge run, with the counts (data_audit)."""

from __future__ import annotations

import json

from storage.db import Database, local_stamp


def record(conn, actor: str, action: str, subject: str | None, detail: dict) -> None:
    """One audit row on an open connection (inside the caller's transaction, so it commits with the deletion)."""
    stamp, _ = local_stamp()
    conn.execute(
        "INSERT INTO data_audit (created_at, actor, action, subject, detail) VALUES (?,?,?,?,?)",
        [stamp, actor[:64], action, subject, json.dumps(detail, ensure_ascii=False)],
    )


class DataAudit:
    def __init__(self, db: Database):
        self.db = db

    def recent(self, limit: int = 50, action: str | None = None) -> list[dict]:
        where, params = ("WHERE action = ?", [action]) if action else ("", [])
        rows = list(self.db.get().query(f"SELECT * FROM data_audit {where} ORDER BY id DESC LIMIT ?", [*params, limit]))
        for row in rows:
            row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        return rows
