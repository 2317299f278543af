"""Staff working hours and working days, from settings (STAFF_HOURS, HOLIDAYS, EXTRA_WORKDAYS): whether a person
leaving a message reaches someone now, and how many working days a case or a message has been waiting.

STAFF_HOURS reads like a notice on the door: "周一至周五 09:00-12:00,14:30-17:30" (days: 周一至周五, 周一至周六,
每天, or 1-5 with 1 = Monday; then one or more time ranges). HOLIDAYS and EXTRA_WORKDAYS are comma-separated
dates (法定节假日, and the weekend days worked in exchange: 调休上班).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

_DAY_NAMES = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_RANGE = re.compile(r"(\d{1,2}):(\d{2})\s*[-–—~至到]\s*(\d{1,2}):(\d{2})")


class HoursError(ValueError):
    """A STAFF_HOURS / HOLIDAYS value that cannot be read (the message says why, in Chinese)."""


def _weekdays(spec: str) -> frozenset[int]:
    if spec in ("每天", "每日", "全天"):
        return frozenset(range(1, 8))
    m = re.fullmatch(r"(?:周|星期)([一二三四五六日天])\s*[至到\-–~]\s*(?:周|星期)?([一二三四五六日天])", spec)
    if m:
        a, b = _DAY_NAMES[m.group(1)], _DAY_NAMES[m.group(2)]
        return frozenset(range(a, b + 1))
    m = re.fullmatch(r"([1-7])\s*-\s*([1-7])", spec)
    if m:
        return frozenset(range(int(m.group(1)), int(m.group(2)) + 1))
    raise HoursError(f"看不懂工作日“{spec}”：请写成 周一至周五、周一至周六、每天 或 1-5")


def _dates(spec: str) -> frozenset[date]:
    out = set()
    for part in re.split(r"[,，\s]+", spec or ""):
        if part:
            try:
                out.add(date.fromisoformat(part))
            except ValueError as exc:
                raise HoursError(f"日期“{part}”应写成 YYYY-MM-DD") from exc
    return frozenset(out)


@dataclass(frozen=True)
class Hours:
    weekdays: frozenset[int]
    ranges: tuple[tuple[time, time], ...]
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    text: str = ""

    @classmethod
    def parse(cls, spec: str, holidays: str = "", extra_workdays: str = "") -> Hours:
        spec = (spec or "").strip()
        days, _, rest = spec.partition(" ")
        ranges = []
        for m in _RANGE.finditer(rest):
            start, end = time(int(m.group(1)), int(m.group(2))), time(int(m.group(3)), int(m.group(4)))
            if end <= start:
                raise HoursError(f"时间段 {m.group(0)} 的结束早于开始")
            ranges.append((start, end))
        if not ranges:
            raise HoursError(f"看不懂工作时间“{spec}”：请写成 周一至周五 09:00-17:00")
        return cls(_weekdays(days.strip()), tuple(ranges), _dates(holidays), _dates(extra_workdays), spec)

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def is_open(self, moment: datetime) -> bool:
        """Staff are at work at this (China-time) moment."""
        if not self.is_workday(moment.date()):
            return False
        now = moment.time()
        return any(start <= now < end for start, end in self.ranges)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after the day of `start`, up to and including the day of `end`."""
        count, day = 0, start.date() + timedelta(days=1)
        while day <= end.date():
            count += self.is_workday(day)
            day += timedelta(days=1)
        return count

    def add_working_days(self, start: datetime, days: int) -> date:
        """The date `days` working days after `start` (a promise such as 3 个工作日内 ends then)."""
        day = start.date()
        while days > 0:
            day += timedelta(days=1)
            days -= self.is_workday(day)
        return day
