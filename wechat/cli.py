"""`bot.py wechat menu [--apply]`: the custom menu the account should have, built from the bot's own keys; printed
(a dry run) unless --apply, which publishes it through WeChat's menu API."""

from __future__ import annotations

import json

import click

from settings import Settings
from wechat.api import WeChatApiError
from wechat.menu import build_menu, describe, menu_keys, problems


@click.group()
def wechat() -> None:
    """公众号设置：自定义菜单。"""


@wechat.command("menu")
@click.option("--apply", "do_apply", is_flag=True, help="发布到公众号（不加时只打印将发布的菜单）")
def menu(do_apply: bool) -> None:
    """打印机器人要用的自定义菜单（主题、登记、查询进度、留言给工作人员）；加 --apply 通过微信接口发布。"""
    built = build_menu()
    click.echo(describe(built))
    click.echo("\n" + json.dumps(built, ensure_ascii=False, indent=2))
    found = problems(built)
    if found:
        raise click.ClickException("菜单不符合微信的限制：" + "；".join(found))
    if not do_apply:
        click.echo("\n预演：没有发布。确认后运行：python bot.py wechat menu --apply")
        return
    from pufa.services import open_store, wechat_client

    settings = Settings.from_env()
    api = wechat_client(settings, open_store(settings))
    if api is None:
        raise click.ClickException("发布菜单要用微信接口：请先设置 WECHAT_APPID 和 WECHAT_APPSECRET")
    try:
        api.create_menu(built)
        published = api.get_menu() or {}
    except WeChatApiError as exc:
        raise click.ClickException(f"微信接口拒绝了（{exc.code}：{exc.message}）") from exc
    if menu_keys(published) != menu_keys(built):
        raise click.ClickException("发布后读回的菜单和要发布的不一样，请在公众号后台检查")
    click.echo("\n已发布。微信客户端最多 5 分钟后刷新菜单（测试时取消关注再关注可以马上看到）。")
