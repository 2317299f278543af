"""Read-only statistics for `bot.py stats` and the console, from the daily rollups (storage/rollups.py).

Every outcome of the vocabulary is counted on its own (none is listed by name here); the 答复率 is the share of
questions (text and voice messages) answered with confidence, so a tentative answer does not count. A rate over
no questions is None (shown as 「—」), never 0.
"""

from __future__ import annotations

import logging
import sqlite3

from storage import rollups
from storage.db import Database
from storage.periods import UNITS, Period, bucket_start, buckets
from storage.vocab import Outcome

log = logging.getLogger(__name__)

QUESTION_KINDS = rollups.QUESTION_KINDS
_Q = "kind IN ({})".format(", ".join(f"'{k}'" for k in QUESTION_KINDS))
# The outcomes a question can have from the FAQ: always shown; any other as soon as it occurred (shown_outcomes).
ANSWER_OUTCOMES = (Outcome.ANSWERED, Outcome.TENTATIVE, Outcome.SUGGESTED, Outcome.UNANSWERED)


def rate(part: int, total: int) -> float | None:
    """part / total rounded to 4 places; None when there is nothing to divide (an empty period)."""
    return round(part / total, 4) if total else None


def outcome_counts(rows) -> dict[str, int]:
    """{outcome: n} for every outcome of the vocabulary, in its order (zeros included; unknown values kept)."""
    counts = {str(o): 0 for o in Outcome}
    for outcome, n in rows:
        counts[outcome] = counts.get(outcome, 0) + int(n)
    return counts


def shown_outcomes(*counts: dict[str, int]) -> list[str]:
    """Outcomes to show in a table, in the vocabulary's order: ANSWER_OUTCOMES, and any other that occurred."""
    return [str(o) for o in Outcome if o in ANSWER_OUTCOMES or any(c.get(str(o)) for c in counts)]


