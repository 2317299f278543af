"""A registration being filled in (one draft per person, kept 7 days), and the intake flow's reply to each
message it handled (so a WeChat retry of a message the flow has already applied gets the same reply and moves
nothing; see intake/flow.py). Both are encrypted: the answers are personal data, and a reply can repeat them
(the summary)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from storage.crypto import DataCipher
from storage.db import Database

DRAFT_DAYS = 7


@dataclass
class Draft:
    user_id: str
    step: str
    data: dict = field(default_factory=dict)
    created: float = 0.0
    updated: float = 0.0
    paused: bool = False

    @property
    def expired(self) -> bool:
        return time.time() - self.updated > DRAFT_DAYS * 86400


@dataclass
class Journaled:
    """A reply the flow gave, as stored for retries."""

    text: str
    outcome: str
    detail: dict
    chat_state: dict | None


class IntakeDrafts:
    def __init__(self, db: Database, cipher: DataCipher):
        self.db = db
        self.cipher = cipher

    def get(self, user_id: str) -> Draft | None:
        row = self.db.get().execute(
            "SELECT step, data, created, updated, paused FROM intake_drafts WHERE user_id = ?", [user_id]
        ).fetchone()
        if row is None:
            return None
        data = self.cipher.decrypt_json(row[1], None)
        if data is None:  # a changed DATA_KEY: the draft cannot be read, start again
            return None
        return Draft(user_id, row[0], data, row[2], row[3], bool(row[4]))

    def save(self, draft: Draft) -> None:
        now = time.time()
        draft.updated = now
        draft.created = draft.created or now
        self.db.get().execute(
            "INSERT INTO intake_drafts (user_id, created, updated, step, paused, data) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(user_id) DO UPDATE SET created = excluded.created, updated = excluded.updated,"
            " step = excluded.step, paused = excluded.paused, data = excluded.data",
            [draft.user_id, draft.created, now, draft.step, int(draft.paused), self.cipher.encrypt_json(draft.data)],
        )

    def delete(self, user_id: str) -> None:
        self.db.get().execute("DELETE FROM intake_drafts WHERE user_id = ?", [user_id])

    # the replies already given, by message
    def journaled(self, msg_key: str | None) -> Journaled | None:
        if not msg_key:
            return None
        row = self.db.get().execute(
            "SELECT reply, outcome, detail, chat_state FROM intake_journal WHERE msg_key = ?", [msg_key]
        ).fetchone()
        if row is None:
            return None
        text = self.cipher.decrypt(row[0])
        if text is None:
            return None
        return Journaled(text, row[1], json.loads(row[2] or "{}"), json.loads(row[3]) if row[3] else None)

    def journal(self, msg_key: str | None, user_id: str, text: str, outcome: str, detail: dict, chat_state) -> None:
        if not msg_key:
            return
        self.db.get().execute(
            "INSERT INTO intake_journal (msg_key, user_id, created, reply, outcome, detail, chat_state)"
            " VALUES (?,?,?,?,?,?,?) ON CONFLICT(msg_key) DO NOTHING",
            [
                msg_key,
                user_id,
                time.time(),
                self.cipher.encrypt(text),
                outcome,
                json.dumps(detail, ensure_ascii=False),
                None if chat_state is None else json.dumps(chat_state, ensure_ascii=False),
            ],
        )
