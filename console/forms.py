"""Reading console forms into the project's data shapes (entries as faq/loader cleans them) and checking dates."""

from __future__ import annotations

import re
from datetime import date, timedelta

from faq.loader import clean_entry
from storage.db import now_local

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# Dates outside these are clamped to them: nothing is logged before the first or after the last, and arithmetic on
# the range (the previous period, week starts) stays far from date's limits (year 1 and 9999).
FIRST_DAY, LAST_DAY = "2000-01-01", "2099-12-31"
# What the entry form edits; an entry's other fields (hub, followups: kept in the FAQ files) stay as they are.
FORM_FIELDS = ("topic", "question", "variants", "answer", "legal_basis", "enabled", "position")


def lines(text: str | None) -> list[str]:
    """Non-empty, stripped, de-duplicated lines of a textarea (browsers send CRLF)."""
    seen: dict[str, None] = {}
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if line:
            seen.setdefault(line, None)
    return list(seen)


def entry_from_form(form, entry_id: str | None = None) -> tuple[dict, list[str]]:
    """(entry, form problems) from the entry form; the entry has every field, in the loader's clean shape."""
    problems = []
    raw = {
        "id": entry_id if entry_id is not None else form.get("id", ""),
        "topic": form.get("topic", ""),
        "question": form.get("question", ""),
        "variants": lines(form.get("variants")),
        "answer": (form.get("answer") or "").replace("\r\n", "\n").replace("\r", "\n"),
        "legal_basis": list(dict.fromkeys(form.getlist("legal_basis"))),
        "enabled": form.get("enabled") == "1",
    }
    entry = clean_entry(raw)
    try:
        entry["position"] = int(form.get("position") or 0)
    except ValueError:
        entry["position"] = 0
        problems.append("排序号必须是整数")
    return entry, problems


def parse_day(value: str | None) -> str | None:
    """A YYYY-MM-DD string when `value` is a real date (clamped to FIRST_DAY..LAST_DAY), else None."""
    value = (value or "").strip()
    if not _DATE.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return min(max(value, FIRST_DAY), LAST_DAY)


def today() -> date:
    return now_local().date()


def period_from_args(args, default_days: int = 30) -> tuple[str, str]:
    """(since, until) from ?since=&until=, defaulting to the last `default_days` days (China time)."""
    until = parse_day(args.get("until")) or today().isoformat()
    since = parse_day(args.get("since")) or (date.fromisoformat(until) - timedelta(days=default_days - 1)).isoformat()
    if since > until:
        since, until = until, since
    return since, until


def quick_ranges() -> list[tuple[str, str, str]]:
    """(label, since, until) for the date-range shortcuts."""
    t = today()
    first = t.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        ("近 7 天", (t - timedelta(days=6)).isoformat(), t.isoformat()),
        ("近 30 天", (t - timedelta(days=29)).isoformat(), t.isoformat()),
        ("本月", first.isoformat(), t.isoformat()),
        ("上月", last_month_end.replace(day=1).isoformat(), last_month_end.isoformat()),
        ("今年", t.replace(month=1, day=1).isoformat(), t.isoformat()),
    ]