class Stats:
    def __init__(self, db: Database):
        self.db = db
        self.behind = 0  # log rows not in the numbers (the database could not be written to fold them)
        self._refreshed = False

    def _rows(self, sql: str, params: list) -> list[dict]:
        return list(self.db.get().query(sql, params))

    def refresh(self) -> bool:
        """Fold the rows logged since the last read into the rollups; False (and `behind` set) when the database
        cannot be written just now: the numbers are then those of the last fold."""
        db = self.db.get()
        try:
            rollups.catch_up(db)
            self.behind = 0
        except sqlite3.OperationalError as exc:  # read-only, locked for too long, disk full
            self.behind = rollups.pending(db)
            log.warning("statistics not refreshed (%s): %d rows behind", exc, self.behind)
        self._refreshed = True
        return self.behind == 0

    def _ensure_fresh(self) -> None:
        """Fold once per Stats object (one per request or command) before the first read."""
        if not self._refreshed:
            self.refresh()

    def _cells(self, period: Period) -> list[tuple[str, str, str, int]]:
        """(kind, outcome, topic, n) over the period: one pass over the rollup serves outcomes, kinds and topics."""
        where, params = period.where()
        sql = f"SELECT kind, outcome, topic, sum(n) FROM stats_daily WHERE {where} GROUP BY kind, outcome, topic"
        return [(k, o, t, int(n)) for k, o, t, n in self.db.get().execute(sql, params) if n]

    def outcomes(self, period: Period, cells: list | None = None) -> dict[str, int]:
        """Questions (text and voice) per outcome."""
        cells = self._cells(period) if cells is None else cells
        return outcome_counts((o, n) for k, o, _, n in cells if k in QUESTION_KINDS)

    def users(self, period: Period) -> int:
        """Distinct users in the period (any kind of message): user-days whose previous day lies before it."""
        where, params = period.where()
        first = "prev_day IS NULL" + (" OR prev_day < ?" if period.since else "")
        sql = f"SELECT count(*) FROM stats_user_days WHERE {where} AND ({first})"
        return self.db.get().execute(sql, params + ([period.since] if period.since else [])).fetchone()[0]

    def brief(self, period: Period, cells: list | None = None) -> dict:
        """The headline numbers of a period: questions per outcome and their rates, users, kinds, reply times."""
        self._ensure_fresh()
        cells = self._cells(period) if cells is None else cells
        outcomes = self.outcomes(period, cells)
        total = sum(outcomes.values())
        kinds: dict[str, int] = {}
        for kind, _, _, n in cells:
            kinds[kind] = kinds.get(kind, 0) + n
        p50, p95 = self.latency(period, (0.5, 0.95))
        return {
            "since": period.since,
            "until": period.until,
            "consultations": total,
            "distinct_users": self.users(period),
            **outcomes,
            **{f"{o}_rate": rate(n, total) for o, n in outcomes.items()},
            "outcomes": outcomes,
            "by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
            "new_followers": kinds.get("subscribe", 0),
            "unfollows": kinds.get("unsubscribe", 0),
            "latency_p50_ms": p50,
            "latency_p95_ms": p95,
        }

    def summary(self, period: Period, top: int = 10) -> dict:
        """`brief` with the topics, the most used entries, the most frequent unanswered questions, model usage."""
        self._ensure_fresh()
        cells = self._cells(period)
        topics = self.by_topic(period, cells)
        return {
            **self.brief(period, cells),
            "by_topic": {t["topic"]: t["consultations"] for t in topics if t["topic"]},
            "topics": topics,
            "top_entries": self.top_entries(period, top),
            "top_unanswered": self.top_unanswered(period, top),
            "llm_usage": self.llm_usage(period),
            "behind": self.behind,
        }

    def by_topic(self, period: Period, cells: list | None = None) -> list[dict]:
        """Questions per topic, each with its outcomes and 答复率, most asked first; questions without a topic
        come last under topic None, so the rows add up to all questions."""
        cells = self._cells(period) if cells is None else cells
        grouped: dict[str, list] = {}
        for kind, outcome, topic, n in cells:
            if kind in QUESTION_KINDS:
                grouped.setdefault(topic, []).append((outcome, n))
        rows = []
        for topic, pairs in grouped.items():
            counts = outcome_counts(pairs)
            total = sum(counts.values())
            rows.append(
                {
                    "topic": topic or None,
                    "consultations": total,
                    "outcomes": counts,
                    "answered_rate": rate(counts[Outcome.ANSWERED], total),
                }
            )
        rows.sort(key=lambda r: (r["topic"] is None, -r["consultations"], r["topic"] or ""))
        return rows

    def series(self, period: Period, unit: str) -> list[dict]:
        """One row per day, week (from Monday) or month of the period, empty ones included: its first and last
        day (clipped to the period), questions, distinct users, outcomes and 答复率. Needs since and until."""
        if unit not in UNITS or not (period.since and period.until):
            raise ValueError("series needs a unit of day/week/month and a closed period")
        self._ensure_fresh()
        spans = buckets(period.since, period.until, unit)
        where, params = period.where()
        db = self.db.get()
        counts: dict[str, list] = {}
        starts: dict[str, str] = {}
        sql = f"SELECT day, outcome, sum(n) FROM stats_daily WHERE {where} AND {_Q} GROUP BY day, outcome"
        for day, outcome, n in db.execute(sql, params):
            if day not in starts:
                starts[day] = max(bucket_start(day, unit), period.since)
            counts.setdefault(starts[day], []).append((outcome, n))
        if unit == "day":
            users = dict(db.execute(f"SELECT day, count(*) FROM stats_user_days WHERE {where} GROUP BY day", params))
        else:
            users = {first: self.users(Period(first, last)) for first, last in spans}
        out = []
        for first, last in spans:
            c = outcome_counts(counts.get(first, []))
            total = sum(c.values())
            out.append(
                {
                    "start": first,
                    "end": last,
                    "day": first,
                    "consultations": total,
                    "users": int(users.get(first) or 0),
                    "outcomes": c,
                    "answered_rate": rate(c[Outcome.ANSWERED], total),
                }
            )
        return out

    def per_day(self, period: Period) -> list[dict]:
        """The days with any message: questions and distinct users (a closed period)."""
        return [
            {"day": r["start"], "consultations": r["consultations"], "users": r["users"]}
            for r in self.series(period, "day")
            if r["consultations"] or r["users"]
        ]

    def latency(self, period: Period, quantiles=(0.5, 0.95)) -> list[float | None]:
        """Nearest-rank percentiles of the reply time of questions (two significant digits)."""
        where, params = period.where()
        hist = (
            self.db.get()
            .execute(f"SELECT ms, sum(n) FROM stats_latency WHERE {where} GROUP BY ms ORDER BY ms", params)
            .fetchall()
        )
        n = sum(c for _, c in hist)
        out = []
        for q in quantiles:
            if not n:
                out.append(None)
                continue
            k, seen = round(q * (n - 1)), 0
            for ms, c in hist:
                seen += c
                if seen > k:
                    out.append(ms)
                    break
        return out

    def first_day(self) -> str | None:
        """The first day with anything logged."""
        self._ensure_fresh()
        return self.db.get().execute("SELECT min(day) FROM stats_daily WHERE n > 0").fetchone()[0]

    def llm_usage(self, period: Period) -> dict:
        """Token counts of model answers (outcome llm): what the model costs, per answer and in total."""
        where, params = period.where()
        row = (
            self.db.get()
            .execute(
                "SELECT sum(answers), sum(prompt_n), sum(prompt_sum), sum(completion_n), sum(completion_sum),"
                f" sum(latency_n), sum(latency_sum) FROM stats_llm WHERE {where}",
                params,
            )
            .fetchone()
        )
        n, pn, ps, cn, cs, ln, ls = (v or 0 for v in row)

        def avg(total, count):
            return round(total / count, 1) if count else None

        return {
            "answers": n,
            "prompt_tokens": ps,
            "completion_tokens": cs,
            "avg_prompt_tokens": avg(ps, pn),
            "avg_completion_tokens": avg(cs, cn),
            "avg_latency_ms": avg(ls, ln),
        }

    def top_entries(self, period: Period, limit: int = 10) -> list[dict]:
        """The FAQ entries answered most often (confident answers)."""
        where, params = period.where()
        return self._rows(
            f"SELECT faq_id, sum(n) AS n FROM stats_entries WHERE outcome = ? AND {where.replace('day', '+day')}"
            " GROUP BY faq_id HAVING sum(n) > 0 ORDER BY n DESC, faq_id LIMIT ?",
            [str(Outcome.ANSWERED), *params, limit],
        )

    def top_unanswered(self, period: Period, limit: int = 10, batch: int = 64) -> list[dict]:
        """The questions most often left without a confident answer (NEEDS_REVIEW outcomes), most frequent first.

        Texts are taken in order of their count over all time (stats_question_totals), a batch at a time, and
        counted within the period; once the next text's all-time count is below the period count of the last
        one in the list, no further text can enter it. With the long tail of one-off questions real logs have,
        this reads a few hundred rows instead of grouping a year of them."""
        where, params = period.where()
        db = self.db.get()
        found: list[dict] = []
        after = (1 << 62, "")  # keyset position in (n, text) order, from the largest
        while True:
            texts = db.execute(
                "SELECT text, n FROM stats_question_totals WHERE n > 0 AND (n, text) < (?, ?)"
                " ORDER BY n DESC, text DESC LIMIT ?",
                [*after, batch],
            ).fetchall()
            for text, total in texts:
                if len(found) >= limit and total < found[-1]["n"]:
                    return found
                n, last_day = db.execute(
                    f"SELECT sum(n), max(day) FROM stats_questions WHERE text = ? AND {where} AND n > 0",
                    [text, *params],
                ).fetchone()
                if n:
                    found.append({"text": text, "n": n, "last_day": last_day})
                    found = sorted(found, key=lambda r: (-r["n"], _neg_day(r["last_day"]), r["text"]))[:limit]
            if len(texts) < batch:
                return found
            after = (texts[-1][1], texts[-1][0])


def _neg_day(day: str) -> tuple[int, ...]:
    return tuple(-int(part) for part in day.split("-"))
