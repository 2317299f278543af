"""Date ranges for the statistics: the range asked for (bounded), the period before it for the comparison, the unit
of the trend, and how a change between two periods is said."""

from __future__ import annotations

from datetime import date, timedelta

from console.forms import period_from_args
from storage.periods import month_end

MAX_DAYS = 731
UNIT_NAMES = {"day": "按日", "week": "按周", "month": "按月"}


def stats_period(args) -> tuple[str, str]:
    """(since, until) from the query string (default: the last 30 days), at most MAX_DAYS days, ending at until."""
    since, until = period_from_args(args)
    end = date.fromisoformat(until)
    if (end - date.fromisoformat(since)).days >= MAX_DAYS:
        since = (end - timedelta(days=MAX_DAYS - 1)).isoformat()
    return since, until


def days_in(since: str, until: str) -> int:
    return (date.fromisoformat(until) - date.fromisoformat(since)).days + 1


def _add_months(d: date, months: int) -> date:
    n = d.year * 12 + d.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def whole_months(since: str, until: str) -> int:
    """How many calendar months the range is, when it is whole months (from a 1st to a month's last day), else 0."""
    s, u = date.fromisoformat(since), date.fromisoformat(until)
    if s.day != 1 or u != month_end(u) or u < s:
        return 0
    return (u.year - s.year) * 12 + u.month - s.month + 1


def previous(since: str, until: str) -> tuple[str, str]:
    """The period just before, to compare with: the same number of months for whole months (a month's report is
    compared with the month before, 环比), otherwise the same number of days."""
    start = date.fromisoformat(since)
    months = whole_months(since, until)
    if months:
        return _add_months(start, -months).isoformat(), (start - timedelta(days=1)).isoformat()
    end = start - timedelta(days=1)
    return (end - timedelta(days=days_in(since, until) - 1)).isoformat(), end.isoformat()


def default_unit(since: str, until: str) -> str:
    """Weeks for up to half a year, months beyond."""
    return "week" if days_in(since, until) <= 183 else "month"


def unit_from_args(args, since: str, until: str) -> str:
    unit = args.get("by")
    return unit if unit in UNIT_NAMES else default_unit(since, until)


def bucket_label(start: str, end: str, unit: str, short: bool = False) -> str:
    """How a day, week or month of the trend is named: 11-03, 11-03 至 11-09, 2026年11月 (short: 11月)."""
    if unit == "month":
        return f"{int(start[5:7])}月" if short else f"{start[:4]}年{int(start[5:7])}月"
    if unit == "week" and not short:
        return f"{start} 至 {end[5:]}"
    return start[5:]


def count_change(current: float | None, before: float | None) -> str | None:
    """A relative change, "+12.3%"; None when there is nothing to compare with."""
    if current is None or not before:
        return None
    return f"{(current - before) / before * 100:+.1f}%"


def rate_change(current: float | None, before: float | None) -> str | None:
    """A change of a rate in percentage points, "+2.1 个百分点"; None when either period had no questions."""
    if current is None or before is None:
        return None
    return f"{(current - before) * 100:+.1f} 个百分点"


def report_title(since: str, until: str) -> str:
    """The printable summary's title: 2026年11月咨询情况月报 for a calendar month."""
    months = whole_months(since, until)
    if months == 1:
        return f"{since[:4]}年{int(since[5:7])}月咨询情况月报"
    if months:
        return f"{since[:4]}年{int(since[5:7])}月至{until[:4]}年{int(until[5:7])}月咨询情况"
    return f"{since} 至 {until} 咨询情况"
