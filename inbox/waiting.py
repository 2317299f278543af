"""How long a message for staff has waited, and whether the promised reply date (STAFF_REPLY_PROMISE working days
after it arrived, by STAFF_HOURS / HOLIDAYS / EXTRA_WORKDAYS) has passed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

from messaging.hours import Hours
from storage.db import CHINA_TZ


def waiting_minutes(thread: dict, now: float | None = None) -> int | None:
    """Minutes since the oldest message nobody has answered yet; None when nothing waits."""
    since = thread.get("waiting_since")
    return None if since is None else max(0, int(((time.time() if now is None else now) - since) // 60))


def duration_text(minutes: int) -> str:
    if minutes < 1:
        return "不到 1 分钟"
    if minutes < 60:
        return f"{minutes} 分钟"
    hours, mins = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} 小时" + (f" {mins} 分" if mins else "")
    days, hours = divmod(hours, 24)
    return f"{days} 天" + (f" {hours} 小时" if hours else "")


@dataclass(frozen=True)
class Waiting:
    minutes: int
    text: str  # 等了多久
    due: date  # the day the reply was promised by
    overdue: bool


def waiting(thread: dict, hours: Hours, promise_days: int, now: float | None = None) -> Waiting | None:
    minutes = waiting_minutes(thread, now)
    if minutes is None:
        return None
    since = datetime.fromtimestamp(thread["waiting_since"], CHINA_TZ)
    due = hours.add_working_days(since, promise_days)
    today = datetime.fromtimestamp(time.time() if now is None else now, CHINA_TZ).date()
    return Waiting(minutes, duration_text(minutes), due, today > due)
