"""The staff/admin web console under /admin: FAQ editing, the unanswered queue, model-answer review, the log,
statistics, accounts.

`init_console(app)` wires it into an app built by `bot.create_app`: cookie and CSRF settings, the blueprints,
the login guard, security headers and the Chinese error pages. Views speak HTTP and call the core (faq/,
knowledge/, storage/); all SQL stays in storage/.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect

from console.access import landing_url, load_user, require_login
from console.drafts import init_drafts
from console.import_limits import MAX_FILE_BYTES

# FAQ imports (the file plus the form around it); the webhook keeps its own small MAX_BODY_BYTES
CONSOLE_MAX_BYTES = MAX_FILE_BYTES + 256 * 1024
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none';"
    " base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

csrf = CSRFProtect()
console_bp = Blueprint(
    "console",
    __name__,
    static_folder="static",
    static_url_path="/static",
    template_folder="templates",
    url_prefix="/admin",
)
console_bp.before_request(require_login)  # lets the static files through


class ConsoleSessions(SecureCookieSessionInterface):
    """Session cookies belong to the console: the webhook (thousands of messages) never opens one."""

    def open_session(self, app, request):
        if not request.path.startswith("/admin"):
            return self.make_null_session(app)
        return super().open_session(app, request)


@console_bp.get("/")
def home():
    user = load_user()
    return redirect(landing_url(user["role"]) if user else url_for("faq.index"))


def init_console(app: Flask) -> None:
    """Register the console on `app` (called by create_app)."""
    from console import (
        api,
        auth,
        cases,
        conversation,
        faq,
        faq_history,
        faq_transfer,
        faq_try,
        faq_undo,
        inbox,
        llm_review,
        logs,
        privacy,
        stats,
        two_factor,
        unanswered,
        users,
    )
    from console.filters import register_filters

    settings = app.extensions["pufa"].settings
    app.session_interface = ConsoleSessions()
    app.config.update(
        SESSION_COOKIE_NAME="pufa_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=bool(settings.HTTPS),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.SESSION_HOURS),
        WTF_CSRF_TIME_LIMIT=settings.SESSION_HOURS * 3600,
    )
    # Registered before CSRFProtect so that its form parsing already sees the console's upload limit.
    app.before_request(_console_body_limit)
    csrf.init_app(app)
    if "wechat" in app.blueprints:  # WeChat's servers cannot send a CSRF token; the webhook checks signatures
        csrf.exempt(app.blueprints["wechat"])

    blueprints = [
        console_bp,
        auth.bp,
        two_factor.bp,
        faq.bp,
        faq_history.bp,
        faq_try.bp,
        faq_transfer.bp,
        faq_undo.bp,
        unanswered.bp,
        llm_review.bp,
        logs.bp,
        stats.bp,
        users.bp,
        privacy.bp,
        cases.bp,
        api.bp,
        inbox.bp,
        conversation.bp,
    ]
    for bp in blueprints:  # each guards itself: require_login, require_admin (logs, stats, users, privacy) or require_roles (cases)
        app.register_blueprint(bp)
    register_filters(app)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _not_allowed)
    app.register_error_handler(413, _too_large)
    init_drafts(app)


def _console_body_limit() -> None:
    if request.path.startswith("/admin"):
        request.max_content_length = CONSOLE_MAX_BYTES


def _security_headers(response):
    if request.path.startswith("/admin"):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/admin/static/"):
            response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_error(exc: CSRFError):
    """A form whose page (its CSRF token) or login expired: keep what was typed and say so in plain words."""
    from console.access import load_user, wants_json
    from console.drafts import page_expired

    if not request.path.startswith("/admin"):
        return "CSRF token missing or invalid", 400
    if wants_json():
        return {"error": "expired", "message": "页面已过期，请刷新后再试"}, 400
    return page_expired(logged_in=load_user() is not None)


def _not_found(exc):
    """Unknown addresses under /admin get the console's own page, in Chinese; elsewhere Flask's default."""
    if not request.path.startswith("/admin"):
        return exc
    from console.access import not_found

    return not_found(exc)


def _too_large(exc):
    if not request.path.startswith("/admin"):
        return exc
    message = f"上传的文件太大：最多 {MAX_FILE_BYTES // 1024 // 1024} MB。问答库导出的文件通常不到 1 MB。"
    return render_template("error.html", code=413, message=message), 413


def _not_allowed(exc):
    if not request.path.startswith("/admin"):
        return exc
    return render_template("error.html", code=405, message="这个地址不能这样打开。请从菜单进入。"), 405


__all__ = ["init_console", "csrf"]
