"""Signing in (password, then the TOTP code when the account has one) and out, changing one's own password and
ending one's other sessions. Attempts are throttled per account and address (storage/login_throttle.py)."""

from __future__ import annotations

import logging
import math
import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from console.access import (
    client_address,
    current_token,
    end_session,
    landing_url,
    load_user,
    not_found,
    require_login,
    safe_next,
    services,
    start_session,
)
from console.passwords import hash_password, password_problem, verify_password
from console.totp import looks_like_recovery_code, matching_step, recovery_hash
from storage.console_sessions import token_digest

log = logging.getLogger("pufa.console")
bp = Blueprint("auth", __name__, url_prefix="/admin")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

SECOND_FACTOR_SECONDS = 300  # the code must follow the password within this time
PENDING = "second_factor"  # the session key for "password right, code still to come"


def _throttled(template: str, wait: float, **context):
    error = f"尝试次数太多，请 {math.ceil(wait)} 秒后再试。"
    return render_template(template, error=error, **context), 429


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.values.get("next"))
    if request.method == "GET":
        if (user := load_user()) is not None:
            return redirect(next_url or landing_url(user["role"]))
        return render_template("login.html", next=next_url, name="")

    store = services().store
    name = request.form.get("name", "").strip()[:64]
    password = request.form.get("password", "")[:256]
    address = client_address()
    wait = store.throttle.claim(name, address)
    if wait:
        log.warning("login throttled: account %r from %s (%.0f s)", name, address, wait)
        return _throttled("login.html", wait, next=next_url, name=name)
    account = store.accounts.get(name) if name else None
    ok = verify_password(account["password_hash"] if account else None, password)
    if not ok or account is None or account["disabled"]:
        log.warning("login failed: account %r from %s", name, address)
        return render_template("login.html", next=next_url, name=name, error="用户名或密码不对。"), 200
    if account["totp_secret"]:
        # The attempt stays counted until the code is right too: a known password alone gains nothing.
        session[PENDING] = {"name": name, "at": time.time(), "next": next_url}
        return redirect(url_for("auth.login_code"))
    return _signed_in(account, address, next_url)


def _signed_in(account: dict, address: str, next_url: str | None):
    services().store.throttle.succeeded(account["name"], address)
    start_session(account)
    log.info("login: %s (%s) from %s", account["name"], account["role"], address)
    return redirect(next_url or landing_url(account["role"]))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    """The second step for accounts with TOTP: a code from the app, or one of the recovery codes."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > SECOND_FACTOR_SECONDS:
        session.pop(PENDING, None)
        flash("请先输入用户名和密码。", "error")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("login_code.html")
    store = services().store
    name, address = str(pending["name"]), client_address()
    wait = store.throttle.claim(name, address)
    if wait:
        log.warning("second factor throttled: account %r from %s (%.0f s)", name, address, wait)
        return _throttled("login_code.html", wait)
    account = store.accounts.get(name)
    if account is None or account["disabled"] or not account["totp_secret"]:
        session.pop(PENDING, None)
        return redirect(url_for("auth.login"))
    code = request.form.get("code", "")
    if not _second_factor_ok(account, code):
        log.warning("second factor failed: account %r from %s", name, address)
        return render_template("login_code.html", error="验证码不对，或者已经用过了。"), 200
    session.pop(PENDING, None)
    return _signed_in(account, address, safe_next(pending.get("next")))


def _second_factor_ok(account: dict, code: str) -> bool:
    accounts = services().store.accounts
    name = account["name"]
    if looks_like_recovery_code(code):
        if not accounts.use_recovery_code(name, recovery_hash(code)):
            return False
        left = accounts.recovery_codes_left(name)
        log.warning("recovery code used: account %r (%d left)", name, left)
        flash(f"已用掉一个恢复码，还剩 {left} 个。恢复码用完前请到「我的账号」重新生成。", "ok")
        return True
    step = matching_step(account["totp_secret"], code)
    return step is not None and accounts.use_totp_step(name, step)


@bp.post("/logout")
def logout():
    user = load_user()
    end_session()
    if user:
        log.info("logout: %s", user["name"])
    flash("已退出。", "ok")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
def account():
    """Change one's own password (the current one is asked for again); every other session ends."""
    user = load_user()
    store = services().store
    if request.method == "POST":
        row = store.accounts.get(user["name"])
        new, confirm = request.form.get("new_password", ""), request.form.get("confirm", "")
        if not verify_password(row["password_hash"], request.form.get("password", "")):
            flash("当前密码不对。", "error")
        elif problem := password_problem(new, confirm, user["name"]):
            flash(problem, "error")
        else:
            store.accounts.set_password_hash(user["name"], hash_password(new))  # ends every session
            start_session(store.accounts.get(user["name"]))  # and this browser gets a new one
            log.info("password changed: %s", user["name"])
            flash("密码已修改，其他设备上的登录已失效。", "ok")
            return redirect(url_for("auth.account"))
    row = store.accounts.get(user["name"])
    sessions = store.sessions.of_account(user["name"])
    return render_template(
        "account.html",
        sessions=sessions,
        current_id=_current_digest(),
        totp_on=bool(row["totp_secret"]),
        recovery_left=store.accounts.recovery_codes_left(user["name"]) if row["totp_secret"] else 0,
    )


def _current_digest() -> str | None:
    token = current_token()
    return token_digest(token) if token else None


@bp.post("/account/sessions")
def end_other_sessions():
    user = load_user()
    ended = services().store.sessions.end_all(user["name"], keep_token=current_token())
    log.info("%s ended %d other sessions", user["name"], ended)
    flash(f"已让其他 {ended} 处登录失效。", "ok")
    return redirect(url_for("auth.account"))
