"""/admin/c/<id>: a consultation opened as a conversation, from the log, the unanswered queue, the statistics, an
entry's page or the inbox: the person's messages around it and the bot's replies as sent, with what to do about it:

- 答错了: mark the reply wrong; it waits in the review queue (on the 未答问题 page) until the FAQ is fixed;
- 加为问法: add the question as a variant of the right entry, after seeing that entry's answer;
- 新建条目: the entry form, prefilled with the question;
- 回复此人 (caseworkers and admins): a staff reply through the inbox, with the inbox's delivery rules.

Editors may open a conversation (they fix answers) but see no pseudonym and no staff messages (console/threads.py).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console.access import forbidden, load_user, not_found, require_login, services
from console.threads import sees_people, view_rows
from console.unanswered import text_key
from faq.matcher import ANSWERED
from faq.normalize import clean_display
from faq.render import render_answer
from inbox.delivery import describe
from inbox.replies import ReplyError, reply_to_person
from storage.answer_flags import DISMISSED, FIXED, OPEN
from storage.privacy import mask_pii
from storage.vocab import Outcome

bp = Blueprint("conversation", __name__, url_prefix="/admin/c")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)
MAX_NOTE = 300
CANDIDATES = 5


def _author() -> str:
    return load_user()["name"]


def _questions() -> dict[str, str]:
    return {e["id"]: e["question"] for e in services().store.faq.all()}


def _variant_text(row: dict) -> str:
    """The question as an FAQ variant: tidied and masked (no phone or ID numbers in the FAQ)."""
    return mask_pii(clean_display(row["text"] or ""))[:500]


def _entry(ref: str) -> dict | None:
    """An entry by id, or by its exact question (what the entry picker's free text may hold)."""
    faq = services().store.faq
    ref = (ref or "").strip()
    return faq.get(ref) or next((e for e in faq.all() if e["question"] == ref), None) if ref else None


@bp.get("/<int:cid>")
def view(cid: int):
    s = services()
    focus, rows = s.store.conversations.around(cid)
    if focus is None:
        abort(404)
    questions = _questions()
    matcher = s.dialogue.matcher()
    text = _variant_text(focus)
    candidates = []
    if text:
        for c in matcher.rank(clean_display(focus["text"]), k=CANDIDATES):
            if c.score > 0 and c.entry_id in matcher.by_id:
                candidates.append({**vars(c), "answer": render_answer(matcher.by_id[c.entry_id])})
    other = _entry(request.args.get("entry", "")) if request.args.get("entry") else None
    people = sees_people()
    return render_template(
        "conversation.html",
        focus=next(r for r in view_rows([focus], questions, cid)),
        row=focus,
        rows=view_rows(rows, questions, cid),
        people=people,
        flag=s.store.flags.get(cid),
        candidates=candidates,
        other=other,
        other_answer=render_answer(other) if other else "",
        other_ref=request.args.get("entry", ""),
        variant=text,
        entries=sorted(matcher.entries, key=lambda e: (e["topic"], e["question"])),
        canned=s.store.canned.all() if people else [],
        thread_id=s.store.inbox.open_thread_of(focus["user_id"]) if people else None,
        can_reply=people and focus["user_id"].startswith("u_"),
        max_note=MAX_NOTE,
    )


@bp.post("/<int:cid>/wrong")
def mark_wrong(cid: int):
    s = services()
    row = s.store.conversations.get(cid) or abort(404)
    note = clean_display(request.form.get("note"))[:MAX_NOTE]
    s.store.flags.flag(cid, _author(), note)
    if row["outcome"] == Outcome.LLM:  # the model-answer review page says the same
        s.store.llm_answers.mark_wrong(cid, _author(), note)
    flash("已标记“答错了”，放进了「未答问题」页上方的“答错待处理”。可以马上在下面把它加为正确条目的问法。", "ok")
    return redirect(url_for("conversation.view", cid=cid) + "#fix")


@bp.post("/<int:cid>/resolve")
def resolve(cid: int):
    status = FIXED if request.form.get("status") == FIXED else DISMISSED
    if not services().store.flags.resolve(cid, _author(), status):
        flash("这条已经处理过了。", "ok")
    else:
        flash("已从“答错待处理”里移出。", "ok")
    if request.form.get("back") == "queue":
        return redirect(url_for("unanswered.index"))
    return redirect(url_for("conversation.view", cid=cid))


@bp.post("/<int:cid>/variant")
def add_variant(cid: int):
    """Add the consultation's question as a variant of the chosen entry; the bot answers it with that entry at once."""
    s = services()
    row = s.store.conversations.get(cid) or abort(404)
    entry = _entry(request.form.get("entry_id", ""))
    text = _variant_text(row)
    if entry is None or not text:
        flash("请选择一个已有的条目（可输入编号或问题查找）。" if text else "这条咨询没有可加的文字。", "error")
        return redirect(url_for("conversation.view", cid=cid) + "#fix")
    if text not in entry["variants"] and text != entry["question"]:
        s.store.faq.save({"id": entry["id"], "variants": [*entry["variants"], text]}, _author(), "variant")
        flash(f"已把“{text}”加为「{entry['question']}」的问法。", "ok")
    else:
        flash(f"“{text}”已经是「{entry['question']}」的问法。", "ok")
    s.store.flags.resolve(cid, _author(), FIXED, entry["id"])
    if not entry["enabled"]:
        flash("注意：这个条目已停用，启用后机器人才会用它答复。", "error")
    else:
        decision = s.dialogue.matcher().decide(text)
        if decision.outcome != ANSWERED or decision.best.entry_id != entry["id"]:
            flash("机器人仍会把这个问题答成别的条目或给选项，请到「试一试」检查。", "error")
    return redirect(url_for("conversation.view", cid=cid) + "#fix")


@bp.post("/<int:cid>/reply")
def reply(cid: int):
    """回复此人: through the person's inbox thread (opened for it), pushed or delivered with their next message."""
    if not sees_people():
        return forbidden("回复用户只有办案人员和管理员能做。")
    s = services()
    row = s.store.conversations.get(cid) or abort(404)
    if not row["user_id"].startswith("u_"):
        flash("这条咨询已经匿名化，找不到发消息的人了。", "error")
        return redirect(url_for("conversation.view", cid=cid))
    text = request.form.get("text") or ""
    if not text.strip() and (canned := s.store.canned.get(request.form.get("canned", type=int) or 0)):
        text = canned["text"]
    try:
        thread_id, sent = reply_to_person(s.store, s.messenger, row["user_id"], cid, text, _author())
    except ReplyError as exc:
        flash(str(exc), "error")
        return redirect(url_for("conversation.view", cid=cid) + "#reply")
    flash(f"已回复：{describe(sent)[0]}", "ok")
    return redirect(url_for("inbox.thread", thread_id=thread_id))


@bp.get("/find")
def find():
    """From the unanswered queue or the statistics, which carry opaque keys of a question: its latest consultation."""
    key = (request.args.get("key") or "")[:40]
    found = services().store.conversations.latest_unconfident(lambda text: text_key(text) == key) if key else None
    if found is None:
        abort(404)
    return redirect(url_for("conversation.view", cid=found))


@bp.app_template_global()
def review_queue(limit: int = 20) -> list[dict]:
    """Open 答错了 flags for the 未答问题 page, newest first."""
    flags = services().store.flags.open(limit)
    questions = _questions() if flags else {}
    out = []
    for f in flags:
        out.append({**f, "text": mask_pii(f["text"] or ""), "question": questions.get(f["faq_id"] or "", f["faq_id"])})
    return out


@bp.app_template_global()
def entry_usage(entry_id: str) -> dict:
    """How an entry has been used (for its page): counts, its latest answers and answers marked wrong."""
    flags = services().store.flags
    counts = flags.usage(entry_id).get(entry_id) or {"answered": 0, "tentative": 0, "wrong": 0, "last_day": None}
    recent = [{**r, "text": mask_pii(r["text"])} for r in flags.recent_answers(entry_id)]
    wrong = [{**f, "text": mask_pii(f["text"] or "")} for f in flags.for_entry(entry_id, 10)]
    return {**counts, "recent": recent, "flags": wrong, "open": OPEN}
