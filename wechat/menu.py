"""The account's custom menu (自定义菜单), built from the bot's own keys so the two never drift apart: the topics of
the text menu (dialogue/texts.py MENU, keys TOPIC_<n> that handlers/events.py opens) and the service requests
(dialogue/intents.py CLICK_KEYS: 登记, 查询进度, 留言给工作人员, 联系检察院).

WeChat's limits (创建自定义菜单): at most 3 top-level buttons with at most 5 sub-buttons each; a top-level name at
most 4 Chinese characters (16 bytes, two Latin letters or digits to a character), a sub-button name at most 8 (longer
names are cut with "…" on the phone); a click key at most 128 bytes.
"""

from __future__ import annotations

from dialogue.intents import CLICK_KEYS, Intent
from dialogue.texts import MENU

MAX_BUTTONS, MAX_SUB_BUTTONS = 3, 5
MAX_NAME, MAX_SUB_NAME = 4, 8  # in Chinese characters
MAX_KEY_BYTES = 128

# Short names for the text menu's topics (its labels are too long for a button).
TOPIC_NAMES = {
    1: "欠薪讨薪",
    2: "劳动合同",
    3: "工伤和社保",
    4: "劳动仲裁和诉讼",
    5: "检察院支持起诉",
    6: "法律援助和救助",
    7: "妇女和家暴",
    8: "未成年人保护",
    9: "老年人和残疾人",
    10: "检察院和12309",
}
TOPIC_GROUPS = (("讨薪维权", (1, 2, 3, 4, 6)), ("权益保护", (5, 7, 8, 9, 10)))
SERVICE_GROUP = (
    "找检察院",
    (
        (Intent.REGISTER, "登记"),
        (Intent.PROGRESS, "查询进度"),
        (Intent.LEAVE_MESSAGE, "留言给工作人员"),
        (Intent.HANDOFF, "联系检察院"),
    ),
)


def topic_key(number: int) -> str:
    return f"TOPIC_{number}"


def intent_key(intent: Intent) -> str:
    return next(key for key, value in CLICK_KEYS.items() if value is intent)


def _click(name: str, key: str) -> dict:
    return {"type": "click", "name": name, "key": key}


def build_menu() -> dict:
    """The menu as WeChat's menu/create API takes it."""
    buttons = [
        {"name": group, "sub_button": [_click(TOPIC_NAMES[n], topic_key(n)) for n in numbers]}
        for group, numbers in TOPIC_GROUPS
    ]
    name, services = SERVICE_GROUP
    buttons.append({"name": name, "sub_button": [_click(label, intent_key(i)) for i, label in services]})
    return {"button": buttons}


def name_width(name: str) -> float:
    """A button name's length as WeChat counts it: a Chinese (or other wide) character is 1, a Latin one 1/2."""
    return sum(0.5 if ord(ch) < 0x80 else 1 for ch in name)


def menu_keys(menu: dict) -> list[str]:
    return [b["key"] for top in menu.get("button", []) for b in [top, *top.get("sub_button", [])] if "key" in b]


def problems(menu: dict) -> list[str]:
    """What WeChat would refuse (or cut) in `menu`; empty when it is fine."""
    out = []
    buttons = menu.get("button") or []
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        out.append(f"一级菜单应有 1–{MAX_BUTTONS} 个，现在 {len(buttons)} 个")
    for top in buttons:
        name, subs = top.get("name") or "", top.get("sub_button") or []
        if not name or name_width(name) > MAX_NAME:
            out.append(f"一级菜单名“{name}”超过 {MAX_NAME} 个汉字")
        if len(subs) > MAX_SUB_BUTTONS:
            out.append(f"“{name}”下有 {len(subs)} 个子菜单，最多 {MAX_SUB_BUTTONS} 个")
        for sub in subs if subs else [top]:
            sub_name, key = sub.get("name") or "", sub.get("key") or ""
            limit = MAX_SUB_NAME if subs else MAX_NAME
            if not sub_name or name_width(sub_name) > limit:
                out.append(f"菜单名“{sub_name}”超过 {limit} 个汉字")
            if sub.get("type") != "click" or not key or len(key.encode("utf-8")) > MAX_KEY_BYTES:
                out.append(f"“{sub_name}”应是 click 类型，key 不为空且不超过 {MAX_KEY_BYTES} 字节")
    keys = menu_keys(menu)
    if len(keys) != len(set(keys)):
        out.append("有重复的 key")
    return out


def describe(menu: dict) -> str:
    """The menu as a tree, for the terminal."""
    lines = []
    for top in menu.get("button", []):
        lines.append(top["name"])
        for sub in top.get("sub_button", []):
            lines.append(f"  · {sub['name']}{'　' * max(0, 8 - int(name_width(sub['name'])))}  {sub['key']}")
    return "\n".join(lines)


def covers_every_topic() -> bool:
    """Every topic of the text menu has a button name (a topic added to MENU needs one here)."""
    return {n for n, _, _ in MENU} == set(TOPIC_NAMES) == {n for _, ns in TOPIC_GROUPS for n in ns}
