"""The production server: gunicorn with gthread workers that read whole requests before a thread sees them
(pufa.buffering: slow clients cannot starve the webhook), app preloaded so jieba's dictionary loads once."""

from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication

from pufa.buffering import BufferingWorker
from pufa.framing import Limits
from settings import Settings

log = logging.getLogger("pufa")


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict):
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return self._app


def _post_fork(server, worker) -> None:
    # SQLite connections are per process (storage.db checks the pid); nothing else to reset.
    worker.log.info("worker %s ready", worker.pid)


def gunicorn_options(settings: Settings, host: str, port: int, workers: int | None = None) -> dict:
    BufferingWorker.limits = Limits(read_timeout=settings.REQUEST_READ_TIMEOUT, body_bytes=settings.MAX_BODY_BYTES)
    return {
        "bind": f"{host}:{port}",
        "workers": workers or settings.WEB_WORKERS,
        "threads": settings.web_threads,
        "worker_class": "pufa.buffering.BufferingWorker",
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        # At most 16 connections per worker, so keep-alive clients spread over all workers; connections still
        # sending their request do not count (pufa.buffering), so slow clients cannot take the slots.
        "worker_connections": 16,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.LOG_LEVEL.lower(),
        "post_fork": _post_fork,
        # gunicorn >= 25 opens a control socket at one fixed path ($HOME/.gunicorn/gunicorn.ctl): a second
        # instance on the host (staging, tests) takes it over and unlinks it on exit. We never use it.
        "control_socket_disable": True,
    }


def run_server(settings: Settings, host: str, port: int, workers: int | None = None) -> None:
    from pufa.app import create_app

    if settings.demo_mode:
        print(f"【演示模式】未设置 WECHAT_TOKEN，使用演示 Token：{settings.WECHAT_TOKEN}", flush=True)
        print(f"  在终端试用：python bot.py chat --url http://{host}:{port}/wechat", flush=True)
    if settings.generated_secret:
        log.warning("SECRET_KEY 未设置：使用数据库目录下自动生成的 .secret_key。生产环境请显式设置并妥善保管。")
    app = create_app(settings)
    app.extensions["pufa"].warm_up()
    print(f"普法小助手已启动：http://{host}:{port}/wechat （健康检查 /healthz）", flush=True)
    serve_app(app, gunicorn_options(settings, host, port, workers))


def serve_app(app, options: dict) -> None:
    """Run a WSGI app under gunicorn with `options` (the benchmark's echo webhook uses the bot's own options)."""
    _Gunicorn(app, options).run()
