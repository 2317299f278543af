"""/admin/unanswered: questions the bot could not answer confidently, grouped, with one-click fixes.

A question leaves the queue when the live matcher now answers it (after "add as variant" or a new entry), or
when it is dismissed.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console.access import load_user, not_found, require_login, services
from console.forms import today
from console.grouping import analyzer_features, group_questions
from console.paging import current_page
from faq.matcher import ANSWERED
from faq.normalize import clean_display
from storage.privacy import mask_pii

bp = Blueprint("unanswered", __name__, url_prefix="/admin/unanswered")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

PER_PAGE = 20
MAX_MEMBERS_SHOWN = 20
PERIODS = ((7, "近 7 天"), (30, "近 30 天"), (90, "近 90 天"), (0, "全部"))


def open_groups(days: int):
    """(groups still unanswered by the live FAQ, how many logged questions it now answers)."""
    s = services()
    since = (today() - timedelta(days=days - 1)).isoformat() if days else None
    rows = s.store.log.unanswered_texts(since)
    matcher = s.dialogue.matcher()
    still, fixed = [], 0
    for row in rows:
        if matcher.decide(clean_display(row["text"])).outcome == ANSWERED:
            fixed += 1
        else:
            still.append(row)
    return group_questions(still, analyzer_features(s.analyzer)), fixed


@bp.get("")
def index():
    days = request.args.get("days", type=int, default=30)
    days = days if days in dict(PERIODS) else 30
    groups, fixed = open_groups(days)
    page, pages = current_page(len(groups), PER_PAGE)
    shown = groups[(page - 1) * PER_PAGE : page * PER_PAGE]
    matcher = services().dialogue.matcher()
    guesses = {g.leader: [c for c in matcher.rank(clean_display(g.leader), k=3) if c.score > 0] for g in shown}
    entries = sorted(matcher.entries, key=lambda e: (e["topic"], e["question"]))
    return render_template(
        "unanswered.html",
        groups=shown,
        guesses=guesses,
        entries=entries,
        fixed=fixed,
        days=days,
        periods=PERIODS,
        page=page,
        pages=pages,
        total=len(groups),
        max_members=MAX_MEMBERS_SHOWN,
    )


def text_key(text: str) -> str:
    """An opaque key for a logged question: forms carry keys, so no raw log text travels through the page."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


bp.add_app_template_filter(text_key, "text_key")


def _chosen_texts() -> list[str]:
    """The logged questions (exactly as stored) whose keys the form sent."""
    keys = set(request.form.getlist("q"))
    if not keys:
        return []
    return [r["text"] for r in services().store.log.unanswered_texts(limit=20000) if text_key(r["text"]) in keys]


def _back():
    days = request.form.get("days", type=int, default=30)
    return redirect(url_for("unanswered.index", days=days if days in dict(PERIODS) else 30))


@bp.post("/variant")
def add_variant():
    """Add the chosen questions as colloquial variants of an entry; the bot answers them with it at once."""
    store = services().store
    if request.form.get("use_other"):
        entry_id = (request.form.get("other_entry") or "").strip()
    else:
        entry_id = (request.form.get("entry_id") or "").strip()
    # variants are the tidied, masked questions (no phone or ID numbers in the FAQ)
    texts = list(dict.fromkeys(mask_pii(clean_display(t))[:500] for t in _chosen_texts()))
    entry = store.faq.get(entry_id) or next((e for e in store.faq.all() if e["question"] == entry_id), None)
    entry_id = entry["id"] if entry else entry_id
    if entry is None:
        flash("请选择一个已有的条目（可输入编号或问题查找）。", "error")
        return _back()
    if not texts:
        flash("请至少勾选一个问题。", "error")
        return _back()
    known = set(entry["variants"]) | {entry["question"]}
    new = [t for t in texts if t not in known]
    if new:
        store.faq.save({"id": entry_id, "variants": [*entry["variants"], *new]}, load_user()["name"], "variant")
    flash(f"已把 {len(new)} 个问法加到「{entry['question']}」。", "ok")
    if not entry["enabled"]:
        flash("注意：这个条目已停用，启用后机器人才会用它答复。", "error")
    matcher = services().dialogue.matcher()
    other = [t for t in texts if (d := matcher.decide(t)).outcome != ANSWERED or d.best.entry_id != entry_id]
    if other and entry["enabled"]:
        flash("这些问题仍会被答成别的条目或答不上，请检查：" + "；".join(other[:5]), "error")
    return _back()


@bp.post("/dismiss")
def dismiss():
    texts = _chosen_texts()
    if not texts:
        flash("没有要忽略的问题。", "error")
        return _back()
    n = services().store.log.dismiss(texts, load_user()["name"])
    flash(f"已忽略 {n} 个问题，它们不会再出现在这里。", "ok")
    return _back()
