"""FAQ imports as batches: applying one (all or nothing), undoing one, and the checked uploads waiting for a
confirmation.

Every revision an import writes carries the import's id (`faq_revisions.batch`). Undoing the import walks those
revisions: an entry whose newest revision is still the import's goes back to how it was before; an entry someone
changed after the import is left alone and reported, so an undo never throws away later work.
"""

from __future__ import annotations

import json
import secrets
import time

from faq.changes import MERGE, ImportPlan, plan_import
from faq.ids import new_id
from storage.db import Database, local_stamp
from storage.faq_store import FaqStore, _decode_revision, _snapshot, immediate, revision_before

UNDO_ACTION = "undo-import"


class FaqImports:
    def __init__(self, db: Database, faq: FaqStore):
        self.db = db
        self.faq = faq

    # applying and undoing
    def apply(
        self, rows: list[dict], author: str, mode: str = MERGE, filename: str = ""
    ) -> tuple[int | None, ImportPlan]:
        """Import `rows` in one transaction; (batch id, the plan applied). No batch when nothing changes."""
        db = self.db.get()
        with immediate(db):
            plan = plan_import(self.faq.all(), rows, mode)
            if plan.empty:
                return None, plan
            stamp, _ = local_stamp()
            batch = db.execute(
                "INSERT INTO faq_imports (ts, created_at, author, filename, mode, added, changed, removed)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [time.time(), stamp, author, filename, mode, len(plan.added), len(plan.changed), len(plan.removed)],
            ).lastrowid
            for entry in plan.removed:
                db.execute("DELETE FROM faq_entries WHERE id = ?", [entry["id"]])
                self.faq._revise(db, entry["id"], author, "delete", _snapshot(entry), None, batch)
            for before, after in plan.changed:
                self.faq._write(db, after, author)
                self.faq._revise(db, after["id"], author, "import", _snapshot(before), _snapshot(after), batch)
            taken = self.faq.used_ids()
            for after in plan.added:
                if not after["id"]:
                    after["id"] = new_id(after["topic"], taken)
                taken.add(after["id"])
                self.faq._write(db, after, author)
                self.faq._revise(db, after["id"], author, "create", None, _snapshot(after), batch)
            self.faq._bump(db)
        return batch, plan

    def undo_plan(self, batch: int) -> tuple[list[dict], list[dict]]:
        """(revisions that can be reverted, revisions whose entry changed after the import), each with
        `before` (the state to go back to, None = remove the entry) and `later` (the newer revision, if any)."""
        revert, skipped = [], []
        for rev in self.batch_revisions(batch):
            latest = self.faq.latest_revision_id(rev["entry_id"])
            rev["before"] = revision_before(rev)
            if latest == rev["id"]:
                revert.append(rev)
            else:
                rev["later"] = self.faq.revision(latest)
                skipped.append(rev)
        return revert, skipped

    def undo(self, batch: int, author: str) -> tuple[int, list[dict]]:
        """Revert the import's changes that nobody has changed since; (how many reverted, the skipped revisions)."""
        db = self.db.get()
        with immediate(db):
            revert, skipped = self.undo_plan(batch)
            for rev in revert:
                current = self.faq.get(rev["entry_id"])
                before = rev["before"]
                if before is None:
                    if current is not None:
                        db.execute("DELETE FROM faq_entries WHERE id = ?", [rev["entry_id"]])
                        self.faq._revise(db, rev["entry_id"], author, UNDO_ACTION, _snapshot(current), None)
                    continue
                self.faq._write(db, before, author)
                self.faq._revise(
                    db, rev["entry_id"], author, UNDO_ACTION, current and _snapshot(current), _snapshot(before)
                )
            stamp, _ = local_stamp()
            db.execute("UPDATE faq_imports SET undone_at = ?, undone_by = ? WHERE id = ?", [stamp, author, batch])
            self.faq._bump(db)
        return len(revert), skipped

    # reading
    def get(self, batch: int) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM faq_imports WHERE id = ?", [batch]))
        return rows[0] if rows else None

    def recent(self, limit: int = 10) -> list[dict]:
        return list(self.db.get().query("SELECT * FROM faq_imports ORDER BY id DESC LIMIT ?", [limit]))

    def batch_revisions(self, batch: int) -> list[dict]:
        rows = self.db.get().query("SELECT * FROM faq_revisions WHERE batch = ? ORDER BY id", [batch])
        return [_decode_revision(r) for r in rows]

    # checked uploads waiting for "确认导入"
    def hold(self, account: str, filename: str, rows: list[dict], max_age: float) -> str:
        """Keep checked rows for `account`; returns the token the confirmation must bring back."""
        token = secrets.token_urlsafe(24)
        db = self.db.get()
        with db.atomic():
            db.execute("DELETE FROM faq_import_checks WHERE ts < ?", [time.time() - max_age])
            db.execute(
                "INSERT INTO faq_import_checks (token, account, ts, filename, entries) VALUES (?,?,?,?,?)",
                [token, account, time.time(), filename, json.dumps(rows, ensure_ascii=False)],
            )
        return token

    def held(self, token: str, account: str, max_age: float) -> dict | None:
        """The held upload (filename, rows) for this token and account, if it has not expired."""
        rows = list(
            self.db.get().query(
                "SELECT filename, entries FROM faq_import_checks WHERE token = ? AND account = ? AND ts >= ?",
                [token, account, time.time() - max_age],
            )
        )
        if not rows:
            return None
        return {"filename": rows[0]["filename"], "rows": json.loads(rows[0]["entries"])}

    def drop(self, token: str) -> None:
        self.db.get().execute("DELETE FROM faq_import_checks WHERE token = ?", [token])
