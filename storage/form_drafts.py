"""Form drafts: what someone had typed into a console form when their login expired, until they log in again.

A draft is found by a random token that only the browser which typed it holds (a cookie), is read once, and
expires after `max_age` seconds. Passwords are never kept (the console leaves them out before saving).
"""

from __future__ import annotations

import json
import secrets
import time

from storage.db import Database


class FormDrafts:
    def __init__(self, db: Database):
        self.db = db

    def keep(self, page: str, action: str, fields: list[tuple[str, str]], max_age: float) -> str:
        """Store the fields posted to `action` from `page`; returns the draft's token."""
        token = secrets.token_urlsafe(24)
        db = self.db.get()
        with db.atomic():
            db.execute("DELETE FROM form_drafts WHERE ts < ?", [time.time() - max_age])
            db.execute(
                "INSERT INTO form_drafts (token, ts, page, action, fields) VALUES (?,?,?,?,?)",
                [token, time.time(), page, action, json.dumps(fields, ensure_ascii=False)],
            )
        return token

    def get(self, token: str, max_age: float) -> dict | None:
        """The draft (page, action, fields as [name, value] pairs) if it exists and has not expired."""
        rows = list(
            self.db.get().query(
                "SELECT page, action, fields FROM form_drafts WHERE token = ? AND ts >= ?",
                [token, time.time() - max_age],
            )
        )
        if not rows:
            return None
        row = rows[0]
        return {"page": row["page"], "action": row["action"], "fields": [tuple(f) for f in json.loads(row["fields"])]}

    def drop(self, token: str) -> None:
        self.db.get().execute("DELETE FROM form_drafts WHERE token = ?", [token])
