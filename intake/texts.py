"""What the registration says: the privacy notice (个人信息保护法第十四条、第十七条), the separate consent for
sensitive information (第二十八条至第三十一条), the summary, the confirmation, progress, withdrawal and deletion.
Every text fits WeChat's 2048-byte passive reply (tests/test_intake_texts.py checks each one)."""

from __future__ import annotations

from datetime import datetime

from dialogue.texts import MAX_REPLY_BYTES as MAX_BYTES
from intake import steps
from intake.kinds import spec
from intake.routing import Routing
from storage.db import CHINA_TZ
from storage.vocab import CASE_KIND_LABELS, REFERRAL_BODIES, CaseStatus

LOG_PLACEHOLDER = "（登记信息已加密保存）"  # what the consultation log keeps of a message the registration handled
REPLY_LOG_PLACEHOLDER = "（登记的回复，含个人信息，日志不保存）"  # and of the bot's reply to it
HOTLINE = "12309 检察服务热线"


def notice(procuratorate: str, retention_days: int, by_county: bool = False) -> str:
    """The notice before anything is collected: who, what for, which items, how long, sensitive data, withdrawal
    and deletion (个人信息保护法第十七条第一款); consent must be informed, voluntary and explicit (第十四条)."""
    kept = (
        f"提交的，办结后再保存 {retention_days} 天，然后删除称呼、电话、经过等个人信息，只留统计数字"
        if retention_days > 0
        else "提交的，按检察院档案规定保存"
    )
    return (
        "【登记前请先看：您的个人信息怎么用】\n"
        f"1. 谁收集：{procuratorate}（联系方式：{HOTLINE}）"
        + ("，由您所在县（区）的人民检察院具体办理。\n" if by_county else "。\n")
        + "2. 做什么用、怎么用：工作人员在内部系统里查看，只用于联系您、核实和办理您登记的事（初核、受理、"
        "协调法律援助、支持起诉），以及不含姓名电话的统计。\n"
        "3. 收集哪些：事情类别、为谁登记、称呼、手机号、所在县（区）、对方是谁、金额、开始时间、已经做过什么、"
        "有哪些证据、经过、方便接电话的时间。\n"
        f"4. 保存多久：没填完的 7 天后删除；{kept}。电话和经过加密保存，只有经办的工作人员能看。\n"
        "5. 敏感信息：伤情和健康、不满十四周岁孩子的信息属于敏感个人信息；受家庭暴力的情况泄露可能危及安全，"
        "同样严格保护。登记这类事时会再单独征得您的同意；孩子不满十四周岁的，要由父母或其他监护人登记。\n"
        "6. 撤回和删除：随时回复“撤回”撤回登记，回复“删除我的信息”删除您留下的全部信息。"
        "要转给劳动监察、法律援助中心、法院、妇联等机构办理时，会先告诉您并征得同意。\n"
        "不同意不影响您继续咨询；不回复，什么都不保存。\n"
        "回复 1 同意并开始登记；回复 2 不同意。"
    )


def sensitive_consent(kind: str) -> str:
    """A separate consent for sensitive information (第二十九条), with why it is needed and what it means for the
    person (第三十条)."""
    return (
        f"【单独同意】您登记的事涉及{spec(kind).sensitive}。\n"
        "法律规定，处理敏感个人信息要单独征得您的同意（个人信息保护法第二十九条）。\n"
        "为什么需要：工作人员要据此判断怎么帮您、该找哪个部门。\n"
        "对您的影响：一旦泄露可能伤害您，所以只给办理这件事的工作人员看，加密保存，不公开。\n"
        "回复 1 同意，接着登记；回复 2 不同意（这次填的内容马上删除；您也可以打 12309，或到检察院的 12309 "
        "检察服务中心当面说）。"
    )


