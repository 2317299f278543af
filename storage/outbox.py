"""Messages from staff to one person (a reply to a message they left, an update on their registered case), and
the OpenID needed to push them.

A message is pushed through WeChat's customer-service API when that is configured and the person wrote within
the last 48 hours (WeChat refuses later pushes, errcode 45015); otherwise it waits and goes out with the reply to
their next message. Either way its delivery is recorded (messaging/ does the sending).

The raw OpenID is what the customer-service API needs; the rest of the project only ever stores the pseudonym. It
is kept here, encrypted (storage/crypto.py), only for people who left a message or registered a case, and only
for the 48 hours in which a push is possible (the retention rule below deletes it after that).
"""

from __future__ import annotations

import time

from storage.crypto import DataCipher
from storage.db import Database
from storage.retention import delete_rule, register

PUSH_WINDOW_SECONDS = 48 * 3600
PENDING, PUSHED, DELIVERED, WITHDRAWN = "pending", "pushed", "delivered", "withdrawn"
CUSTOM, NEXT_MESSAGE = "custom", "next_message"


class Outbox:
    def __init__(self, db: Database, cipher: DataCipher):
        self.db = db
        self.cipher = cipher

    def add(self, user_id: str, kind: str, ref: str, text: str, author: str) -> int:
        """A message waiting for delivery; returns its id."""
        cur = self.db.get().execute(
            "INSERT INTO outbox (user_id, kind, ref, text, author, created, state) VALUES (?,?,?,?,?,?,?)",
            [user_id, kind, ref, self.cipher.encrypt(text), author, time.time(), PENDING],
        )
        return cur.lastrowid

    def get(self, message_id: int) -> dict | None:
        row = self.db.get().execute("SELECT * FROM outbox WHERE id = ?", [message_id]).fetchone()
        return self._row(row) if row else None

    def mark(self, message_id: int, state: str, channel: str | None = None, error: str | None = None) -> bool:
        """Move a message on; only a pending one can be delivered (a retry or a second worker finds it taken). A
        failed push's error stays on the row after the next-message delivery (the console shows both)."""
        cur = self.db.get().execute(
            "UPDATE outbox SET state = ?, channel = COALESCE(?, channel), error = COALESCE(?, error), delivered = ?"
            " WHERE id = ? AND state = ?",
            [state, channel, error, time.time() if state in (PUSHED, DELIVERED) else None, message_id, PENDING],
        )
        return cur.rowcount == 1

    def note_error(self, message_id: int, error: str) -> None:
        self.db.get().execute("UPDATE outbox SET error = ? WHERE id = ?", [error, message_id])

    def pending_for(self, user_id: str) -> list[dict]:
        """Messages waiting for this person's next message, oldest first."""
        rows = self.db.get().execute(
            "SELECT * FROM outbox WHERE user_id = ? AND state = ? ORDER BY id", [user_id, PENDING]
        ).fetchall()
        return [self._row(r) for r in rows]

    def for_ref(self, kind: str, ref: str) -> list[dict]:
        rows = self.db.get().execute(
            "SELECT * FROM outbox WHERE kind = ? AND ref = ? ORDER BY id", [kind, ref]
        ).fetchall()
        return [self._row(r) for r in rows]

    def _row(self, row) -> dict:
        cols = ("id", "user_id", "kind", "ref", "text", "author", "created", "state", "channel", "delivered", "error")
        out = dict(zip(cols, row, strict=True))
        out["text"] = self.cipher.decrypt(out["text"])
        return out


class OpenIdVault:
    """The raw OpenID of a person staff may need to push to, encrypted, for at most 48 hours after they wrote."""

    def __init__(self, db: Database, cipher: DataCipher):
        self.db = db
        self.cipher = cipher

    def remember(self, user_id: str, openid: str) -> None:
        if not openid:
            return
        self.db.get().execute(
            "INSERT INTO openid_vault (user_id, openid, seen) VALUES (?,?,?) ON CONFLICT(user_id)"
            " DO UPDATE SET openid = excluded.openid, seen = excluded.seen",
            [user_id, self.cipher.encrypt(openid), time.time()],
        )

    def reachable(self, user_id: str, now: float | None = None) -> str | None:
        """The OpenID when a push can still reach this person (they wrote within 48 hours), else None."""
        row = self.db.get().execute("SELECT openid, seen FROM openid_vault WHERE user_id = ?", [user_id]).fetchone()
        if row is None or (now or time.time()) - row[1] > PUSH_WINDOW_SECONDS:
            return None
        return self.cipher.decrypt(row[0])

    def known(self, user_id: str) -> bool:
        return self.db.get().execute("SELECT 1 FROM openid_vault WHERE user_id = ?", [user_id]).fetchone() is not None


register(
    delete_rule("openid_vault", "工作人员推送回复用的 OpenID（加密；用户最后发消息 48 小时后删除）", 2, "openid_vault",
                "seen < ?", per_user=True)
)  # fmt: skip
register(
    delete_rule("outbox", "已送达的工作人员回复和案件进展通知（送达 180 天后删除）", 180, "outbox",
                "delivered IS NOT NULL AND delivered < ?", per_user=True)
)  # fmt: skip
