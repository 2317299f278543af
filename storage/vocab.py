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


class CaseStatus(StrEnum):
    """Where a registered case (支持起诉 / 欠薪登记) stands: the green channel's steps in order, then the other ends."""

    REGISTERED = "registered"  # 已登记: waiting for the first call
    REVIEWING = "reviewing"  # 初核
    ACCEPTED = "accepted"  # 受理
    LEGAL_AID = "legal_aid"  # 法律援助
    SUPPORTED = "supported"  # 支持起诉意见
    CLOSED = "closed"  # 办结
    REJECTED = "rejected"  # 不予受理 (with a reason the applicant sees)
    REFERRED = "referred"  # 转交其他机构 (劳动监察, 法律援助中心, 法院, 妇联)
    WITHDRAWN = "withdrawn"  # 申请人撤回 (or asked for their data to be deleted)


CASE_STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "已登记",
    CaseStatus.REVIEWING: "初核",
    CaseStatus.ACCEPTED: "受理",
    CaseStatus.LEGAL_AID: "法律援助",
    CaseStatus.SUPPORTED: "支持起诉意见",
    CaseStatus.CLOSED: "办结",
    CaseStatus.REJECTED: "不予受理",
    CaseStatus.REFERRED: "已转交",
    CaseStatus.WITHDRAWN: "申请人撤回",
}
# The main line, in order: staff move a case forward along it (skipping steps is allowed, going back is not).
CASE_STATUS_ORDER: tuple[CaseStatus, ...] = (
    CaseStatus.REGISTERED,
    CaseStatus.REVIEWING,
    CaseStatus.ACCEPTED,
    CaseStatus.LEGAL_AID,
    CaseStatus.SUPPORTED,
    CaseStatus.CLOSED,
)
CASE_ENDED: frozenset[CaseStatus] = frozenset(
    {CaseStatus.CLOSED, CaseStatus.REJECTED, CaseStatus.REFERRED, CaseStatus.WITHDRAWN}
)


class CaseKind(StrEnum):
    """What a registered case is about."""

    WAGES = "wages"  # 欠工资 / 劳务费
    ELDER_SUPPORT = "elder_support"  # 赡养费
    CHILD_SUPPORT = "child_support"  # 抚养费
    DOMESTIC_VIOLENCE = "domestic_violence"  # 家暴 / 人身安全保护令
    WORK_INJURY = "work_injury"  # 工伤赔偿
    DISABILITY = "disability"  # 残疾人权益
    OTHER = "other"


CASE_KIND_LABELS: dict[CaseKind, str] = {
    CaseKind.WAGES: "欠工资、劳务费",
    CaseKind.ELDER_SUPPORT: "赡养费",
    CaseKind.CHILD_SUPPORT: "抚养费",
    CaseKind.DOMESTIC_VIOLENCE: "家庭暴力、人身安全保护令",
    CaseKind.WORK_INJURY: "工伤赔偿",
    CaseKind.DISABILITY: "残疾人权益",
    CaseKind.OTHER: "其他",
}

# Where staff can refer a case (with the applicant's consent to pass their details on: 个人信息保护法第23条).
REFERRAL_BODIES: dict[str, str] = {
    "labor_inspection": "劳动保障监察（人社局）",
    "legal_aid_center": "法律援助中心",
    "court": "人民法院",
    "womens_federation": "妇联",
    "disabled_federation": "残联",
    "other": "其他机构",
}
