"""Console accounts (staff and admins) and login-failure records for throttling."""

from __future__ import annotations

import time

from storage.db import Database, local_stamp
from storage.vocab import Role

ROLES = tuple(r.value for r in Role)


class Accounts:
    def __init__(self, db: Database):
        self.db = db

    def add(self, name: str, role: str, password_hash: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        stamp, _ = local_stamp()
        self.db.get().execute(
            "INSERT INTO accounts (name, role, password_hash, created_at) VALUES (?,?,?,?)"
            " ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,"
            " disabled = 0",
            [name, role, password_hash, stamp],
        )

    def get(self, name: str) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM accounts WHERE name = ?", [name]))
        return rows[0] if rows else None

    def all(self) -> list[dict]:
        return list(self.db.get().query("SELECT name, role, created_at, disabled FROM accounts ORDER BY name"))

    def set_password_hash(self, name: str, password_hash: str) -> None:
        self.db.get().execute("UPDATE accounts SET password_hash = ? WHERE name = ?", [password_hash, name])

    def set_disabled(self, name: str, disabled: bool) -> None:
        self.db.get().execute("UPDATE accounts SET disabled = ? WHERE name = ?", [int(disabled), name])

    def record_failure(self, account: str, address: str) -> None:
        self.db.get().execute(
            "INSERT INTO login_failures (ts, account, address) VALUES (?,?,?)", [time.time(), account, address]
        )

    def recent_failures(self, window_seconds: float, account: str | None = None, address: str | None = None) -> int:
        since = time.time() - window_seconds
        if account is not None:
            sql, arg = "SELECT count(*) FROM login_failures WHERE ts > ? AND account = ?", account
        else:
            sql, arg = "SELECT count(*) FROM login_failures WHERE ts > ? AND address = ?", address
        return self.db.get().execute(sql, [since, arg]).fetchone()[0]

    def clear_failures(self, account: str) -> None:
        self.db.get().execute("DELETE FROM login_failures WHERE account = ?", [account])
