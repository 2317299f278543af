"""Periods of days (China time, YYYY-MM-DD strings) and their division into days, weeks (Monday first) or months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storage.filters import add_conditions

UNITS = ("day", "week", "month")


@dataclass
class Period:
    since: str | None = None  # YYYY-MM-DD, inclusive (China time)
    until: str | None = None  # YYYY-MM-DD, inclusive

    def where(self, column: str = "day") -> tuple[str, list]:
        parts, params = [], []
        add_conditions(parts, params, ((column, ">=", self.since), (column, "<=", self.until)))
        return (" AND ".join(parts) or "1=1"), params


def month_end(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def bucket_start(day: str, unit: str) -> str:
    """The first day of the day's week (Monday) or month; the day itself for unit day."""
    d = date.fromisoformat(day)
    if unit == "week":
        d -= timedelta(days=d.weekday())
    elif unit == "month":
        d = d.replace(day=1)
    return d.isoformat()


def bucket_end(start: str, unit: str) -> str:
    d = date.fromisoformat(start)
    if unit == "week":
        d += timedelta(days=6)
    elif unit == "month":
        d = month_end(d)
    return d.isoformat()


def buckets(since: str, until: str, unit: str) -> list[tuple[str, str]]:
    """(first, last) day of each day, week or month from since to until, the first and last clipped to them."""
    out = []
    start = bucket_start(since, unit)
    while start <= until:
        end = bucket_end(start, unit)
        out.append((max(start, since), min(end, until)))
        start = (date.fromisoformat(end) + timedelta(days=1)).isoformat()
    return out
