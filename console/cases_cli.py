"""`bot.py cases ...`: the registered cases from the command line, for scripts and a daily cron job.

    python bot.py cases list [--status S] [--json]
    python bot.py cases show NUMBER [--json]        (the phone number in full: recorded as a view with the number)
    python bot.py cases update NUMBER --status STATUS [--note TEXT] [--message TEXT]
    python bot.py cases overdue [--json]            (not called within CASE_CONTACT_PROMISE working days)

The store is opened with the server's key (DATA_KEY or SECRET_KEY), and a message goes to the applicant the way
the console sends it (pushed within 48 hours when the API is configured, else with their next reply).
"""

from __future__ import annotations

import getpass
import json
import sys
from datetime import datetime

import click

from intake.casework import Casework, CaseworkError
from intake.kinds import labels, spec
from intake.steps import CALL_TIMES, FOR_CHILD, FOR_WHOM
from messaging import Messenger
from pufa.services import open_store, wechat_client
from settings import Settings
from storage import Store
from storage.cases import CaseQuery
from storage.db import CHINA_TZ
from storage.vocab import CASE_KIND_LABELS, CASE_STATUS_LABELS, REFERRAL_BODIES, CaseStatus

STATUS_CHOICES = [str(s) for s in CaseStatus]


def _open() -> tuple[Store, Casework]:
    settings = Settings.from_env()
    store = open_store(settings)
    messenger = Messenger(store, wechat_client(settings, store))
    return store, Casework(store, messenger, settings.staff_hours, settings.CASE_CONTACT_PROMISE)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _time(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts, CHINA_TZ).isoformat(timespec="seconds") if ts else None


def _summary(case: dict, work: Casework) -> dict:
    """The fields of a case that carry no personal data (list, overdue)."""
    clock = work.clock(case)
    return {
        "number": case["number"],
        "status": case["status"],
        "status_label": CASE_STATUS_LABELS.get(case["status"], case["status"]),
        "kind": case["kind"],
        "kind_label": CASE_KIND_LABELS.get(case["kind"], case["kind"]),
        "procuratorate": case["procuratorate"],
        "county": case["county"],
        "amount": case["amount"],
        "created": _time(case["created"]),
        "first_contact": _time(case["first_contact"]),
        "assignee": case["assignee"],
        "working_days": clock.working_days,
        "deadline": clock.deadline.isoformat(),
        "overdue": clock.overdue,
    }


def _full(case: dict, store: Store, work: Casework) -> dict:
    kind, details = spec(case["kind"]), case.get("details") or {}
    messages = {m["id"]: m for m in store.outbox.for_ref("case_update", case["number"])}
    history = []
    for e in store.cases.history(case["id"]):
        sent = messages.get(e["outbox_id"]) if e["outbox_id"] else None
        history.append({
            "time": _time(e["ts"]), "actor": e["actor"], "action": e["action"], "from": e["from_status"],
            "to": e["to_status"], "note": e["note"], "message": e["message"], "detail": e["detail"],
            "delivery": {k: sent[k] for k in ("state", "channel", "error")} if sent else None,
        })  # fmt: skip
    return {
        **_summary(case, work),
        "phone": case.get("phone"),
        "amount_approx": bool(case["amount_approx"]),
        "name": details.get("name"),
        "for_whom": dict(FOR_WHOM + FOR_CHILD).get(case["for_whom"] or "", case["for_whom"]),
        "relation": details.get("relation"),
        "party": details.get("party"),
        "since": details.get("since"),
        "account": details.get("account"),
        "actions": labels(kind.actions, case["actions"]),
        "evidence": labels(kind.evidence, case["evidence"]),
        "call_time": dict(CALL_TIMES).get(case["call_time"] or "") or details.get("call_note"),
        "public_note": case.get("public_note"),
        "referred_to": REFERRAL_BODIES.get(case["referred_to"] or "", case["referred_to"]),
        "anonymised": bool(case["anonymised"]),
        "history": history,
    }


