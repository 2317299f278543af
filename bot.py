"""普法小助手: the command line (the app factory is pufa.app.create_app).

python bot.py serve [--host 127.0.0.1] [--port 8000]   production server (gunicorn), webhook at /wechat
python bot.py chat                                      talk to the bot in the terminal, through the webhook
python bot.py stats [--since DATE] [--until DATE] [--json]
python bot.py eval FILE [--show-failures N]
python bot.py users add NAME --role admin|caseworker|editor [--procuratorate NAME] | users list
python bot.py cases list|show|update|overdue              registered cases (支持起诉 / 欠薪登记)
python bot.py purge [--apply]                           retention: remove what is past RETENTION_DAYS (daily cron)
python bot.py forget u_... [--apply]                    delete one user's data on request
python bot.py faq export|import FILE
python bot.py backup PATH                               online backup of the database, integrity-checked
python bot.py inbox list [--json] | inbox reply ID TEXT  the staff inbox
python bot.py wechat menu [--apply]                     the account's custom menu (dry run by default)
python bot.py bench quality [FILE...] | bench match | bench load   benchmarks (docs/benchmarks.md)
"""

from __future__ import annotations

import importlib
import logging
import sys

import click

import bench.cli
from settings import Settings


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s",
    )


class Commands(click.Group):
    """The command line, with some command groups imported only when they are used or listed: `bot.py stats`
    then starts without loading the console's web stack (Flask, openpyxl), which would take most of its second."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})  # name -> "module:attribute"

    def _load(self, name: str) -> None:
        module, attribute = self.lazy.pop(name).split(":")
        self._commands[name] = getattr(importlib.import_module(module), attribute)

    @property
    def commands(self) -> dict[str, click.Command]:
        for name in list(self.lazy):
            self._load(name)
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = value

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        lazy, self.lazy = self.lazy, {}  # click adds through `commands`: without loading the lazy groups
        try:
            super().add_command(cmd, name)
        finally:
            self.lazy = lazy
            self.lazy.pop(name or cmd.name, None)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            self._load(name)
        return self._commands.get(name)


@click.group(
    cls=Commands,
    lazy={
        "users": "console.cli:users",  # add|list|disable|reset-2fa
        "faq": "console.cli:faq",  # export|import
        "purge": "console.data_cli:purge",
        "forget": "console.data_cli:forget",
        "inbox": "inbox.cli:inbox",  # list|reply
        "wechat": "wechat.cli:wechat",  # menu
        "cases": "console.cases_cli:cases",  # list|show|update|overdue
    },
)
def cli() -> None:
    """普法小助手：检察院普法公众号机器人。"""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, type=int, show_default=True)
@click.option("--workers", type=int, default=None, help="工作进程数（默认取 WEB_WORKERS）")
def serve(host: str, port: int, workers: int | None) -> None:
    """启动生产服务器（gunicorn），webhook 地址为 /wechat。"""
    from pufa.server import run_server

    settings = Settings.from_env()
    _configure_logging(settings.LOG_LEVEL)
    run_server(settings, host, port, workers)


@cli.command()
@click.option("--url", default=None, help="对一个已在运行的机器人说话，如 http://127.0.0.1:8000/wechat")
@click.option("--openid", default=None, help="模拟的用户 OpenID（默认随机）")
def chat(url: str | None, openid: str | None) -> None:
    """在终端里和机器人对话（走同一个 webhook：签名的 XML）。"""
    from wechat.chat import run_chat

    run_chat(Settings.from_env(), url, openid)


@cli.command()
@click.option("--since", default=None, help="开始日期 YYYY-MM-DD（含）")
@click.option("--until", default=None, help="结束日期 YYYY-MM-DD（含）")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON")
def stats(since: str | None, until: str | None, as_json: bool) -> None:
    """咨询统计：总数、用户数、答复情况、主题分布、未答上的问题。"""
    from console.report import print_stats

    print_stats(Settings.from_env(), since, until, as_json)


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False))
def backup(path: str) -> None:
    """在线备份数据库到 PATH（SQLite 备份接口，不停机），并做完整性检查。"""
    from storage.backup import COUNTED, backup_database
    from storage.spool import Spool

    settings = Settings.from_env()
    try:
        report = backup_database(settings.DATABASE_PATH, path)
    except (FileNotFoundError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    if not report.ok:
        click.echo("完整性检查未通过，备份已删除：\n  " + "\n  ".join(report.integrity[:20]), err=True)
        sys.exit(1)
    click.echo(f"备份完成：{report.path}（{report.bytes / 1e6:.1f} MB，用时 {report.seconds:.1f} 秒）")
    click.echo("完整性检查（PRAGMA integrity_check）：ok")
    click.echo("内容：" + "，".join(f"{label} {report.counts[t]:,}" for t, label in COUNTED if t in report.counts))
    spooled = Spool(settings.SPOOL_PATH or settings.DATABASE_PATH + ".spool").count()
    if spooled:
        click.echo(f"注意：暂存文件里还有 {spooled} 条记录没写进数据库（数据库恢复可写后自动补写），不在这份备份里。")
    click.echo("提醒：用户化名依赖 SECRET_KEY（或数据库目录下的 .secret_key），请另行妥善保管；恢复步骤见 README。")


@cli.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--show-failures", default=0, type=int, help="列出前 N 个没答对的问题")
def eval_command(files: tuple[str, ...], show_failures: int) -> None:
    """用问题集（dev_questions.yaml 格式）评估答案：按主题和总体打印答对比例。"""
    from bench.evaluation import print_eval

    sys.exit(print_eval(list(files), show_failures))


bench.cli.register(cli)


if __name__ == "__main__":
    cli()
