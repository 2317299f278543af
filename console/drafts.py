"""Typed work survives an expired login: a form posted after the session (or its CSRF token) expired is kept
server-side, and after logging in again the page it came from opens with the text filled back in.

The draft's token goes in a cookie of the browser that typed it and in the page address after login; both must
match to read it, and it is read once. Passwords and uploaded files are never kept. The messages say 登录已过期 /
页面已过期 in plain words (never "CSRF").
"""

from __future__ import annotations

import json

from flask import Flask, flash, g, redirect, request, session, url_for
from markupsafe import Markup

from console.access import safe_next, services

DRAFT_SECONDS = 24 * 3600
COOKIE = "pufa_draft"
SKIP = {"csrf_token", "confirmed", "password", "new_password", "confirm", "next"}
NO_DRAFT_PATHS = ("/admin/login", "/admin/logout", "/admin/account")
MAX_FIELD_CHARS = 20_000
EXPIRED = "登录已过期，请重新登录。您刚才填写的内容已经保存，登录后会自动填回，检查后再提交一次即可。"
EXPIRED_NOTHING = "登录已过期，请重新登录。"
STALE = "页面已过期（可能在别的窗口重新登录过）。您刚才填写的内容已填回，请检查后再提交一次。"
RESTORED = "已填回登录过期前您填写的内容（尚未保存）。请检查后再提交一次。"


def _page() -> str:
    """The console page the form was on (the referrer), or the form's own address."""
    ref = request.referrer or ""
    if "/admin" in ref:
        path = ref[ref.index("/admin") :]
        if safe_next(path) and not path.startswith(NO_DRAFT_PATHS):
            return path
    return request.path


def _keep() -> str | None:
    if request.method != "POST" or request.path.startswith(NO_DRAFT_PATHS):
        return None
    fields = [(k, v[:MAX_FIELD_CHARS]) for k, v in request.form.items(multi=True) if k not in SKIP]
    if not any(v.strip() for _, v in fields):
        return None
    return services().store.drafts.keep(_page(), request.path, fields, DRAFT_SECONDS)


def _with_draft(path: str, token: str) -> str:
    path = path.split("#", 1)[0]
    return f"{path}{'&' if '?' in path else '?'}draft={token}"


def login_expired():
    """The answer to a console POST whose login has expired: keep the form, ask to log in, come back to it."""
    token = _keep()
    session.clear()
    if token is None:
        flash(EXPIRED_NOTHING, "error")
        back = _page() if not request.path.startswith(NO_DRAFT_PATHS) else None
        return redirect(url_for("auth.login", next=back))
    flash(EXPIRED, "error")
    response = redirect(url_for("auth.login", next=_with_draft(_page(), token)))
    response.set_cookie(COOKIE, token, max_age=DRAFT_SECONDS, httponly=True, samesite="Lax", path="/admin")
    return response


def page_expired():
    """A POST with a stale page (its CSRF token) from someone still logged in: back to the page, refilled."""
    token = _keep()
    if token is None:
        flash("页面已过期，请刷新后再操作一次。", "error")
        return redirect(_page())
    flash(STALE, "error")
    response = redirect(_with_draft(_page(), token))
    response.set_cookie(COOKIE, token, max_age=DRAFT_SECONDS, httponly=True, samesite="Lax", path="/admin")
    return response


def current_draft() -> dict | None:
    """The draft this page was opened with (?draft= and the matching cookie), read once; None otherwise."""
    if "form_draft" in g:
        return g.form_draft
    g.form_draft = None
    token = request.args.get("draft", "")
    if request.method == "GET" and token and request.cookies.get(COOKIE) == token:
        drafts = services().store.drafts
        g.form_draft = drafts.get(token, DRAFT_SECONDS)
        drafts.drop(token)
        if g.form_draft is not None:
            flash(RESTORED, "ok")
    return g.form_draft


def draft_fields(action: str) -> list[tuple[str, str]] | None:
    """The kept fields of the form that posts to `action`, when this page was opened with its draft."""
    draft = current_draft()
    return draft["fields"] if draft and draft["action"] == action else None


def init_drafts(app: Flask) -> None:
    @app.context_processor
    def draft_context():
        if not request.path.startswith("/admin") or request.path.startswith("/admin/static"):
            return {}
        draft = current_draft()
        if draft is None:
            return {"form_draft": None}
        data = json.dumps({"action": draft["action"], "fields": draft["fields"]}, ensure_ascii=False)
        # a JSON data block: never executed, so the CSP's script-src does not apply; "</" cannot end it early
        return {"form_draft": Markup(data.replace("<", "\\u003c"))}
