"""How a staff reply reached (or will reach) the person, in the words the console and the CLI show."""

from __future__ import annotations

from storage.db import local_stamp
from storage.outbox import DELIVERED, PUSHED, WITHDRAWN

REASONS = {
    "no_api": "没有配置客服消息接口",
    # the OpenID is kept only for people who left a message, and only for 48 hours after they last wrote
    "window_closed": "不能推送：对方没有留过言，或已超过 48 小时没发消息",
    "push:45015": "微信拒绝推送（45015：对方超过 48 小时没发消息，或已取消关注）",
    "push:45047": "微信拒绝推送（45047：对这位用户的客服消息条数用完了）",
    "push:-1": "连不上微信接口",
}


def _at(ts: float | None) -> str:
    return local_stamp(ts)[0][5:16] if ts else ""


def describe(row: dict) -> tuple[str, str]:
    """(a short label, a CSS class: ok / wait / off) for an outbox row."""
    state, error = row["state"], row.get("error") or ""
    if state == PUSHED:
        return f"已推送（客服消息，{_at(row['delivered'])}）", "ok"
    if state == DELIVERED:
        if error.startswith("push:"):  # a push was tried and refused first: say so (e.g. 45015)
            reason = REASONS.get(error, f"推送失败：{error}")
            return f"已送达：{reason}，改为随对方 {_at(row['delivered'])} 发来的消息一起回复", "ok"
        return f"已送达：随对方 {_at(row['delivered'])} 发来的消息一起回复", "ok"
    if state == WITHDRAWN:
        return "已撤回", "off"
    reason = REASONS.get(error, f"推送失败：{error}" if error else "")
    return f"等对方下次发消息时送达：{reason}" if reason else "等对方下次发消息时送达", "wait"
