"""The console's view of the consultation log: filtered, newest first, a page at a time, without reading the whole log.

- Filters on dates, outcome, kind and topic are counted exactly from the daily rollups, and a page (even page
  5000) is found by walking the rollup's per-day counts to the day it starts on: the log itself is read only
  from that day on, through an index that ends in (day, ts).
- A text search or one user's messages cannot be counted from the rollups: matches are counted up to CAP (a
  text search then says 「1000 条以上」), and pages beyond it continue from the last row shown (keyset).
- `rows` hands out every match in batches of the same keyset order, for exports that stream.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from storage import rollups
from storage.db import Database
from storage.filters import add_conditions, contains

ORDER = "ORDER BY day DESC, ts DESC, id DESC"
TEXT_CAP = 1000  # matches of a text search counted exactly
USER_CAP = 100_000  # one user's messages: counted through their index, in practice exactly
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)_(\d{1,18})$")


@dataclass
class LogQuery:
    """Filters for the console's log view; every field optional."""

    since: str | None = None  # YYYY-MM-DD inclusive (China time)
    until: str | None = None
    topic: str | None = None
    outcome: str | None = None
    kind: str | None = None
    text: str | None = None  # substring of the message text
    user_id: str | None = None

    def _columns(self) -> tuple[tuple[str, str, object], ...]:
        """The filters both the log and its rollups have (stats_daily keeps day, topic, outcome, kind)."""
        return (
            ("day", ">=", self.since),
            ("day", "<=", self.until),
            ("topic", "=", self.topic),
            ("outcome", "=", self.outcome),
            ("kind", "=", self.kind),
        )

    def where(self) -> tuple[str, list]:
        parts, params = ["1=1"], []
        add_conditions(parts, params, (*self._columns(), ("user_id", "=", self.user_id)))
        if self.text and any("a" <= ch <= "z" for ch in self.text.lower()):
            parts.append("text LIKE ? ESCAPE '\\'")  # LIKE: Latin letters in either case
            params.append(contains(self.text))
        elif self.text:
            parts.append("instr(text, ?) > 0")  # the same match without letters to fold, and faster
            params.append(self.text)
        return " AND ".join(parts), params

    @property
    def countable(self) -> bool:
        """True when the rollups can count the matches (no text or user filter)."""
        return not (self.text or self.user_id)

    def rollup_where(self) -> tuple[str, list]:
        parts, params = ["n > 0"], []
        add_conditions(parts, params, self._columns())
        return " AND ".join(parts), params


@dataclass(frozen=True)
class Cursor:
    """The position of a row in the newest-first order (the last row shown): the next page starts after it."""

    day: str
    ts: float
    id: int

    def encode(self) -> str:
        return f"{self.day}_{self.ts!r}_{self.id}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        match = _CURSOR.match((value or "")[:80])
        return cls(match[1], float(match[2]), int(match[3])) if match else None

    @classmethod
    def of(cls, row: dict) -> Cursor:
        return cls(row["day"], row["ts"], row["id"])


@dataclass
class LogPage:
    rows: list[dict]
    total: int  # matching rows; a lower bound when `capped`
    capped: bool = False
    next: Cursor | None = None  # set when more rows follow
    exact: bool = field(default=True)  # False when the rollups could not be refreshed (counted directly)


class LogSearch:
    def __init__(self, db: Database):
        self.db = db

    def _fresh(self) -> bool:
        db = self.db.get()
        try:
            rollups.catch_up(db)
            return True
        except sqlite3.OperationalError:  # read-only or busy for too long: count in the log itself instead
            return False

    def page(self, query: LogQuery, number: int = 1, after: Cursor | None = None, per_page: int = 50) -> LogPage:
        """Page `number` of the matches (or, with `after`, the page following that row)."""
        number = max(1, number)
        if query.countable and self._fresh():
            return self._counted_page(query, number, after, per_page)
        return self._scanned_page(query, number, after, per_page)

    def _days(self, query: LogQuery) -> list[tuple[str, int]]:
        where, params = query.rollup_where()
        sql = f"SELECT day, sum(n) FROM stats_daily WHERE {where} GROUP BY day HAVING sum(n) > 0 ORDER BY day DESC"
        return [(d, int(n)) for d, n in self.db.get().execute(sql, params)]

    def _counted_page(self, query: LogQuery, number: int, after: Cursor | None, per_page: int) -> LogPage:
        days = self._days(query)
        total = sum(n for _, n in days)
        if after is not None:
            days = [(d, n) for d, n in days if d <= after.day]
            skip = 0
        else:
            skip = (number - 1) * per_page
            while days and days[0][1] <= skip:  # whole days before the page
                skip -= days.pop(0)[1]
        if not days:
            return LogPage([], total)
        need, low = skip + per_page + 1 + (days[0][1] if after else 0), days[0][0]
        for d, n in days:  # the days the page can reach: no further in the log than that
            low, need = d, need - n
            if need <= 0:
                break
        ids = self._ids(query, per_page + 1, skip, after, (low, days[0][0]))
        return self._page(ids, per_page, total)

    def _scanned_page(self, query: LogQuery, number: int, after: Cursor | None, per_page: int) -> LogPage:
        cap = TEXT_CAP if query.text else USER_CAP
        if after is not None:
            counted = len(self._ids(query, cap + 1))
            ids = self._ids(query, per_page + 1, 0, after)
        else:
            top = self._ids(query, max(cap + 1, number * per_page + 1))
            counted, ids = len(top), top[(number - 1) * per_page :]
        page = self._page(ids, per_page, min(counted, cap))
        page.capped = counted > cap
        return page

    def _ids(self, query: LogQuery, limit: int, offset: int = 0, after: Cursor | None = None, days=None) -> list[int]:
        where, params = query.where()
        if days is not None:
            where += " AND day >= ? AND day <= ?"
            params += list(days)
        if after is not None:
            where += " AND (day, ts, id) < (?, ?, ?)"
            params += [after.day, after.ts, after.id]
        sql = f"SELECT id FROM consultations WHERE {where} {ORDER} LIMIT ? OFFSET ?"
        return [r[0] for r in self.db.get().execute(sql, [*params, limit, offset])]

    def _page(self, ids: list[int], per_page: int, total: int) -> LogPage:
        rows = self._fetch(ids[:per_page])
        more = len(ids) > per_page and rows
        return LogPage(rows, total, next=Cursor.of(rows[-1]) if more else None)

    def _fetch(self, ids: list[int]) -> list[dict]:
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {r["id"]: r for r in self.db.get().query(f"SELECT * FROM consultations WHERE id IN ({marks})", ids)}
        rows = [found[i] for i in ids if i in found]
        for row in rows:
            row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        return rows

    def rows(self, query: LogQuery, limit: int | None = None, batch: int = 2000) -> Iterator[dict]:
        """Every match, newest first, read `batch` rows at a time (memory stays flat however many there are)."""
        after, sent = None, 0
        while limit is None or sent < limit:
            size = batch if limit is None else min(batch, limit - sent)
            ids = self._ids(query, size, 0, after)
            rows = self._fetch(ids)
            yield from rows
            sent += len(rows)
            if len(ids) < size or not rows:
                return
            after = Cursor.of(rows[-1])

    def kinds(self) -> list[str]:
        """The message kinds present in the log (text, voice, subscribe, click, ...)."""
        self._fresh()
        return [r[0] for r in self.db.get().execute("SELECT DISTINCT kind FROM stats_daily WHERE n > 0 ORDER BY kind")]

    def first_day(self) -> str | None:
        """The first day with anything logged."""
        return self.db.get().execute("SELECT min(day) FROM consultations").fetchone()[0]
