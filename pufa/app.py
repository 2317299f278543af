"""The app factory: a Flask app from a Settings object, with the webhook, the console and /healthz."""

from __future__ import annotations

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
    if settings.TRUSTED_PROXIES:
        # Only the address: the last TRUSTED_PROXIES entries of X-Forwarded-For were added by our own proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.TRUSTED_PROXIES, x_proto=0, x_host=0, x_port=0)
    services = services or Services(settings)
    app.extensions["pufa"] = services
    app.register_blueprint(wechat_bp)
    init_console(app)

    @app.get("/healthz")
    def healthz():
        services.store.faq.version()
        return {"status": "ok", "faq_entries": len(services.dialogue.matcher())}

    return app


__all__ = ["create_app"]