CONSENT_DECLINED = (
    "好的，不登记，您的信息一条也没有保存。您可以继续问我问题；具体案件也可以打" + HOTLINE + "，"
    "或到当地检察院的 12309 检察服务中心当面说。"
)
CONSENT_UNCLEAR = "请回复 1 同意并开始登记，或回复 2 不同意。"
CANCELLED = "已取消登记，您这次填的内容已全部删除。想登记时回复“登记”。"
PAUSED = "登记先暂停，您填的内容保留 7 天：回复“继续登记”接着填。"
NOTHING_TO_RESUME = "没有没填完的登记（超过 7 天的已经删除）。想登记，回复“登记”。"
BUSY = "抱歉，刚才这条没保存上，请把您的回答再发一次。"
FIRST_STEP = "已经是第一项了。"
NOT_SKIPPABLE = "这一项要填，不能跳过。"
SAME_MATTER = "好的，这件事不用再登记了，这次填的内容已删除。回复“查询”可以看那次登记的进展。"


def commands_line(required: bool) -> str:
    skip = "、“跳过”不填" if not required else ""
    return f"——\n回复“返回”改上一项{skip}、“重填”从头填、“取消”不登记"


def step_text(name: str, data: dict, routing: Routing, prefix: str = "") -> str:
    """A step's question with its position and the commands that work there."""
    visible = steps.visible(data, routing)
    names = [s.name for s in visible]
    position = f"（第 {names.index(name) + 1} 项，共 {len(names)} 项）" if name in names else ""
    body = sensitive_consent(data.get("kind")) if name == "sensitive" else steps.question(name, data, routing)
    head = f"{prefix}\n\n" if prefix else ""
    return f"{head}{position}{body}\n{commands_line(steps.BY_NAME[name].required)}"


def duplicate_text(case: dict) -> str:
    return (
        f"您在 {day(case['created'])} 已经登记过“{CASE_KIND_LABELS.get(case['kind'], case['kind'])}”"
        f"（登记编号：{case['number']}，{applicant_status(case)}）。同一件事不用重复登记，工作人员会按那次登记联系您。"
    )


def summary(data: dict, routing: Routing) -> str:
    lines = ["请核对您登记的内容："]
    for i, step in enumerate(steps.visible(data, routing), start=1):
        if step.name in ("sensitive", "duplicate"):
            continue
        lines.append(f"{i}. {step.label}：{steps.shown_value(step.name, data, routing)}")
    county = data.get("county")
    if county or not routing.places:
        lines.append(f"（由{routing.for_county(county)}办理）")
    lines.append("回复 1 确认提交；要改哪一项，回复“改”和序号（如：改5）；回复“取消”不登记。")
    return "\n".join(lines)


def done(number: str, procuratorate: str, data: dict, promise_days: int, deadline: str) -> str:
    kind = spec(data.get("kind"))
    parts = [
        "登记成功！",
        f"登记编号：{number}",
        f"{procuratorate}的工作人员会在 {promise_days} 个工作日内（{deadline}前）打电话联系您（{mask_phone(data['phone'])}）。",
        f"请提前准备：{kind.prepare}",
    ]
    if steps.needs_advice(data):
        parts.append(kind.advice)
    parts.append("查进度：回复“查询”或登记编号；撤回：回复“撤回”；删除您的信息：回复“删除我的信息”。紧急情况请拨 110。")
    return "\n\n".join(parts)


def mask_phone(phone: str | None) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if phone and len(phone) == 11 else "—"


def day(ts: float) -> str:
    return datetime.fromtimestamp(ts, CHINA_TZ).strftime("%Y-%m-%d")


