"""Who is signed in, and what they may see: sessions, the login guard and the role check."""

from __future__ import annotations

import hashlib
import hmac
import time
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, redirect, render_template, request, session, url_for

from storage.vocab import ROLE_LABELS

ROLE_NAMES = ROLE_LABELS


def services():
    return current_app.extensions["pufa"]


def fingerprint(password_hash: str) -> str:
    """A short keyed digest of the password hash: changing the password ends every other session."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:24]


def start_session(account: dict) -> None:
    session.clear()  # also drops the old CSRF token
    session.permanent = True
    session["user"] = account["name"]
    session["auth"] = fingerprint(account["password_hash"])
    session["login_at"] = time.time()


def load_user() -> dict | None:
    """The signed-in account for this request (None when nobody is, or the session has expired)."""
    if "user" in g:
        return g.user
    g.user = None
    name = session.get("user")
    if name:
        account = services().store.accounts.get(name)
        max_age = services().settings.SESSION_HOURS * 3600
        fresh = time.time() - float(session.get("login_at", 0)) < max_age
        if (
            account
            and not account["disabled"]
            and fresh
            and session.get("auth") == fingerprint(account["password_hash"])
        ):
            g.user = {"name": account["name"], "role": account["role"]}
        else:
            session.clear()
    return g.user


def wants_json() -> bool:
    """Non-page requests (API paths, XHR, or an Accept header preferring JSON) get status codes, not redirects."""
    if request.path.startswith("/admin/api/") or request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return True
    accept = request.accept_mimetypes
    if not accept:
        return False
    html = accept.quality("text/html")
    return html == 0 or accept.quality("application/json") > html


def unauthorized():
    if wants_json():
        return jsonify(error="unauthorized", message="请先登录"), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


def forbidden():
    if wants_json():
        return jsonify(error="forbidden", message="需要管理员权限"), 403
    return render_template("error.html", code=403, message="这个页面只有管理员能看。"), 403


def not_found(_exc=None):
    """The console's 404 page (registered on each console blueprint, so other parts of the app keep theirs)."""
    return render_template("error.html", code=404, message="没有这个页面或条目。"), 404


def require_login():
    """before_request for every console blueprint except the login page and static files."""
    if request.endpoint in ("auth.login", "console.static"):
        return None
    if load_user() is None:
        return unauthorized()
    return None


def require_admin():
    """before_request for admin-only blueprints."""
    user = load_user()
    if user is None:
        return unauthorized()
    if user["role"] != "admin":
        return forbidden()
    return None


def admin_required(view):
    """Decorator for admin-only views inside blueprints editors may use."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        refused = require_admin()
        return refused if refused is not None else view(*args, **kwargs)

    return wrapped


def safe_next(target: str | None) -> str | None:
    """Only local console paths are allowed after login (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin") or "\\" in target:
        return None
    return target
