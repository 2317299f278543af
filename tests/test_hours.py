"""Working hours and working days (messaging/hours.py), as county staff would write them in settings."""

from __future__ import annotations

from datetime import datetime

import pytest

from messaging.hours import Hours, HoursError

OFFICE = Hours.parse("周一至周五 09:00-12:00,14:30-17:30", holidays="2026-10-01,2026-10-02", extra_workdays="2026-09-27")


@pytest.mark.parametrize(
    "moment, open_",
    [
        ("2026-12-07 10:00", True),  # Monday morning
        ("2026-12-07 13:00", False),  # lunch
        ("2026-12-07 17:30", False),  # closing time itself
        ("2026-12-06 10:00", False),  # Sunday
        ("2026-10-01 10:00", False),  # a public holiday on a Thursday
        ("2026-09-27 10:00", True),  # a Sunday worked in exchange (调休)
    ],
)
def test_open_hours(moment, open_):
    assert OFFICE.is_open(datetime.fromisoformat(moment)) is open_


def test_working_days_skip_weekends_and_holidays():
    friday = datetime.fromisoformat("2026-12-04 16:00")
    assert OFFICE.working_days_between(friday, datetime.fromisoformat("2026-12-07 09:00")) == 1
    assert OFFICE.add_working_days(friday, 3).isoformat() == "2026-12-09"
    assert OFFICE.add_working_days(datetime.fromisoformat("2026-09-30 10:00"), 1).isoformat() == "2026-10-05"


@pytest.mark.parametrize("spec", ["", "周一至周五", "上班时间 9-5", "周一至周五 17:00-09:00", "8-9 09:00-10:00"])
def test_unreadable_hours_are_refused_with_a_reason(spec):
    with pytest.raises(HoursError):
        Hours.parse(spec)


def test_other_spellings():
    assert Hours.parse("每天 08:00-20:00").weekdays == frozenset(range(1, 8))
    assert Hours.parse("1-6 08:30-18:00").weekdays == frozenset(range(1, 7))