def applicant_status(case: dict, promise_days: int | None = None) -> str:
    """A case's status as the applicant reads it."""
    status = case["status"]
    if status == CaseStatus.REGISTERED:
        return "已登记，等待工作人员电话联系" + (f"（{promise_days} 个工作日内）" if promise_days else "")
    if status == CaseStatus.REFERRED:
        return f"已转交{REFERRAL_BODIES.get(case.get('referred_to') or '', '其他机构')}办理"
    return {
        CaseStatus.REVIEWING: "初核：工作人员正在了解、核实情况",
        CaseStatus.ACCEPTED: "已受理，正在办理",
        CaseStatus.LEGAL_AID: "正在为您协调法律援助",
        CaseStatus.SUPPORTED: "检察院已向法院出具支持起诉意见书",
        CaseStatus.CLOSED: "已办结",
        CaseStatus.REJECTED: "不予受理",
        CaseStatus.WITHDRAWN: "已撤回",
    }.get(status, status)


def progress(cases: list[dict], promise_days: int, has_draft: bool) -> str:
    """The person's registrations, newest first, as many as fit one reply (the newest note in full up to 150
    characters, older ones shorter)."""
    tail = ""
    if cases:
        tail = "\n\n撤回登记回复“撤回”；删除您的信息回复“删除我的信息”。"
    if has_draft:
        tail += "\n您还有一份没填完的登记，回复“继续登记”接着填。"
    if not cases:
        return "您还没有登记过。想让检察院工作人员联系您，回复“登记”。" + tail
    budget = MAX_BYTES - len(tail.encode()) - 60  # room for "（还有 N 件更早的登记）"
    blocks: list[str] = []
    for i, case in enumerate(cases):
        lines = [
            f"登记编号：{case['number']}（{day(case['created'])} 登记，{CASE_KIND_LABELS.get(case['kind'], case['kind'])}）",
            f"进展：{applicant_status(case, promise_days)}",
        ]
        note = case.get("public_note") or ""
        limit = 150 if i == 0 else 50
        if note:
            lines.append("说明：" + (note[:limit] + "……" if len(note) > limit else note))
        block = "\n".join(lines)
        if blocks and len("\n\n".join([*blocks, block]).encode()) > budget:
            break
        blocks.append(block)
    text = "\n\n".join(blocks)
    if len(cases) > len(blocks):
        text += f"\n\n（还有 {len(cases) - len(blocks)} 件更早的登记）"
    return text + tail


def case_update(case: dict, status_changed: bool, message: str | None) -> str:
    """What a status change or a staff message says to the applicant (sent through messaging)."""
    lines = [f"【登记进展】登记编号 {case['number']}"]
    if status_changed:
        lines.append(f"进展：{applicant_status(case)}")
    if message:
        lines.append(message)
    lines.append("回复“查询”可以随时看进展。")
    return "\n".join(lines)


def withdraw_prompt(case: dict) -> str:
    return (
        f"确定撤回登记（编号 {case['number']}，{CASE_KIND_LABELS.get(case['kind'], case['kind'])}，"
        f"{day(case['created'])} 登记）吗？撤回后工作人员不再办理，您留的电话和经过随即删除。\n"
        "回复 1 确定撤回；回复 2 不撤回。"
    )


def withdraw_choose(cases: list[dict]) -> str:
    lines = ["您要撤回哪一件登记？请回复数字："]
    lines += [
        f"{i}. 编号 {c['number']}（{CASE_KIND_LABELS.get(c['kind'], c['kind'])}，{day(c['created'])} 登记）"
        for i, c in enumerate(cases, start=1)
    ]
    return "\n".join(lines)


NOTHING_TO_WITHDRAW = "您没有可以撤回的登记（已办结、已撤回的不能再撤回）。回复“查询”看您的登记。"
WITHDRAWN = "已撤回登记（编号 {number}），工作人员不再办理，您留的电话和经过已删除。以后需要时可以重新登记。"
KEPT = "好的，没有撤回，也没有删除。"
DELETE_PROMPT = (
    "确定删除您在这里留下的全部信息吗？包括登记的电话、经过、没填完的登记和咨询记录；还在办理的登记会一并撤回，"
    "工作人员就联系不上您了。删除后不能恢复。\n回复 1 确定删除；回复 2 不删除。"
)
DELETED = "已删除您的全部信息（个人信息保护法第四十七条）。以后需要时可以重新登记。"