def _dump(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _line(s: dict) -> str:
    flag = "  【超期】" if s["overdue"] else ""
    return (f"{s['number']}\t{s['created'][:10]}\t{s['kind_label']}\t{s['status_label']}\t{s['procuratorate']}\t"
            f"{s['assignee'] or '-'}\t第 {s['working_days']} 个工作日{flag}")  # fmt: skip


@click.group()
def cases() -> None:
    """案件登记：列出、查看、改状态、超期提醒。"""


@cases.command("list")
@click.option("--status", type=click.Choice([*STATUS_CHOICES, "open"]), default=None, help="只列这个状态（open = 未结）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def cases_list(status: str | None, as_json: bool) -> None:
    """列出案件（新的在前），不含个人信息。"""
    store, work = _open()
    query = CaseQuery(status=None if status in (None, "open") else status, open_only=status == "open")
    rows = [_summary(c, work) for c in store.cases.search(query, personal=False)]
    if as_json:
        _dump(rows)
    elif not rows:
        click.echo("没有案件。")
    else:
        for row in rows:
            click.echo(_line(row))


@cases.command("show")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def cases_show(number: str, as_json: bool) -> None:
    """一件案件的全部内容和办理记录（含完整手机号：记入查看记录）。"""
    store, work = _open()
    case = store.cases.get(number)
    if case is None:
        raise click.ClickException(f"没有登记编号 {number}")
    store.case_access.record(_actor(), "cli_show", number)
    full = _full(case, store, work)
    if as_json:
        _dump(full)
        return
    for key in ("number", "status_label", "kind_label", "created", "procuratorate", "county", "name", "phone", "for_whom",
                "relation", "party", "amount", "since", "actions", "evidence", "account", "call_time", "assignee",
                "first_contact", "public_note"):  # fmt: skip
        if full.get(key) not in (None, ""):
            click.echo(f"{key}: {full[key]}")
    for e in full["history"]:
        change = f"{e['from'] or ''} -> {e['to']}" if e["to"] else ""
        sent = f" [通知：{e['delivery']['state']}]" if e["delivery"] else ""
        click.echo(f"  {e['time']} {e['actor']} {e['action']} {change} {e['note'] or ''} {e['message'] or ''}{sent}")


@cases.command("update")
@click.argument("number")
@click.option("--status", type=click.Choice(STATUS_CHOICES), required=True, help="新状态（和现在相同：只记备注或发消息）")
@click.option("--note", default="", help="内部备注（申请人看不到）")
@click.option("--message", default="", help="告诉申请人的话（不予受理时必填，写理由）")
def cases_update(number: str, status: str, note: str, message: str) -> None:
    """改案件状态（只能按顺序往后走），可加内部备注和给申请人的话；申请人会收到进展通知。"""
    store, work = _open()
    case = store.cases.get(number)
    if case is None:
        raise click.ClickException(f"没有登记编号 {number}")
    try:
        if status == case["status"]:
            result = work.note(case, _actor(), note, message)
        else:
            result = work.change_status(case, status, _actor(), note, message)
    except CaseworkError as exc:
        raise click.ClickException(str(exc)) from exc
    sent = result.get("outbox")
    told = f"；通知申请人：{sent['state']}" + (f"（{sent['error']}）" if sent.get("error") else "") if sent else ""
    click.echo(f"{number}：{CASE_STATUS_LABELS[CaseStatus(status)]}{told}")


@cases.command("overdue")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def cases_overdue(as_json: bool) -> None:
    """超过承诺期限还没联系申请人的案件（适合每天定时运行；有超期时退出码为 1）。"""
    store, work = _open()
    rows = [_summary(c, work) for c in store.cases.search(CaseQuery(open_only=True), personal=False)]
    late = [r for r in rows if r["overdue"]]
    if as_json:
        _dump(late)
    elif late:
        click.echo(f"{len(late)} 件超期未联系：")
        for row in late:
            click.echo(_line(row))
    else:
        click.echo("没有超期未联系的案件。")
    if late:
        sys.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(cases)
