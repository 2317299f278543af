"""Who is signed in, and what they may see: sessions, the login guard and the role check."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, jsonify, redirect, render_template, request, session, url_for

from storage.vocab import ROLE_LABELS, Role

ROLE_NAMES = ROLE_LABELS
MAX_NEXT = 2000


def services():
    return current_app.extensions["pufa"]


def client_address() -> str:
    """The caller's address (behind TRUSTED_PROXIES proxies, the one they forwarded)."""
    return (request.remote_addr or "?")[:64]


def start_session(account: dict) -> None:
    """Sign `account` in: a new session recorded on the server; the cookie gets its random token (and, since the
    cookie is cleared, a fresh CSRF token). A session this browser had before is ended."""
    store = services().store
    if old := session.get("sid"):
        store.sessions.end(old)
    flashes = session.get("_flashes")
    session.clear()
    if flashes:
        session["_flashes"] = flashes
    session.permanent = True
    lifetime = services().settings.SESSION_HOURS * 3600
    session["sid"] = store.sessions.start(account["name"], lifetime, client_address(), request.user_agent.string)
    g.pop("user", None)


def end_session() -> None:
    """Sign out: the server forgets the session, so a copy of the cookie opens nothing any more."""
    if token := session.get("sid"):
        services().store.sessions.end(token)
    session.clear()
    g.user = None


def current_token() -> str | None:
    return session.get("sid")


def load_user() -> dict | None:
    """The signed-in account for this request (None when nobody is, or the session has ended or expired)."""
    if "user" in g:
        return g.user
    g.user = None
    token = session.get("sid")
    if token:
        row = services().store.sessions.lookup(str(token))
        if row and not row["disabled"]:
            g.user = {"name": row["account"], "role": row["role"]}
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
    if request.method == "POST":  # typed work is kept through the login (console/drafts.py)
        from console.drafts import login_expired

        return login_expired()
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None))


def forbidden(message: str = "这个页面只有管理员能看。"):
    if wants_json():
        return jsonify(error="forbidden", message=message), 403
    return render_template("error.html", code=403, message=message), 403


def not_found(_exc=None):
    """The console's 404 page (registered on each console blueprint, so other parts of the app keep theirs)."""
    return render_template("error.html", code=404, message="没有这个页面或条目。"), 404


def require_login():
    """before_request for every console blueprint except the login page and static files."""
    if request.endpoint in ("auth.login", "auth.login_code", "console.static"):
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


def require_roles(*roles: Role):
    """before_request for blueprints open to some roles only (e.g. cases and the staff inbox: caseworkers and
    admins; FAQ editors never see personal data)."""
    allowed = {str(r) for r in roles}

    def check():
        user = load_user()
        if user is None:
            return unauthorized()
        if user["role"] not in allowed:
            names = "、".join(ROLE_NAMES[Role(r)] for r in sorted(allowed))
            return forbidden(f"这个页面只有{names}能看。")
        return None

    return check


def landing_url(role: str) -> str:
    """Where a signed-in account starts: caseworkers at their cases (the inbox is one click away, with its count in
    the menu), everyone else at the FAQ."""
    return url_for("cases.index" if role == Role.CASEWORKER else "faq.index")


def safe_next(target: str | None) -> str | None:
    """Only local console paths are allowed after login (no open redirect, nothing that breaks the Location
    header: control characters, line breaks and other unprintable characters are refused)."""
    if not target or len(target) > MAX_NEXT or not target.isprintable() or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/admin"):
        return None
    return target
