"""Case figures for a month, the way the monthly report upward is written: cases and amounts by kind, procuratorate
and status, the months before it, the median time to the first call and the share of first calls within the
promise. Pure Python over case rows (no personal fields are read)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from intake.casework import Casework
from storage.db import CHINA_TZ
from storage.vocab import CASE_KIND_LABELS, CASE_STATUS_LABELS, CaseKind, CaseStatus

MONTHS_BACK = 12


def month_of(ts: float) -> str:
    return datetime.fromtimestamp(ts, CHINA_TZ).strftime("%Y-%m")


def month_bounds(month: str) -> tuple[float, float]:
    """Epoch start and end (exclusive) of a China-time calendar month "YYYY-MM"."""
    year, mon = (int(x) for x in month.split("-"))
    start = datetime(year, mon, 1, tzinfo=CHINA_TZ)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=CHINA_TZ)
    return start.timestamp(), end.timestamp()


def months_before(month: str, n: int) -> list[str]:
    year, mon = (int(x) for x in month.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{mon:02d}")
        year, mon = (year - 1, 12) if mon == 1 else (year, mon - 1)
    return out[::-1]


def _figures(cases: list[dict], work: Casework) -> dict:
    contacted = [c for c in cases if c.get("first_contact")]
    due = [c for c in cases if c.get("first_contact") or work.clock(c).overdue]
    within = [c for c in due if work.within_promise(c)]
    days = [work.clock(c).working_days for c in contacted]
    hours = [(c["first_contact"] - c["created"]) / 3600 for c in contacted]
    return {
        "cases": len(cases),
        "amount": round(sum(c["amount"] or 0 for c in cases), 2),
        "with_amount": sum(1 for c in cases if c["amount"]),
        "contacted": len(contacted),
        "overdue": sum(1 for c in cases if work.clock(c).overdue),
        "median_days": statistics.median(days) if days else None,
        "median_hours": round(statistics.median(hours), 1) if hours else None,
        "within": len(within),
        "due": len(due),
        "within_share": len(within) / len(due) if due else None,
    }


def case_report(all_cases: list[dict], work: Casework, month: str) -> dict:
    """The figures of `month` ("YYYY-MM") and of the MONTHS_BACK months up to it, from every case in scope."""
    by_month: dict[str, list[dict]] = defaultdict(list)
    for case in all_cases:
        by_month[month_of(case["created"])].append(case)
    cases = by_month.get(month, [])

    def grouped(key, labels: dict, order) -> list[dict]:
        groups: dict[str, list[dict]] = defaultdict(list)
        for case in cases:
            groups[case[key] or ""].append(case)
        keys = [k for k in order if k in groups] + sorted(k for k in groups if k not in order)
        return [{"key": k, "label": labels.get(k, k or "（未填）"), **_figures(groups[k], work)} for k in keys]

    kinds = [str(k) for k in CaseKind]
    statuses = [str(s) for s in CaseStatus]
    places = sorted({c["procuratorate"] for c in cases})
    return {
        "month": month,
        "total": _figures(cases, work),
        "by_kind": grouped("kind", {str(k): v for k, v in CASE_KIND_LABELS.items()}, kinds),
        "by_procuratorate": grouped("procuratorate", {}, places),
        "by_status": grouped("status", {str(k): v for k, v in CASE_STATUS_LABELS.items()}, statuses),
        "by_month": [{"key": m, "label": m, **_figures(by_month.get(m, []), work)}
                     for m in months_before(month, MONTHS_BACK)],  # fmt: skip
        "cases": sorted(cases, key=lambda c: c["created"]),
        "promise_days": work.promise_days,
    }


def this_month() -> str:
    return datetime.now(CHINA_TZ).strftime("%Y-%m")
