"""Answers staff marked wrong (答错了) and how each FAQ entry is used.

A flag is one consultation whose reply was wrong: it waits (`open`) in the review queue until someone fixes the
FAQ for it (adds the question as a variant of the right entry, writes a new entry: `fixed`) or dismisses it. The
flag keeps the entry that gave the wrong answer, so the FAQ list can show how often each entry was marked wrong.

Usage counts (answered and tentatively answered, by entry) come from the log's daily rollups, which keep counting
rows the retention purge anonymises or deletes.
"""

from __future__ import annotations

import sqlite3

from storage import rollups
from storage.db import Database, local_stamp
from storage.vocab import Outcome

OPEN, FIXED, DISMISSED = "open", "fixed", "dismissed"
FLAG_LABELS = {OPEN: "待处理", FIXED: "已改好", DISMISSED: "不用改"}
_ROW = (
    "SELECT f.*, c.text, c.faq_id AS answered_faq_id, c.outcome, c.created_at AS asked_at, c.user_id"
    " FROM answer_flags f JOIN consultations c ON c.id = f.consultation_id"
)


class AnswerFlags:
    def __init__(self, db: Database):
        self.db = db

    def flag(self, consultation_id: int, reporter: str, note: str = "") -> bool:
        """Mark a consultation's reply wrong (again: a fixed flag opens again); False when there is no such row."""
        row = self.db.get().execute("SELECT faq_id FROM consultations WHERE id = ?", [consultation_id]).fetchone()
        if row is None:
            return False
        stamp, _ = local_stamp()
        self.db.get().execute(
            "INSERT INTO answer_flags (consultation_id, faq_id, status, reporter, note, created_at) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(consultation_id) DO UPDATE SET status = excluded.status, reporter = excluded.reporter,"
            " note = excluded.note, created_at = excluded.created_at, resolved_by = NULL, resolved_at = NULL,"
            " fixed_faq_id = NULL",
            [consultation_id, row[0], OPEN, reporter, note or None, stamp],
        )
        return True

    def resolve(self, consultation_id: int, by: str, status: str = FIXED, fixed_faq_id: str | None = None) -> bool:
        """Take an open flag off the review queue: fixed (with the entry that answers it now) or dismissed."""
        stamp, _ = local_stamp()
        cur = self.db.get().execute(
            "UPDATE answer_flags SET status = ?, resolved_by = ?, resolved_at = ?, fixed_faq_id = ?"
            " WHERE consultation_id = ? AND status = ?",
            [status, by, stamp, fixed_faq_id, consultation_id, OPEN],
        )
        return cur.rowcount == 1

    def get(self, consultation_id: int) -> dict | None:
        rows = list(self.db.get().query(f"{_ROW} WHERE f.consultation_id = ?", [consultation_id]))
        return rows[0] if rows else None

    def open(self, limit: int = 50) -> list[dict]:
        """The review queue: open flags, newest first, with the consultation's text and reply."""
        return list(self.db.get().query(f"{_ROW} WHERE f.status = ? ORDER BY f.created_at DESC LIMIT ?", [OPEN, limit]))

    def open_count(self) -> int:
        return self.db.get().execute("SELECT count(*) FROM answer_flags WHERE status = ?", [OPEN]).fetchone()[0]

    def for_entry(self, faq_id: str, limit: int = 20) -> list[dict]:
        return list(
            self.db.get().query(f"{_ROW} WHERE f.faq_id = ? ORDER BY f.created_at DESC LIMIT ?", [faq_id, limit])
        )

    # per-entry usage
    def usage(self, entry_id: str | None = None) -> dict[str, dict]:
        """{entry id: {"answered", "tentative", "wrong", "last_day"}} over the whole log, from the daily rollups
        (storage/rollups.py: a year of data is a few thousand rows); counted in the log itself when the rollups
        cannot be brought up to date just now (the database is read-only or busy). `entry_id`: that entry only."""
        db = self.db.get()
        kinds = [str(Outcome.ANSWERED), str(Outcome.TENTATIVE)]
        try:
            rollups.catch_up(db)
            source, count = "stats_entries", "sum(n)"
        except sqlite3.OperationalError:
            source, count = "consultations", "count(*)"
        one, params = (" AND faq_id = ?", [entry_id]) if entry_id else ("", [])
        out: dict[str, dict] = {}
        for faq_id, outcome, n, last_day in db.execute(
            f"SELECT faq_id, outcome, {count}, max(day) FROM {source} WHERE outcome IN (?, ?) AND faq_id IS NOT NULL"
            f"{one} GROUP BY faq_id, outcome",
            [*kinds, *params],
        ):
            entry = out.setdefault(faq_id, {"answered": 0, "tentative": 0, "wrong": 0, "last_day": None})
            entry[outcome] = n
            entry["last_day"] = max(entry["last_day"] or "", last_day or "") or None
        for faq_id, wrong in db.execute(
            f"SELECT faq_id, count(*) FROM answer_flags WHERE faq_id IS NOT NULL{one} GROUP BY faq_id", params
        ):
            out.setdefault(faq_id, {"answered": 0, "tentative": 0, "wrong": 0, "last_day": None})["wrong"] = wrong
        return out

    def recent_answers(self, faq_id: str, limit: int = 10) -> list[dict]:
        """The latest consultations this entry answered (confidently or tentatively), newest first (the partial
        index consultations_faq_ts: a rarely used entry's rows are not looked for among a year of others)."""
        return list(
            self.db.get().query(
                "SELECT c.id, c.created_at, c.text, c.outcome, c.kind, f.status AS flag FROM consultations c"
                " LEFT JOIN answer_flags f ON f.consultation_id = c.id"
                " WHERE c.faq_id = ? AND c.outcome IN (?, ?) AND c.text != '' ORDER BY c.ts DESC LIMIT ?",
                [faq_id, Outcome.ANSWERED, Outcome.TENTATIVE, limit],
            )
        )
