"""/admin/account/2fa: turn the TOTP second factor on (QR code or the secret, confirmed with a code from the app;
then ten recovery codes shown once), make new recovery codes, or turn it off. Recommended for admins, who can see
the consultation log; any account may use it."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console.access import load_user, not_found, require_login, services
from console.passwords import verify_password
from console.totp import grouped, matching_step, new_recovery_codes, new_secret, provisioning_uri, qr_data_uri
from console.totp import recovery_hash as hash_code

log = logging.getLogger("pufa.console")
bp = Blueprint("two_factor", __name__, url_prefix="/admin/account/2fa")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)


def _enrol_page(name: str, secret: str, error: str | None = None, status: int = 200):
    uri = provisioning_uri(secret, name)
    return render_template(
        "two_factor.html", step="enrol", qr=qr_data_uri(uri), secret=grouped(secret), error=error
    ), status


def _codes_page(codes: list[str]):
    return render_template("two_factor.html", step="codes", codes=codes)


@bp.get("")
def index():
    row = services().store.accounts.get(load_user()["name"])
    left = services().store.accounts.recovery_codes_left(row["name"]) if row["totp_secret"] else 0
    return render_template("two_factor.html", step="status", on=bool(row["totp_secret"]), left=left)


@bp.post("")
def change():
    accounts = services().store.accounts
    name = load_user()["name"]
    row = accounts.get(name)
    action = request.form.get("action", "")
    if action == "start" and not row["totp_secret"]:
        secret = new_secret()
        accounts.set_totp_pending(name, secret)
        return _enrol_page(name, secret)
    if action == "confirm" and row["totp_pending"] and not row["totp_secret"]:
        step = matching_step(row["totp_pending"], request.form.get("code", ""))
        if step is None:
            return _enrol_page(
                name, row["totp_pending"], "验证码不对：请确认手机时间准确，输入应用里当前显示的 6 位数字。", 422
            )
        codes = new_recovery_codes()
        if not accounts.activate_totp(name, row["totp_pending"], step, [hash_code(c) for c in codes]):
            flash("开启失败，请重新开始。", "error")
            return redirect(url_for("two_factor.index"))
        log.info("second factor on: %s", name)
        return _codes_page(codes)
    if action in ("codes", "off") and row["totp_secret"]:
        if not verify_password(row["password_hash"], request.form.get("password", "")):
            flash("当前密码不对。", "error")
            return redirect(url_for("two_factor.index"))
        if action == "codes":
            codes = new_recovery_codes()
            accounts.replace_recovery_codes(name, [hash_code(c) for c in codes])
            log.info("new recovery codes: %s", name)
            return _codes_page(codes)
        accounts.clear_totp(name)
        log.warning("second factor off: %s", name)
        flash("已关闭两步验证。", "ok")
        return redirect(url_for("auth.account"))
    flash("请重新操作一次。", "error")
    return redirect(url_for("two_factor.index"))
