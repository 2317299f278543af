"""Typed work survives an expired login: a form posted after the session (or its CSRF token) expired is kept
server-side, and after logging in again the page it came from opens with the text filled back in.

The draft's token goes in a cookie of the browser that typed it and in the page address after login; both must
match to read it, and it is read once. Passwords and uploaded files are never kept. The messages say 登录已过期 /
页面已过期 in plain words (never "CSRF").
"""

from __future__ import annotations

from flask import Flask, flash, g, make_response, redirect, render_template, request, url_for

from console.access import safe_next, services

DRAFT_SECONDS = 24 * 3600
COOKIE = "pufa_draft"
SKIP = {"csrf_token", "confirmed", "password", "new_password", "confirm", "next"}
NO_DRAFT_PATHS = ("/admin/login", "/admin/logout", "/admin/account")
MAX_FIELD_CHARS = 20_000
EXPIRED = "登录已过期，请重新登录。您刚才填写的内容已经保存，登录后会自动填回，检查后再提交一次即可。"
EXPIRED_NOTHING = "登录已过期，请重新登录。"
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


def _remember(token: str | None, response):
    if token is not None:
        response.set_cookie(COOKIE, token, max_age=DRAFT_SECONDS, httponly=True, samesite="Lax", path="/admin")
    return response


def login_expired():
    """A console POST from someone whose login has expired (its page was still fresh): keep the form, send them
    to the login page, and after it back to the page, filled in."""
    token = _keep()
    flash(EXPIRED if token else EXPIRED_NOTHING, "error")
    back = _with_draft(_page(), token) if token else (None if request.path.startswith(NO_DRAFT_PATHS) else _page())
    return _remember(token, redirect(url_for("auth.login", next=back)))


def page_expired(logged_in: bool):
    """A POST whose page has expired (no valid CSRF token): refused (400), with what was typed kept.

    Still logged in (e.g. logged in again in another window): a link back to the page, filled in. Logged out:
    the login form on the same page, leading back there."""
    token = _keep()
    back = _with_draft(_page(), token) if token else _page()
    if request.path.startswith(NO_DRAFT_PATHS):
        back = None
    page = render_template(
        "expired.html",
        logged_in=logged_in,
        kept=token is not None,
        back=back,
        next=back,
    )
    return _remember(token, make_response(page, 400))


def current_draft() -> dict | None:
    """The draft this page was opened with (?draft= and the matching cookie), read once; None otherwise."""
    if "form_draft" in g:
        return g.form_draft
    g.form_draft = None
    token = request.args.get("draft", "")
    if not token or request.endpoint == "auth.login":
        return None
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
        # rendered with |tojson in a JSON data block: never executed, so the CSP's script-src does not apply
        return {"form_draft": {"action": draft["action"], "fields": draft["fields"]} if draft else None}
