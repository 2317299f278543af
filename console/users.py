"""/admin/users (admins): add accounts, change roles, reset passwords, disable and enable, end an account's
sessions, reset its second factor (a lost phone).

The console never leaves itself without an active admin, and an admin cannot lock themself out.
"""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console.access import ROLE_NAMES, load_user, not_found, require_admin, services
from console.confirm import ask_first, confirmed
from console.passwords import hash_password, name_problem, password_problem
from storage.vocab import Role

log = logging.getLogger("pufa.console")
bp = Blueprint("users", __name__, url_prefix="/admin/users")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)


def _accounts():
    return services().store.accounts


def _page(status: int = 200, **context):
    # 「添加账号」 starts at the least powerful role (Role lists them most powerful first)
    sessions = services().store.sessions.active_counts()
    return render_template(
        "users.html",
        accounts=_accounts().all(),
        roles=ROLE_NAMES,
        default_role=list(Role)[-1],
        sessions=sessions,
        places=services().settings.procuratorates.names,
        **context,
    ), status


@bp.get("")
def index():
    return _page()


def _procuratorate(role: str, value: str | None) -> tuple[str | None, str | None]:
    """(procuratorate, problem): a caseworker belongs to one of the configured procuratorates."""
    value = (value or "").strip() or None
    names = services().settings.procuratorates.names
    if value and value not in names:
        return None, "请从列表里选择检察院"
    if role == "caseworker" and not value:
        return None, "办案人员要选择所属检察院（只能看到这个检察院的案件）"
    return value, None


@bp.post("")
def add():
    accounts = _accounts()
    name = request.form.get("name", "").strip()
    role = request.form.get("role", "")
    password, confirm = request.form.get("password", ""), request.form.get("confirm", "")
    procuratorate, place_problem = _procuratorate(role, request.form.get("procuratorate"))
    problem = (
        name_problem(name)
        or (None if role in ROLE_NAMES else "请选择角色")
        or ("这个用户名已存在" if accounts.get(name) else None)
        or place_problem
        or password_problem(password, confirm, name)
    )
    if problem:
        flash(problem, "error")
        return _page(422, form=request.form)
    accounts.add(name, role, hash_password(password), procuratorate)
    log.info("account %s added as %s by %s", name, role, load_user()["name"])
    flash(f"已添加{ROLE_NAMES[role]}：{name}", "ok")
    return redirect(url_for("users.index"))


def _other_active_admins(name: str) -> int:
    return sum(1 for a in _accounts().all() if a["role"] == "admin" and not a["disabled"] and a["name"] != name)


@bp.post("/<name>/update")
def update(name: str):
    accounts = _accounts()
    account = accounts.get(name)
    if account is None:
        return render_template("error.html", code=404, message="没有这个账号。"), 404
    action = request.form.get("action", "")
    me = load_user()["name"]
    log.info("account %s: %s by %s", name, action, me)
    losing_admin = account["role"] == "admin" and (
        action == "disable" or (action == "role" and request.form.get("role") != "admin")
    )
    if losing_admin and (name == me or not _other_active_admins(name)):
        flash("不能停用或降级自己，也不能让系统没有可用的管理员。", "error")
    elif action == "procuratorate":
        procuratorate, problem = _procuratorate(account["role"], request.form.get("procuratorate"))
        if problem:
            flash(problem, "error")
        else:
            accounts.set_procuratorate(name, procuratorate)
            flash(f"{name} 现在属于{procuratorate or '（不属于任何检察院）'}。", "ok")
    elif action == "role" and request.form.get("role") in ROLE_NAMES:
        role = request.form["role"]
        accounts.set_role(name, role)  # applies to the account's running sessions at once
        flash(f"{name} 现在是{ROLE_NAMES[role]}。", "ok")
    elif action == "disable" and not confirmed():
        return ask_first(f"停用账号 {name}？", "停用后这个账号立即不能登录，已登录的也会退出。可以随时重新启用。", "停用")
    elif action in ("disable", "enable"):
        accounts.set_disabled(name, action == "disable")  # disabling ends the account's sessions
        flash(f"已{'停用' if action == 'disable' else '启用'}账号 {name}。", "ok")
    elif action == "password":
        password = request.form.get("password", "")
        if problem := password_problem(password, name=name):
            flash(problem, "error")
        else:
            accounts.set_password_hash(name, hash_password(password))  # ends that account's sessions
            flash(f"已重设 {name} 的密码，它的登录都已失效。", "ok")
    elif action == "end_sessions":
        ended = services().store.sessions.end_all(name)
        flash(f"已让 {name} 的 {ended} 处登录失效。", "ok")
    elif action == "reset_2fa":
        accounts.clear_totp(name, end_sessions=True)
        flash(f"已关闭 {name} 的两步验证，它的登录都已失效；请对方登录后重新开启。", "ok")
    else:
        flash("未知操作。", "error")
    return redirect(url_for("users.index"))
