"""Console accounts (staff and admins): role, password hash, state, and the optional TOTP second factor.

Whatever takes an account's credentials away (a new password, disabling it, resetting its second factor) ends
its sessions in the same transaction, whichever path did it (the console or `bot.py users`).
"""

from __future__ import annotations

import time

from storage.console_sessions import end_account_sessions
from storage.db import Database, local_stamp
from storage.vocab import Role

ROLES = tuple(r.value for r in Role)


class Accounts:
    def __init__(self, db: Database):
        self.db = db

    def add(self, name: str, role: str, password_hash: str, procuratorate: str | None = None) -> None:
        """Add an account, or give an existing one this role and password (and enable it); a caseworker belongs to
        a procuratorate (its cases are the ones they see)."""
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        stamp, _ = local_stamp()
        db = self.db.get()
        with db.atomic():
            db.execute(
                "DELETE FROM console_sessions WHERE account = ?"
                " AND EXISTS (SELECT 1 FROM accounts WHERE name = ? AND password_hash != ?)",
                [name, name, password_hash],
            )
            db.execute(
                "INSERT INTO accounts (name, role, password_hash, created_at, procuratorate) VALUES (?,?,?,?,?)"
                " ON CONFLICT(name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash,"
                " disabled = 0, procuratorate = COALESCE(excluded.procuratorate, procuratorate)",
                [name, role, password_hash, stamp, procuratorate],
            )

    def get(self, name: str) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM accounts WHERE name = ?", [name]))
        return rows[0] if rows else None

    def all(self) -> list[dict]:
        return list(
            self.db.get().query(
                "SELECT name, role, created_at, disabled, totp_secret IS NOT NULL AS totp, procuratorate FROM accounts"
                " ORDER BY name"
            )
        )

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}")
        self.db.get().execute("UPDATE accounts SET role = ? WHERE name = ?", [role, name])

    def set_procuratorate(self, name: str, procuratorate: str | None) -> None:
        self.db.get().execute("UPDATE accounts SET procuratorate = ? WHERE name = ?", [procuratorate, name])

    def caseworkers(self, procuratorate: str | None = None) -> list[dict]:
        """Enabled caseworkers (of one procuratorate), for assigning cases."""
        where, params = ("AND procuratorate = ?", [procuratorate]) if procuratorate else ("", [])
        return list(
            self.db.get().query(
                f"SELECT name, procuratorate FROM accounts WHERE role = 'caseworker' AND disabled = 0 {where}"
                " ORDER BY name",
                params,
            )
        )

    def set_password_hash(self, name: str, password_hash: str) -> None:
        """A new password; every session of the account ends."""
        db = self.db.get()
        with db.atomic():
            db.execute("UPDATE accounts SET password_hash = ? WHERE name = ?", [password_hash, name])
            end_account_sessions(db.conn, name)

    def set_disabled(self, name: str, disabled: bool) -> None:
        """Disable (ending every session of the account) or enable an account."""
        db = self.db.get()
        with db.atomic():
            db.execute("UPDATE accounts SET disabled = ? WHERE name = ?", [int(disabled), name])
            if disabled:
                end_account_sessions(db.conn, name)

    # the TOTP second factor
    def set_totp_pending(self, name: str, secret: str | None) -> None:
        """The secret being enrolled (shown to the user once), until a code from it confirms it."""
        self.db.get().execute("UPDATE accounts SET totp_pending = ? WHERE name = ?", [secret, name])

    def activate_totp(self, name: str, secret: str, step: int, recovery_hashes: list[str]) -> bool:
        """Turn the second factor on with `secret` (still the pending one) and fresh recovery codes.

        `step` is the time step of the code that confirmed it, so that code cannot also sign in."""
        db = self.db.get()
        with db.atomic():
            cur = db.execute(
                "UPDATE accounts SET totp_secret = ?, totp_pending = NULL, totp_last_step = ?"
                " WHERE name = ? AND totp_pending = ?",
                [secret, step, name, secret],
            )
            if cur.rowcount != 1:
                return False
            self._replace_recovery(db, name, recovery_hashes)
        return True

    def replace_recovery_codes(self, name: str, recovery_hashes: list[str]) -> None:
        db = self.db.get()
        with db.atomic():
            self._replace_recovery(db, name, recovery_hashes)

    @staticmethod
    def _replace_recovery(db, name: str, recovery_hashes: list[str]) -> None:
        db.execute("DELETE FROM totp_recovery WHERE account = ?", [name])
        for code_hash in recovery_hashes:
            db.execute("INSERT INTO totp_recovery (account, code_hash) VALUES (?, ?)", [name, code_hash])

    def clear_totp(self, name: str, end_sessions: bool = False) -> None:
        """Turn the second factor off (and its recovery codes); an admin's reset also ends the sessions."""
        db = self.db.get()
        with db.atomic():
            db.execute(
                "UPDATE accounts SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0 WHERE name = ?",
                [name],
            )
            db.execute("DELETE FROM totp_recovery WHERE account = ?", [name])
            if end_sessions:
                end_account_sessions(db.conn, name)

    def use_totp_step(self, name: str, step: int) -> bool:
        """Claim a TOTP time step: True only for a step later than any used before (a code works once)."""
        cur = self.db.get().execute(
            "UPDATE accounts SET totp_last_step = ? WHERE name = ? AND totp_last_step < ? AND totp_secret IS NOT NULL",
            [step, name, step],
        )
        return cur.rowcount == 1

    def use_recovery_code(self, name: str, code_hash: str) -> bool:
        """Spend one recovery code: True once per code."""
        cur = self.db.get().execute(
            "UPDATE totp_recovery SET used_at = ? WHERE account = ? AND code_hash = ? AND used_at IS NULL",
            [time.time(), name, code_hash],
        )
        return cur.rowcount == 1

    def recovery_codes_left(self, name: str) -> int:
        row = (
            self.db.get()
            .execute("SELECT count(*) FROM totp_recovery WHERE account = ? AND used_at IS NULL", [name])
            .fetchone()
        )
        return row[0]
