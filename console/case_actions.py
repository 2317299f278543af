"""The case page's forms: status changes (with an internal note and an optional message to the applicant), the first
call, a note or message on its own, assignment and referral. Each redirects back to the case with what happened,
including how the message to the applicant went (pushed now, or waiting for their next message)."""

from __future__ import annotations

import logging

from flask import flash, redirect, request, url_for

from console.access import services
from console.cases import actor, bp, case_or_404, delivery_label, render_case
from intake.casework import CaseworkError
from storage.vocab import CASE_STATUS_LABELS, REFERRAL_BODIES

log = logging.getLogger("pufa.console")
MAX_NOTE = 2000


def _form(name: str) -> str:
    return (request.form.get(name) or "").strip()[:MAX_NOTE]


def _done(number: str, what: str, result: dict | None = None):
    sent = (result or {}).get("outbox")
    if sent:
        what += f"已通知申请人：{delivery_label(sent)}。"
    flash(what, "ok")
    return redirect(url_for("cases.show", number=number))


def _refused(case: dict, exc: CaseworkError):
    return render_case(case, problem=str(exc), status=422)


@bp.post("/<number>/status")
def change_status(number: str):
    case = case_or_404(number)
    status = request.form.get("status", "")
    work = services().casework
    try:
        result = work.change_status(case, status, actor(), _form("note"), _form("message"))
    except CaseworkError as exc:
        return _refused(case, exc)
    if request.form.get("contacted") and not services().store.cases.get(number)["first_contact"]:
        work.contacted(case, actor())
    log.info("case %s: %s -> %s by %s", number, case["status"], status, actor())
    return _done(number, f"状态已改为“{CASE_STATUS_LABELS.get(status, status)}”。", result)


@bp.post("/<number>/contact")
def contact(number: str):
    case = case_or_404(number)
    try:
        services().casework.contacted(case, actor(), _form("note"))
    except CaseworkError as exc:
        return _refused(case, exc)
    return _done(number, "已记录第一次联系。")


@bp.post("/<number>/note")
def note(number: str):
    case = case_or_404(number)
    try:
        result = services().casework.note(case, actor(), _form("note"), _form("message"))
    except CaseworkError as exc:
        return _refused(case, exc)
    return _done(number, "已保存。", result)


@bp.post("/<number>/assign")
def assign(number: str):
    case = case_or_404(number)
    name = request.form.get("assignee", "").strip()
    if request.form.get("me"):
        name = actor()
    if name and name not in {w["name"] for w in services().store.accounts.caseworkers()} and name != actor():
        return _refused(case, CaseworkError("请从列表里选择承办人"))
    services().casework.assign(case, name or None, actor())
    return _done(number, f"承办人：{name or '（未指定）'}。")


@bp.post("/<number>/refer")
def refer(number: str):
    case = case_or_404(number)
    body = request.form.get("body", "")
    try:
        result = services().casework.refer(
            case, body, _form("reason"), actor(), bool(request.form.get("consent")), _form("message")
        )
    except CaseworkError as exc:
        return _refused(case, exc)
    return _done(number, f"已转交{REFERRAL_BODIES[body]}。", result)
