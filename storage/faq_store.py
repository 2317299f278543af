"""FAQ entries in the database (the source of truth after seeding), their revisions and a version counter.

Every write bumps `meta.faq_version`; each worker process compares it with the version its matcher was built
from and rebuilds when it changed, so an edit reaches every worker without a restart.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

from faq.changes import FIELDS
from faq.ids import new_id
from storage.db import Database, local_stamp

JSON_FIELDS = ("variants", "legal_basis")
CREATED = "_created"  # in a revision's changes: the entry did not exist before it (a create, or a restore)


def _row_to_entry(row: dict) -> dict:
    entry = dict(row)
    for key in JSON_FIELDS:
        entry[key] = json.loads(entry[key]) if entry.get(key) else []
    entry["enabled"] = bool(entry["enabled"])
    entry["hub"] = bool(entry.get("hub"))
    entry["followups"] = json.loads(entry["followups"]) if entry.get("followups") else {}
    return entry


def _snapshot(entry: dict) -> dict:
    snap = {k: entry.get(k) for k in ("id", *FIELDS)}
    snap["hub"] = bool(snap.get("hub"))
    snap["followups"] = dict(snap.get("followups") or {})
    return snap


def _decode_revision(r: dict) -> dict:
    r["snapshot"] = json.loads(r["snapshot"]) if r["snapshot"] else None
    r["changes"] = json.loads(r["changes"]) if r["changes"] else {}
    return r


def revision_before(rev: dict) -> dict | None:
    """The entry as it was just before revision `rev` (None when it did not exist, or is unknown)."""
    changes = rev.get("changes") or {}
    if rev.get("snapshot") is None:  # a deletion keeps what was deleted as the old side of its changes
        if not changes:
            return None
        return {"id": rev["entry_id"], **{k: v[0] for k, v in changes.items() if k in FIELDS}}
    if rev["action"] == "create" or changes.get(CREATED):
        return None
    return {**rev["snapshot"], **{k: v[0] for k, v in changes.items() if k in FIELDS}}


@contextmanager
def immediate(db):
    """A write transaction that takes SQLite's write lock at once, so what is read inside it (free ids, the FAQ an
    import is planned on) cannot change before it is written. Nested in a transaction, it is a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class FaqStore:
    def __init__(self, db: Database):
        self.db = db

    # reads
    def version(self) -> int:
        row = self.db.get().execute("SELECT value FROM meta WHERE key = 'faq_version'").fetchone()
        return int(row[0]) if row else 0

    def count(self) -> int:
        return self.db.get().execute("SELECT count(*) FROM faq_entries").fetchone()[0]

    def all(self, include_disabled: bool = True) -> list[dict]:
        sql = "SELECT * FROM faq_entries"
        if not include_disabled:
            sql += " WHERE enabled = 1"
        sql += " ORDER BY topic, position, id"
        return [_row_to_entry(r) for r in self.db.get().query(sql)]

    def get(self, entry_id: str) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM faq_entries WHERE id = ?", [entry_id]))
        return _row_to_entry(rows[0]) if rows else None

    def revisions(self, entry_id: str) -> list[dict]:
        rows = self.db.get().query("SELECT * FROM faq_revisions WHERE entry_id = ? ORDER BY id DESC", [entry_id])
        return [_decode_revision(r) for r in rows]

    def revision(self, revision_id: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM faq_revisions WHERE id = ?", [revision_id]))
        return _decode_revision(rows[0]) if rows else None

    def used_ids(self) -> set[str]:
        """Every id an entry has now or had (deleted entries keep theirs: their history hangs on it)."""
        rows = self.db.get().execute("SELECT id FROM faq_entries UNION SELECT entry_id FROM faq_revisions")
        return {r[0] for r in rows}

    # writes
    def _bump(self, db) -> None:
        db.execute(
            "INSERT INTO meta (key, value) VALUES ('faq_version', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _write(self, db, entry: dict, author: str) -> None:
        stamp, _ = local_stamp()
        values = [
            entry["id"],
            entry["topic"],
            entry["question"],
            json.dumps(list(entry.get("variants") or []), ensure_ascii=False),
            entry["answer"],
            json.dumps(list(entry.get("legal_basis") or []), ensure_ascii=False),
            int(bool(entry.get("enabled", True))),
            int(entry.get("position") or 0),
            int(bool(entry.get("hub"))),
            json.dumps(entry["followups"], ensure_ascii=False, sort_keys=True) if entry.get("followups") else None,
            stamp,
            author,
        ]
        db.execute(
            "INSERT INTO faq_entries (id, topic, question, variants, answer, legal_basis, enabled, position, hub,"
            " followups, updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
            " topic=excluded.topic, question=excluded.question, variants=excluded.variants,"
            " answer=excluded.answer, legal_basis=excluded.legal_basis, enabled=excluded.enabled,"
            " position=excluded.position, hub=excluded.hub, followups=excluded.followups,"
            " updated_at=excluded.updated_at, updated_by=excluded.updated_by",
            values,
        )

    def _revise(
        self,
        db,
        entry_id: str,
        author: str,
        action: str,
        before: dict | None,
        after: dict | None,
        batch: int | None = None,
    ) -> None:
        changes = {}
        if before and after:
            for key in FIELDS:
                if before.get(key) != after.get(key):
                    changes[key] = [before.get(key), after.get(key)]
        elif before:  # a delete keeps what was deleted, so it can be restored
            changes = {key: [before.get(key), None] for key in FIELDS}
        elif after and action != "create":
            changes = {CREATED: True}
        stamp, _ = local_stamp()
        db.execute(
            "INSERT INTO faq_revisions (entry_id, created_at, author, action, snapshot, changes, batch)"
            " VALUES (?,?,?,?,?,?,?)",
            [
                entry_id,
                stamp,
                author,
                action,
                json.dumps(_snapshot(after), ensure_ascii=False) if after else None,
                json.dumps(changes, ensure_ascii=False),
                batch,
            ],
        )

    def save(self, entry: dict, author: str, action: str | None = None) -> None:
        """Create or update one entry, keeping a revision."""
        db = self.db.get()
        with db.atomic():
            before = self.get(entry["id"])
            after = {**(before or {}), **entry}
            after.setdefault("enabled", True)
            self._write(db, after, author)
            self._revise(
                db,
                entry["id"],
                author,
                action or ("update" if before else "create"),
                before and _snapshot(before),
                _snapshot(after),
            )
            self._bump(db)

    def create(self, entry: dict, author: str, action: str = "create") -> str:
        """Add a new entry, giving it the next free id of its topic (faq/ids.py) unless it has one; returns the id."""
        db = self.db.get()
        with immediate(db):
            entry_id = entry.get("id") or new_id(entry["topic"], self.used_ids())
            after = {"enabled": True, **entry, "id": entry_id}
            self._write(db, after, author)
            self._revise(db, entry_id, author, action, None, _snapshot(after))
            self._bump(db)
        return entry_id

    def delete(self, entry_id: str, author: str) -> bool:
        db = self.db.get()
        with db.atomic():
            before = self.get(entry_id)
            if before is None:
                return False
            db.execute("DELETE FROM faq_entries WHERE id = ?", [entry_id])
            self._revise(db, entry_id, author, "delete", _snapshot(before), None)
            self._bump(db)
        return True

    def seed(self, entries: list[dict]) -> bool:
        """Fill an empty table from the shipped files; no-op (False) when it already has entries."""
        db = self.db.get()
        with db.atomic():
            if db.execute("SELECT count(*) FROM faq_entries").fetchone()[0]:
                return False
            for pos, entry in enumerate(entries):
                self._write(db, {"enabled": True, "position": pos, **entry}, "seed")
            self._bump(db)
        return True

    # console helpers (additive)
    def latest_revision_id(self, entry_id: str) -> int:
        """The id of an entry's newest revision (0 when it has none): a token for detecting concurrent edits."""
        row = self.db.get().execute("SELECT max(id) FROM faq_revisions WHERE entry_id = ?", [entry_id]).fetchone()
        return row[0] or 0

    def deleted(self, limit: int = 20) -> list[dict]:
        """Entries whose last revision removed them (and that do not exist now): entry_id, created_at, author, question."""
        return list(
            self.db.get().query(
                "SELECT r.entry_id, r.created_at, r.author, json_extract(r.changes, '$.question[0]') AS question"
                " FROM faq_revisions r"
                " WHERE r.snapshot IS NULL AND r.id = (SELECT max(id) FROM faq_revisions WHERE entry_id = r.entry_id)"
                " AND NOT EXISTS (SELECT 1 FROM faq_entries e WHERE e.id = r.entry_id) ORDER BY r.id DESC LIMIT ?",
                [limit],
            )
        )
