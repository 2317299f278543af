"""Signing in and out, and changing one's own password. Failed logins are throttled per account and per address."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from console.access import load_user, not_found, require_login, safe_next, services, start_session
from console.passwords import hash_password, password_problem, verify_password

log = logging.getLogger("pufa.console")
bp = Blueprint("auth", __name__, url_prefix="/admin")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
THROTTLED = "登录失败次数过多，请 15 分钟后再试。"


def _throttled(accounts, name: str, address: str) -> bool:
    return (
        accounts.recent_failures(WINDOW_SECONDS, account=name) >= MAX_FAILURES_PER_ACCOUNT
        or accounts.recent_failures(WINDOW_SECONDS, address=address) >= MAX_FAILURES_PER_ADDRESS
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if load_user() is not None:
            return redirect(next_url or url_for("faq.index"))
        return render_template("login.html", next=next_url, name="")

    accounts = services().store.accounts
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")[:256]
    address = request.remote_addr or "?"
    if _throttled(accounts, name, address):
        log.warning("login throttled: account %r from %s", name, address)
        return render_template("login.html", next=next_url, name=name, error=THROTTLED), 429
    account = accounts.get(name) if name else None
    ok = verify_password(account["password_hash"] if account else None, password)
    if not ok or account is None or account["disabled"]:
        accounts.record_failure(name, address)
        log.warning("login failed: account %r from %s", name, address)
        return render_template("login.html", next=next_url, name=name, error="用户名或密码不对。"), 200
    accounts.clear_failures(name)
    start_session(account)
    log.info("login: %s (%s) from %s", name, account["role"], address)
    return redirect(next_url or url_for("faq.index"))


@bp.post("/logout")
def logout():
    session.clear()
    flash("已退出。", "ok")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """Change one's own password (the current one is asked for again)."""
    user = load_user()
    if request.method == "POST":
        accounts = services().store.accounts
        row = accounts.get(user["name"])
        new, confirm = request.form.get("new_password", ""), request.form.get("confirm", "")
        if not verify_password(row["password_hash"], request.form.get("password", "")):
            flash("当前密码不对。", "error")
        elif problem := password_problem(new, confirm):
            flash(problem, "error")
        else:
            accounts.set_password_hash(user["name"], hash_password(new))
            start_session(accounts.get(user["name"]))  # other sessions of this account end
            flash("密码已修改。", "ok")
            return redirect(url_for("auth.account"))
    return render_template("account.html")
