"""`bot.py purge` (retention, for a daily cron job) and `bot.py forget` (one user's data, on request).

Both show what they would remove first and change nothing without --apply; both write an audit row when they do.
"""

from __future__ import annotations

import getpass

import click

from settings import Settings
from storage import Store, retention


def _store(settings: Settings) -> Store:
    return Store(settings.DATABASE_PATH)


@click.command()
@click.option("--apply", "do_apply", is_flag=True, help="真的清除（不加时只列出将清除什么）")
def purge(do_apply: bool) -> None:
    """按保留期清除过期的数据。先预演：不加 --apply 只列出将清除什么。适合每天定时运行（cron）。"""
    settings = Settings.from_env()
    store = _store(settings)
    if settings.RETENTION_DAYS <= 0:
        click.echo("注意：RETENTION_DAYS=0，咨询原文永久保留（不建议）；其余过期数据照常清除。")
    else:
        click.echo(f"保留期 RETENTION_DAYS = {settings.RETENTION_DAYS} 天。")
    rows = retention.purge(store.db, settings) if do_apply else retention.plan(store.db, settings)
    verb = "已清除" if do_apply else "将清除"
    for p in rows:
        if p.cutoff is None:
            click.echo(f"  {p.rule.name:20} 不清除（永久保留）  {p.rule.what}")
        elif p.rows:
            click.echo(f"  {p.rule.name:20} {verb} {p.rows:>8,} 条  {p.rule.what}（早于 {p.cutoff.day}）")
    total = sum(p.rows for p in rows)
    if not do_apply:
        click.echo(f"预演：共 {total:,} 条，什么都没有改。确认后运行：python bot.py purge --apply")
    else:
        click.echo(f"完成：共 {total:,} 条。已记入操作记录（控制台「个人信息」页）。")


@click.command()
@click.argument("user_id")
@click.option("--apply", "do_apply", is_flag=True, help="真的删除（不加时只列出将删除什么）")
@click.option("--by", "actor", default=None, help="记在操作记录里的操作人（默认当前系统用户名）")
def forget(user_id: str, do_apply: bool, actor: str | None) -> None:
    """按用户化名（u_…，在控制台咨询日志里可以看到）删除一位用户的数据：咨询原文、对话状态、待送的大模型答案、
    用户记录、给工作人员的留言和工作人员发给他的消息；统计数字不变。先预演，加 --apply 执行。"""
    if not retention.is_user_id(user_id):
        raise click.ClickException("用户化名的格式是 u_ 加字母数字（在控制台咨询日志里复制）")
    store = _store(Settings.from_env())
    counts = retention.preview_user(store.db, user_id)
    if not any(counts.values()):
        raise click.ClickException(f"没有 {user_id} 的数据（可能已经删除过了）")
    summary = "，".join(f"{retention.TABLE_NAMES[t]} {n} 条" for t, n in counts.items() if n)
    if not do_apply:
        click.echo(f"将删除 {user_id} 的：{summary}。预演：什么都没有改。确认后加 --apply。")
        return
    retention.forget_user(store.db, user_id, f"cli:{actor or getpass.getuser()}")
    click.echo(f"已删除 {user_id} 的：{summary}。已记入操作记录。")


def register(cli: click.Group) -> None:
    """Add `purge` and `forget` to bot.py's command line."""
    cli.add_command(purge)
    cli.add_command(forget)
