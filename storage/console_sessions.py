"""Console sessions, recorded on the server: the cookie carries a random token, this table its SHA-256.

A session ends when its row goes: logout, a password change or reset, disabling the account, an admin ending the
account's sessions, or expiry. The database never holds a usable token (only its digest), so a copy of it cannot
be turned into a login.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from storage.db import Database

TOUCH_EVERY_SECONDS = 60  # last_seen is written at most this often per session, not on every page view


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def end_account_sessions(conn, account: str) -> int:
    """Delete every session of `account` on an open connection (inside the caller's transaction)."""
    return conn.execute("DELETE FROM console_sessions WHERE account = ?", [account]).rowcount


class ConsoleSessions:
    def __init__(self, db: Database):
        self.db = db

    def start(self, account: str, lifetime_seconds: float, address: str = "", user_agent: str = "") -> str:
        """A new session for `account`; returns the token for the cookie (shown nowhere else)."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        conn = self.db.get().conn
        conn.execute("DELETE FROM console_sessions WHERE expires < ?", [now])
        conn.execute(
            "INSERT INTO console_sessions (id, account, created, expires, last_seen, address, user_agent)"
            " VALUES (?,?,?,?,?,?,?)",
            [token_digest(token), account, now, now + lifetime_seconds, now, address[:64], user_agent[:200]],
        )
        return token

    def lookup(self, token: str) -> dict | None:
        """The live session of `token` with its account's name, role and state; None when ended or expired."""
        now = time.time()
        digest = token_digest(token)
        rows = list(
            self.db.get().query(
                "SELECT s.id, s.account, s.created, s.expires, s.last_seen, a.role, a.disabled"
                " FROM console_sessions s JOIN accounts a ON a.name = s.account WHERE s.id = ? AND s.expires > ?",
                [digest, now],
            )
        )
        if not rows:
            return None
        row = rows[0]
        if now - row["last_seen"] > TOUCH_EVERY_SECONDS:
            self.db.get().execute("UPDATE console_sessions SET last_seen = ? WHERE id = ?", [now, digest])
        return row

    def end(self, token: str) -> bool:
        cur = self.db.get().execute("DELETE FROM console_sessions WHERE id = ?", [token_digest(token)])
        return cur.rowcount == 1

    def end_all(self, account: str, keep_token: str | None = None) -> int:
        """End the account's sessions (all but `keep_token`'s when given); returns how many ended."""
        if keep_token is None:
            return end_account_sessions(self.db.get().conn, account)
        cur = self.db.get().execute(
            "DELETE FROM console_sessions WHERE account = ? AND id != ?", [account, token_digest(keep_token)]
        )
        return cur.rowcount

    def of_account(self, account: str) -> list[dict]:
        """The account's live sessions, newest first (for the account page)."""
        return list(
            self.db.get().query(
                "SELECT id, created, expires, last_seen, address, user_agent FROM console_sessions"
                " WHERE account = ? AND expires > ? ORDER BY created DESC",
                [account, time.time()],
            )
        )

    def active_counts(self) -> dict[str, int]:
        """{account: live sessions} (for the users page)."""
        rows = self.db.get().execute(
            "SELECT account, count(*) FROM console_sessions WHERE expires > ? GROUP BY account", [time.time()]
        )
        return dict(rows.fetchall())
