"""The green-channel clock in working days (weekends, holidays, 调休 workdays), the order of statuses, and the month's
figures (median time to the first call, the share within the promise)."""

from __future__ import annotations

from datetime import datetime

import pytest

from intake.casework import Casework, allowed_next
from intake.report import case_report, month_bounds, months_before
from messaging.hours import Hours
from storage.db import CHINA_TZ

# 2026-10-01..07 国庆 holidays; 2026-10-10 (Saturday) a 调休 workday
HOURS = Hours.parse("周一至周五 09:00-12:00,14:30-17:30", "2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07",
                    "2026-10-10")  # fmt: skip


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA_TZ).timestamp()


def case(created: str, contact: str | None = None, status: str = "registered", **kw) -> dict:
    return {"created": at(created), "first_contact": at(contact) if contact else None, "status": status,
            "amount": kw.get("amount"), "kind": kw.get("kind", "wages"), "procuratorate": kw.get("p", "城关区人民检察院"),
            "number": kw.get("number", "2610010001"), "county": None}  # fmt: skip


@pytest.fixture
def work():
    return Casework(store=None, messenger=None, hours=HOURS, promise_days=3)


def test_the_promise_counts_working_days_only(work):
    c = case("2026-09-30 16:00")  # Wednesday before the holidays
    clock = work.clock(c, datetime(2026, 10, 8, 10, tzinfo=CHINA_TZ))
    # skipping 10-01..07: Thu 08, Fri 09 and Saturday 10 (调休)
    assert clock.deadline.isoformat() == "2026-10-10"
    assert not clock.overdue and clock.working_days == 1
    sunday = work.clock(c, datetime(2026, 10, 11, 9, tzinfo=CHINA_TZ))  # the promise's last day is over
    assert sunday.overdue and sunday.days_over == 0 and sunday.label == "已超期"
    late = work.clock(c, datetime(2026, 10, 13, 9, tzinfo=CHINA_TZ))
    assert late.overdue and late.days_over == 2 and "超期 2 个工作日" in late.label  # Mon 12 and Tue 13


def test_a_first_call_stops_the_clock(work):
    on_time = work.clock(case("2026-09-30 16:00", "2026-10-09 11:00"), datetime(2026, 10, 20, tzinfo=CHINA_TZ))
    assert on_time.contacted and not on_time.overdue and not on_time.late and work.within_promise(
        case("2026-09-30 16:00", "2026-10-09 11:00"))
    late = case("2026-09-30 16:00", "2026-10-12 11:00")
    assert work.clock(late).late and work.within_promise(late) is False and "超期" in work.clock(late).label
    assert work.within_promise(case("2026-09-30 16:00")) is None


def test_an_ended_case_is_never_overdue(work):
    assert not work.clock(case("2026-01-05 10:00", status="withdrawn")).overdue


def test_statuses_only_move_forward():
    assert allowed_next("registered") == ["reviewing", "accepted", "legal_aid", "supported", "closed", "rejected"]
    assert allowed_next("legal_aid") == ["supported", "closed", "rejected"]
    for ended in ("closed", "rejected", "referred", "withdrawn"):
        assert allowed_next(ended) == []


def test_the_months_figures(work):
    cases = [
        case("2026-10-08 09:00", "2026-10-08 15:00", "reviewing", amount=8500),  # same day: 0 working days, 6 h
        case("2026-10-08 09:00", "2026-10-12 10:00", "accepted", amount=30000, kind="work_injury"),  # 3rd day
        case("2026-10-09 09:00", "2026-10-20 10:00", "closed", amount=None, p="榆中县人民检察院"),  # late
        case("2026-09-15 09:00", "2026-09-16 09:00", "closed", amount=1000),  # the month before
    ]
    r = case_report(cases, work, "2026-10")
    t = r["total"]
    assert t["cases"] == 3 and t["amount"] == 38500 and t["contacted"] == 3
    assert t["median_days"] == 3 and t["within"] == 2 and t["due"] == 3 and round(t["within_share"], 3) == 0.667
    kinds = {g["key"]: g["cases"] for g in r["by_kind"]}
    assert kinds == {"wages": 2, "work_injury": 1}
    assert {g["key"]: g["amount"] for g in r["by_procuratorate"]} == {"城关区人民检察院": 38500, "榆中县人民检察院": 0}
    months = {g["key"]: g["cases"] for g in r["by_month"]}
    assert len(months) == 12 and months["2026-09"] == 1 and months["2026-10"] == 3


def test_month_helpers():
    start, end = month_bounds("2026-12")
    assert datetime.fromtimestamp(end, CHINA_TZ).strftime("%Y-%m-%d") == "2027-01-01"
    assert months_before("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    assert start < end
