"""The app factory: a Flask app from a Settings object, with the webhook, the console and /healthz."""

from __future__ import annotations

from flask import Flask

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
