"""`bot.py inbox list` and `bot.py inbox reply`: the staff inbox from the command line (the console has the same,
with the conversation beside each message). Texts are masked here as in the log: terminal output ends up in
scrollback and cron mail; the console shows a message in full to caseworkers and admins."""

from __future__ import annotations

import getpass
import json
import time

import click

from inbox.delivery import describe
from inbox.replies import ReplyError, reply_to_thread
from inbox.waiting import waiting_minutes
from messaging import Messenger
from settings import Settings
from storage.inbox import STATUS_LABELS, STATUSES
from storage.privacy import mask_pii


def _open():
    from pufa.services import open_store, wechat_client

    settings = Settings.from_env()
    store = open_store(settings)
    return store, Messenger(store, wechat_client(settings, store))


@click.group()
def inbox() -> None:
    """工作人员信箱：列出给工作人员的留言、回复留言。"""


@inbox.command("list")
@click.option("--json", "as_json", is_flag=True, help="输出 JSON（每条：id、user、text、waiting_minutes、status）")
@click.option(
    "--status",
    type=click.Choice(["open", *STATUSES, "all"]),
    default="open",
    show_default=True,
    help="open = 没关闭的（等待回复和已回复）",
)
def inbox_list(as_json: bool, status: str) -> None:
    """列出留言：等得最久的在前。内容里的号码、姓名已遮蔽，全文在控制台「工作人员信箱」里看。"""
    store, _ = _open()
    threads = store.inbox.list(None if status == "all" else status, "waiting", limit=1000)
    now = time.time()
    items = [
        {
            "id": t["id"],
            "user": t["user_id"],
            "text": mask_pii(t["latest"]),
            "waiting_minutes": waiting_minutes(t, now),
            "status": t["status"],
            "assignee": t["assignee"],
            "messages": t["n_messages"],
        }
        for t in threads
    ]
    if as_json:
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("没有留言。")
        return
    for i in items:
        wait = "" if i["waiting_minutes"] is None else f"等了 {i['waiting_minutes']} 分钟"
        who = f"  {i['assignee']}" if i["assignee"] else ""
        click.echo(f"#{i['id']}\t{STATUS_LABELS[i['status']]}\t{wait}\t{i['user'][:10]}{who}\t{i['text'][:60]}")


@inbox.command("reply")
@click.argument("thread_id", type=int)
@click.argument("text")
@click.option("--by", "author", default=None, help="记为回复人（默认当前系统用户名）")
def inbox_reply(thread_id: int, text: str, author: str | None) -> None:
    """回复留言 THREAD_ID：能推送就马上推送（客服消息），否则等对方下次发消息时送达。"""
    store, messenger = _open()
    try:
        row = reply_to_thread(store, messenger, thread_id, text, f"cli:{author or getpass.getuser()}")
    except ReplyError as exc:
        raise click.ClickException(str(exc)) from exc
    label, _ = describe(row)
    click.echo(f"已回复留言 #{thread_id}：{label}")
