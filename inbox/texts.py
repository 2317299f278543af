"""What the bot says while a person leaves a message for staff: the prompt, the confirmation with the expected
reply date (working days from STAFF_HOURS / HOLIDAYS / EXTRA_WORKDAYS and STAFF_REPLY_PROMISE), and the rest."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from messaging.hours import Hours

WEEKDAYS = "一二三四五六日"
# The consultation log never holds what a person entrusts to staff: this stands in for it (storage/inbox.py keeps
# the message, encrypted).
LOG_PLACEHOLDER = "（给工作人员的留言，已加密保存）"
NOT_SAVED_LOG = "（留言没能保存，已请对方再发一次）"

CANCELLED = "好的，不留言了。您可以直接把问题发给我，回复 0 看问题菜单；急事请拨打检察服务热线 12309。"
TOO_SHORT = "请把事情写清楚一点再发给我：遇到了什么事、想请工作人员帮什么忙（打字、发语音都行）。\n回复“取消”不留言。"
NOT_SAVED = (
    "抱歉，系统忙，您的留言这次没能保存。请过一两分钟把这条消息再发一次；急事请拨打检察服务热线 12309，"
    "紧急情况请拨 110。"
)
ALSO_SENT = "\n\n您写给工作人员的这些话，也已经转给他们了。"
LATER = (
    "工作人员的回复会发到这个公众号的对话里。如果那时您已经两天没给公众号发过消息，回复会在您下次发消息时"
    "一起送到，所以过两天没收到的话，发一句“你好”就能看到。"
)


def day_text(day: date) -> str:
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def next_opening(hours: Hours, now: datetime) -> datetime | None:
    """When staff are next at work after `now` (None if the schedule never opens within a month)."""
    day = now.date()
    for _ in range(31):
        if hours.is_workday(day):
            for start, _end in hours.ranges:
                moment = datetime.combine(day, start, tzinfo=now.tzinfo)
                if moment > now:
                    return moment
        day += timedelta(days=1)
    return None


def prompt(hours: Hours, promise_days: int) -> str:
    return (
        "好的，请把您想告诉检察院工作人员的事写在下一条消息里（打字、发语音都行）：\n"
        "· 遇到了什么事，在哪里，什么时候；\n"
        "· 想请工作人员帮什么忙；\n"
        "· 愿意的话留个电话，方便工作人员联系您。\n"
        f"您写的内容只有工作人员能看到。工作人员上班时间是{hours.text}，一般 {promise_days} 个工作日内回复。\n"
        "回复“取消”不留言。"
    )


def confirmation(hours: Hours, promise_days: int, hotline_hours: str, now: datetime) -> str:
    """The reply to a message left: when an answer can be expected; outside working hours, says so and gives 12309."""
    due = day_text(hours.add_working_days(now, promise_days))
    if hours.is_open(now):
        head = f"收到，您的留言已经转给检察院的工作人员。\n工作人员会在 {promise_days} 个工作日内（最晚 {due}）回复您。"
    else:
        opening = next_opening(hours, now)
        when = f"{day_text(opening.date())} {opening:%H:%M} 上班后" if opening else "上班后"
        head = (
            f"收到，您的留言已经保存。现在是下班时间（工作人员上班时间：{hours.text}），{when}会处理，"
            f"{promise_days} 个工作日内（最晚 {due}）回复您。\n"
            f"急事请拨打检察服务热线 12309（{hotline_hours}）。"
        )
    return f"{head}\n{LATER}\n紧急情况请拨 110。"
