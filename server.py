"""The production server: gunicorn (gthread workers), app preloaded so jieba's dictionary loads once."""

from __future__ import annotations

import logging

from gunicorn.app.base import BaseApplication

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
    return {
        "bind": f"{host}:{port}",
        "workers": workers or settings.WEB_WORKERS,
        "threads": settings.WEB_THREADS,
        "worker_class": "gthread",
        "preload_app": True,
        "timeout": 30,
        "graceful_timeout": 10,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.LOG_LEVEL.lower(),
        "post_fork": _post_fork,
    }


def run_server(settings: Settings, host: str, port: int, workers: int | None = None) -> None:
    from bot import create_app

    if settings.demo_mode:
        print(f"【演示模式】未设置 WECHAT_TOKEN，使用演示 Token：{settings.WECHAT_TOKEN}", flush=True)
        print(f"  在终端试用：python bot.py chat --url http://{host}:{port}/wechat", flush=True)
    if settings.generated_secret:
        log.warning("SECRET_KEY 未设置：已生成临时密钥（重启后用户化名会变化，控制台需重新登录）。生产环境请设置。")
    app = create_app(settings)
    app.extensions["pufa"].warm_up()
    print(f"普法小助手已启动：http://{host}:{port}/wechat （健康检查 /healthz）", flush=True)
    _Gunicorn(app, gunicorn_options(settings, host, port, workers)).run()
