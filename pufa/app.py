"""The app factory: a Flask app from a Settings object, with the webhook, the console and /healthz."""

from __future__ import annotations

import sqlite3

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from console import init_console
from handlers.webhook import bp as wechat_bp
from pufa.services import Services
from settings import Settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app from a Settings object (default: read from the environment)."""
    settings = settings or Settings.from_env()
    problems = settings.problems()
    if problems:
        raise SystemExit("配置有误：\n- " + "\n- ".join(problems))
    app = Flask(__name__, static_folder=None)
    app.config.update(
        TESTING=settings.testing,
        SECRET_KEY=settings.SECRET_KEY,
        MAX_CONTENT_LENGTH=settings.MAX_BODY_BYTES,
    )
    if settings.TRUSTED_PROXIES:  # behind nginx (deploy/nginx.conf): the client's address and scheme
        n = settings.TRUSTED_PROXIES
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    services = services or Services(settings)
    app.extensions["pufa"] = services
    app.register_blueprint(wechat_bp)
    init_console(app)

    @app.get("/healthz")
    def healthz():
        """200 when the FAQ loads, the database takes a write and nothing waits in the spool; else 503."""
        state = services.store.writer.health()
        body = {"status": "ok", "database": state["database"], "spooled": state["spooled"]}
        try:
            services.store.faq.version()
            body["faq_entries"] = len(services.dialogue.matcher())
        except Exception as exc:  # a database that cannot even be read
            state["ok"] = False
            body["faq"] = f"unreadable: {type(exc).__name__}: {exc}"
        if not state["ok"]:
            body["status"] = "unhealthy"
        return body, 200 if state["ok"] else 503

    @app.teardown_request
    def _reopen_after_database_errors(exc):
        if isinstance(exc, sqlite3.Error):  # e.g. read-only or I/O error: the next request gets a new connection
            services.store.db.discard()

    return app


__all__ = ["create_app"]
