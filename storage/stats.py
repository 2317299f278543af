"""Read-only statistics over the consultation log, for `bot.py stats` and the console."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database
from storage.filters import add_conditions


@dataclass
class Period:
    since: str | None = None  # YYYY-MM-DD, inclusive (China time)
    until: str | None = None  # YYYY-MM-DD, inclusive

    def where(self, column: str = "day") -> tuple[str, list]:
        parts, params = [], []
        add_conditions(parts, params, ((column, ">=", self.since), (column, "<=", self.until)))
        return (" AND ".join(parts) or "1=1"), params


def _percentile(sorted_values: list[float], q: float) -> float | None:
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1))))
    return sorted_values[k]


class Stats:
    def __init__(self, db: Database):
        self.db = db

    def _rows(self, sql: str, params: list) -> list[dict]:
        return list(self.db.get().query(sql, params))

    def _counts(self, column: str, where: str, params: list) -> dict:
        """{value: rows} of one column over the rows matching `where`, most frequent first."""
        sql = f"SELECT {column} AS v, count(*) AS n FROM consultations WHERE {where} GROUP BY {column} ORDER BY n DESC"
        return {r["v"]: r["n"] for r in self._rows(sql, params)}

    def summary(self, period: Period, top: int = 10) -> dict:
        where, params = period.where()
        q_where = f"{where} AND kind IN ('text', 'voice')"
        db = self.db.get()
        total = db.execute(f"SELECT count(*) FROM consultations WHERE {q_where}", params).fetchone()[0]
        users = db.execute(f"SELECT count(DISTINCT user_id) FROM consultations WHERE {where}", params).fetchone()[0]
        outcomes = self._counts("outcome", q_where, params)
        by_topic = self._counts("topic", f"{q_where} AND topic IS NOT NULL", params)
        by_kind = self._counts("kind", where, params)
        lat = [
            r[0]
            for r in db.execute(
                f"SELECT latency_ms FROM consultations WHERE {q_where} AND latency_ms IS NOT NULL ORDER BY latency_ms",
                params,
            )
        ]
        events = self._counts("kind", f"{where} AND kind IN ('subscribe', 'unsubscribe')", params)

        def rate(name: str) -> float:
            return round(outcomes.get(name, 0) / total, 4) if total else 0.0

        return {
            "since": period.since,
            "until": period.until,
            "consultations": total,
            "distinct_users": users,
            "answered": outcomes.get("answered", 0),
            "suggested": outcomes.get("suggested", 0),
            "unanswered": outcomes.get("unanswered", 0),
            "llm": outcomes.get("llm", 0),
            "menu": outcomes.get("menu", 0),
            "answered_rate": rate("answered"),
            "suggested_rate": rate("suggested"),
            "unanswered_rate": rate("unanswered"),
            "by_topic": by_topic,
            "by_kind": by_kind,
            "new_followers": events.get("subscribe", 0),
            "unfollows": events.get("unsubscribe", 0),
            "latency_p50_ms": _percentile(lat, 0.5),
            "latency_p95_ms": _percentile(lat, 0.95),
            "top_entries": self.top_entries(period, top),
            "top_unanswered": self.top_unanswered(period, top),
            "llm_usage": self.llm_usage(period),
        }

    def llm_usage(self, period: Period) -> dict:
        """Token counts of model answers (outcome llm): what the model costs, per answer and in total."""
        where, params = period.where()
        row = (
            self.db.get()
            .execute(
                "SELECT count(*), sum(p), sum(c), avg(p), avg(c), avg(ms) FROM (SELECT"
                " json_extract(detail, '$.prompt_tokens') AS p, json_extract(detail, '$.completion_tokens') AS c,"
                f" json_extract(detail, '$.llm_latency_ms') AS ms FROM consultations WHERE {where} AND outcome = 'llm')",
                params,
            )
            .fetchone()
        )
        n, p_sum, c_sum, p_avg, c_avg, ms_avg = row

        def r(value):
            return None if value is None else round(value, 1)

        return {
            "answers": n,
            "prompt_tokens": p_sum or 0,
            "completion_tokens": c_sum or 0,
            "avg_prompt_tokens": r(p_avg),
            "avg_completion_tokens": r(c_avg),
            "avg_latency_ms": r(ms_avg),
        }

    def per_day(self, period: Period) -> list[dict]:
        where, params = period.where()
        return self._rows(
            f"SELECT day, sum(kind IN ('text', 'voice')) AS consultations, count(DISTINCT user_id) AS users"
            f" FROM consultations WHERE {where} GROUP BY day ORDER BY day",
            params,
        )

    def top_entries(self, period: Period, limit: int = 10) -> list[dict]:
        where, params = period.where()
        return self._rows(
            f"SELECT faq_id, topic, count(*) AS n FROM consultations WHERE {where}"
            " AND outcome = 'answered' AND faq_id IS NOT NULL GROUP BY faq_id ORDER BY n DESC, faq_id"
            " LIMIT ?",
            [*params, limit],
        )

    def top_unanswered(self, period: Period, limit: int = 10) -> list[dict]:
        where, params = period.where()
        return self._rows(
            f"SELECT text, count(*) AS n, max(day) AS last_day FROM consultations WHERE {where}"
            " AND outcome IN ('unanswered', 'suggested', 'llm') AND kind IN ('text', 'voice')"
            " AND text != '' GROUP BY text ORDER BY n DESC, last_day DESC LIMIT ?",
            [*params, limit],
        )
