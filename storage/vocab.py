"""The project's fixed vocabularies, each defined once: what a reply's outcome was, and who a console user is.

Everything that stores, counts or shows an outcome or a role imports it from here; the console's Chinese labels
sit beside each value, and a test checks every value has one.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """What the bot did with one message (the consultation log's `outcome` column)."""

    ANSWERED = "answered"  # a confident FAQ answer
    TENTATIVE = "tentative"  # "我理解您问的是…": an FAQ answer we are not sure of, with alternatives offered
    SUGGESTED = "suggested"  # only numbered choices
    UNANSWERED = "unanswered"  # the fallback: the bot could not help
    EMERGENCY = "emergency"  # danger now: the emergency numbers first
    HANDOFF = "handoff"  # the person asked for a human: how to reach staff
    INTAKE = "intake"  # a step of registering a case (支持起诉 / 欠薪登记)
    INBOX = "inbox"  # a message left for staff, or a staff reply delivered
    LLM = "llm"  # the model's answer
    PENDING = "pending"  # the model's answer will come later
    MENU = "menu"  # the menu, a topic list, a greeting
    EVENT = "event"  # follow, unfollow, other events
    OTHER = "other"  # images, unknown kinds, deliveries of late answers


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.ANSWERED: "已答复",
    Outcome.TENTATIVE: "试答（不确定）",
    Outcome.SUGGESTED: "给出选项",
    Outcome.UNANSWERED: "未答上",
    Outcome.EMERGENCY: "紧急求助",
    Outcome.HANDOFF: "找人工",
    Outcome.INTAKE: "案件登记",
    Outcome.INBOX: "留言",
    Outcome.LLM: "大模型答复",
    Outcome.PENDING: "大模型处理中",
    Outcome.MENU: "菜单",
    Outcome.EVENT: "事件",
    Outcome.OTHER: "其他",
}

# Outcomes a person should look at: they feed the console's 未答问题 queue.
NEEDS_REVIEW: tuple[Outcome, ...] = (Outcome.UNANSWERED, Outcome.TENTATIVE, Outcome.SUGGESTED, Outcome.LLM)


class Role(StrEnum):
    """Console roles, from most to least powerful."""

    ADMIN = "admin"  # everything: accounts, the log, statistics, every case
    CASEWORKER = "caseworker"  # 办案人员: the cases of their procuratorate and the staff inbox
    EDITOR = "editor"  # the FAQ and the unanswered queue; no personal data


ROLE_LABELS: dict[Role, str] = {Role.ADMIN: "管理员", Role.CASEWORKER: "办案人员", Role.EDITOR: "编辑"}
