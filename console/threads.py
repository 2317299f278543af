"""Consultation rows as a conversation for the console: what the person sent and what the bot replied as sent,
masked like the log, shaped the same way for the conversation page and the staff inbox.

Who sees what: caseworkers and admins see the person's pseudonym and the staff messages that went out with a
reply; editors (who keep the FAQ right and see no personal data) see neither.
"""

from __future__ import annotations

from flask import current_app

from console.access import load_user
from console.filters import KIND_NAMES
from messaging import AFTER_MESSAGES, NO_ROOM
from storage.privacy import mask_pii, mask_reply
from storage.vocab import Outcome, Role
from wechat.menu import build_menu

STAFF_ROLES = (Role.ADMIN, Role.CASEWORKER)
EVENT_TEXTS = {"subscribe": "（关注了公众号）", "unsubscribe": "（取消关注）"}
HIDDEN_STAFF_TEXT = "（随这条回复送达的工作人员消息，只有办案人员和管理员能看）"
# Outcomes whose reply can be "wrong" (答错了): an FAQ answer, choices, a model answer.
REVIEWABLE = (Outcome.ANSWERED, Outcome.TENTATIVE, Outcome.SUGGESTED, Outcome.LLM)


def sees_people() -> bool:
    """Caseworkers and admins see who wrote (the pseudonym) and the staff inbox; editors do not."""
    user = load_user()
    return bool(user) and user["role"] in STAFF_ROLES


def _menu_names() -> dict[str, str]:
    names = current_app.extensions.setdefault("pufa_menu_names", {})
    if not names:
        for top in build_menu()["button"]:
            names.update({b["key"]: b["name"] for b in top.get("sub_button", [])})
    return names


def split_delivered(reply: str, detail: dict) -> tuple[str, str]:
    """(staff messages that went out first in this reply, the bot's own reply); see messaging.Messenger.deliver."""
    if not reply or not detail.get("delivered"):
        return "", reply or ""
    head, sep, rest = reply.partition("\n\n" + AFTER_MESSAGES)
    if sep:
        return head, rest.lstrip("\n")
    head, sep, _ = reply.partition("\n\n" + NO_ROOM)
    return (head, NO_ROOM) if sep else (reply, "")


def said(row: dict) -> str:
    """What the person sent, as the console shows it."""
    if row["kind"] == "click":
        return f"（点了菜单：{_menu_names().get(row['text'] or '', row['text'] or '未知按钮')}）"
    if row["kind"] in EVENT_TEXTS:
        return EVENT_TEXTS[row["kind"]]
    if row["kind"] not in ("text", "voice"):
        return f"（{KIND_NAMES.get(row['kind'], '其他')}消息）"
    return mask_pii(row["text"] or "")


def view_row(row: dict, questions: dict[str, str], people: bool, focus: int | None = None) -> dict:
    """One consultation ready for templates/_conversation.html."""
    detail = row["detail"]
    staff, own = split_delivered(row.get("reply") or "", detail)
    late = detail.get("answer") if row["outcome"] == Outcome.LLM and detail.get("delivery") != "passive" else None
    thread = detail.get("thread") if detail.get("inbox") == "left" else None
    return {
        "id": row["id"],
        "created_at": row["created_at"],
        "kind": row["kind"],
        "said": said(row),
        "voice": row["kind"] == "voice",
        "outcome": row["outcome"],
        "faq_id": row["faq_id"],
        "question": questions.get(row["faq_id"] or "", row["faq_id"]),
        "reply": mask_reply(own),
        "staff": (mask_reply(staff) if people else HIDDEN_STAFF_TEXT) if staff else "",
        "late": mask_reply(late) if late else "",
        "missing": row.get("reply") is None,
        "anonymised": (row["user_id"] or "").startswith("anon_"),
        "thread": thread if people else None,
        "focus": row["id"] == focus,
        "reviewable": row["outcome"] in REVIEWABLE and row["kind"] in ("text", "voice") and bool(row["text"]),
    }


def view_rows(rows: list[dict], questions: dict[str, str], focus: int | None = None) -> list[dict]:
    people = sees_people()
    return [view_row(r, questions, people, focus) for r in rows]
