"""Names in Chinese and number formats for the templates (every value still goes through Jinja's autoescape)."""

from __future__ import annotations

from flask import Flask, request

from console.access import ROLE_NAMES, load_user, services
from console.llm_review import wrong_count
from faq.loader import FIELD_NAMES, TOPICS
from storage.db import local_stamp
from storage.inbox import WAITING
from storage.privacy import mask_pii
from storage.vocab import OUTCOME_LABELS, Outcome, Role

OUTCOME_NAMES = {str(k): v for k, v in OUTCOME_LABELS.items()}
KIND_NAMES = {
    "text": "文字",
    "voice": "语音",
    "image": "图片",
    "video": "视频",
    "shortvideo": "小视频",
    "location": "位置",
    "link": "链接",
    "file": "文件",
    "subscribe": "关注",
    "subscribe_scan": "扫码关注",
    "unsubscribe": "取消关注",
    "click": "菜单点击",
    "view": "菜单跳转",
    "scan": "扫码",
    "unknown": "其他",
}
ACTION_NAMES = {
    "create": "新建",
    "update": "修改",
    "delete": "删除",
    "import": "导入",
    "restore": "恢复",
    "enable": "启用",
    "disable": "停用",
    "variant": "添加问法",
    "undo-variant": "撤销添加问法",
    "undo-import": "撤销导入",
}
ADMIN_ONLY = (Role.ADMIN.value,)
CASE_ROLES = (Role.ADMIN.value, Role.CASEWORKER.value)
# (endpoint, label, the roles that see it: None = everyone signed in)
NAV = (
    ("cases.index", "案件", CASE_ROLES),
    ("inbox.index", "工作人员信箱", CASE_ROLES),
    ("faq.index", "问答库", None),
    ("unanswered.index", "未答问题", None),
    ("llm_review.index", "大模型答复", None),
    ("logs.index", "咨询日志", ADMIN_ONLY),
    ("stats.index", "统计", ADMIN_ONLY),
    ("users.index", "账号", ADMIN_ONLY),
    ("privacy.index", "个人信息", ADMIN_ONLY),
)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} ms"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def epoch_time(value: float | None) -> str:
    """An epoch timestamp as China time, to the minute."""
    return "—" if not value else local_stamp(value)[0][:16]


def decision_text(detail: dict, questions: dict[str, str]) -> str:
    """The runner-up / choices / best guess of a logged decision in one line, entries named by their question."""

    def name(entry_id: str) -> str:
        return f"「{questions.get(entry_id, entry_id)}」"

    parts = []
    if detail.get("runner_up"):
        parts.append(f"次选 {name(detail['runner_up'][0])} ({score(detail['runner_up'][1])})")
    if detail.get("choices"):
        parts.append("选项 " + "、".join(f"{name(c[0])} ({score(c[1])})" for c in detail["choices"]))
    if detail.get("best"):
        parts.append(f"最接近 {name(detail['best'][0])} ({score(detail['best'][1])})")
    if detail.get("choice"):
        parts.append(f"用户选了第 {detail['choice']} 项")
    return "；".join(parts)


def register_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        topic_name=lambda key: TOPICS.get(key or "", key or "—"),
        outcome_name=lambda key: OUTCOME_NAMES.get(key, key),
        kind_name=lambda key: KIND_NAMES.get(key, key),
        field_name=lambda key: FIELD_NAMES.get(key, key),
        action_name=lambda key: ACTION_NAMES.get(key, key),
        role_name=lambda key: ROLE_NAMES.get(key, key),
        masked=lambda text: mask_pii(text or ""),
        short_user=lambda uid: (uid or "")[:10],
        dict_without=lambda d, *keys: {k: v for k, v in d.items() if k not in keys},
        pct=pct,
        ms=ms,
        score=score,
        epoch_time=epoch_time,
        decision_text=decision_text,
    )

    @app.context_processor
    def console_context():
        if not request.path.startswith("/admin"):
            return {}
        user = load_user()
        if not user:
            return {"current_user": None, "nav": NAV, "nav_badges": {}, "topics": TOPICS}
        models = _model_answers_shown()
        nav = NAV if models else tuple(item for item in NAV if item[0] != "llm_review.index")
        return {"current_user": user, "nav": nav, "nav_badges": _nav_badges(user, models), "topics": TOPICS}


def _model_answers_shown() -> bool:
    """The 大模型答复 menu item: shown when a model is configured, or earlier model answers are there to review."""
    s = services()
    return s.settings.llm_enabled or s.store.log.any_with(str(Outcome.LLM))


def _nav_badges(user: dict, models: bool) -> dict[str, tuple]:
    """Counts shown beside menu items: (count, tooltip[, class]) by endpoint."""
    from console.cases import badge

    badges = {}
    if models and (wrong := wrong_count()):
        badges["llm_review.index"] = (wrong, f"{wrong} 个大模型答复被标记为有误，待处理")
    store = services().store
    if flagged := store.flags.open_count():
        badges["unanswered.index"] = (flagged, f"{flagged} 条咨询被标记“答错了”，待处理")
    if user["role"] in CASE_ROLES:
        if waiting := store.inbox.count(WAITING):
            badges["inbox.index"] = (waiting, f"{waiting} 条留言等待回复")
        if cases := badge():
            badges["cases.index"] = cases
    return badges
