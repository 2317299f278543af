"""/admin/unanswered: questions the bot did not answer confidently — tentative answers (试答) included, shown as
such — grouped, with fixes that cannot go wrong by accident:

- 加为问法: each suggested entry shows its answer before its button, and the addition can be undone at once;
- 其他条目: a search by words (the matcher and the entries' texts), each result with its answer;
- 新建条目: a topic is filled in only when the matcher is sure of it; otherwise the form asks.

A question leaves the queue when the live matcher now answers it, or when it is dismissed (after a confirmation).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, session, url_for

from console.access import load_user, not_found, require_login, services
from console.confirm import ask_first, confirmed
from console.forms import today
from console.grouping import analyzer_features, group_questions
from console.paging import current_page
from faq.matcher import ANSWERED, Decision
from faq.normalize import clean_display
from faq.render import render_answer
from storage.privacy import mask_pii

bp = Blueprint("unanswered", __name__, url_prefix="/admin/unanswered")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

PER_PAGE = 20
MAX_MEMBERS_SHOWN = 20
MAX_RESULTS = 10
PERIODS = ((7, "近 7 天"), (30, "近 30 天"), (90, "近 90 天"), (0, "全部"))
UNDO_KEY = "variant_undo"


def open_groups(days: int):
    """(groups still not answered confidently by the live FAQ, the live decision for each question, how many
    logged questions it now answers)."""
    s = services()
    since = (today() - timedelta(days=days - 1)).isoformat() if days else None
    rows = s.store.log.unanswered_texts(since)
    matcher = s.dialogue.matcher()
    still, decisions, fixed = [], {}, 0
    for row in rows:
        decision = matcher.decide(clean_display(row["text"]))
        if decision.outcome == ANSWERED:
            fixed += 1
        else:
            still.append(row)
            decisions[row["text"]] = decision
    return group_questions(still, analyzer_features(s.analyzer)), decisions, fixed


def sure_topic(decision: Decision | None) -> str:
    """The topic to suggest for a new entry: only when the matcher is fairly sure (the best candidate reaches the
    tentative band) and every close runner-up agrees; otherwise "" and the form asks."""
    if decision is None or decision.best is None:
        return ""
    bands = services().dialogue.matcher().bands
    best = decision.best
    if best.score < bands.tentative:
        return ""
    close = [c for c in decision.candidates if best.score - c.score <= bands.suggest_gap]
    return best.topic if all(c.topic == best.topic for c in close) else ""


def _answers(entry_ids) -> dict[str, str]:
    """The reply each entry gives (answer + legal basis), for showing before anything is added to it."""
    faq = services().store.faq
    return {i: render_answer(e) for i in entry_ids if (e := faq.get(i))}


@bp.get("")
def index():
    days = request.args.get("days", type=int, default=30)
    days = days if days in dict(PERIODS) else 30
    groups, decisions, fixed = open_groups(days)
    page, pages = current_page(len(groups), PER_PAGE)
    shown = groups[(page - 1) * PER_PAGE : page * PER_PAGE]
    live = {g.leader: decisions[g.leader] for g in shown}
    guesses = {g.leader: [c for c in live[g.leader].candidates[:3] if c.score > 0] for g in shown}
    return render_template(
        "unanswered.html",
        groups=shown,
        live=live,
        guesses=guesses,
        answers=_answers({c.entry_id for cs in guesses.values() for c in cs}),
        topics_for={g.leader: sure_topic(live[g.leader]) for g in shown},
        undo=session.get(UNDO_KEY),
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


def _texts_for(keys) -> list[str]:
    """The logged questions (exactly as stored) whose keys were sent."""
    keys = set(keys)
    if not keys:
        return []
    return [r["text"] for r in services().store.log.unanswered_texts(limit=20000) if text_key(r["text"]) in keys]


def _chosen_texts() -> list[str]:
    return _texts_for(request.form.getlist("q"))


def _days(source) -> int:
    days = source.get("days", type=int, default=30)
    return days if days in dict(PERIODS) else 30


def _back():
    return redirect(url_for("unanswered.index", days=_days(request.form)))


def search_entries(words: str) -> list[dict]:
    """Entries for the words staff typed: every word found in the entry's texts first, then the matcher's
    ranking (which knows dialect words and typos); disabled entries are included and marked."""
    words = words.strip()[:100]
    if not words:
        return []
    store, matcher = services().store, services().dialogue.matcher()
    entries = store.faq.all()
    parts = [w.casefold() for w in words.split()]

    def contains_all(e: dict) -> bool:
        text = " ".join([e["question"], e["answer"], *e["variants"]]).casefold()
        return all(p in text for p in parts)

    found = [e for e in entries if contains_all(e)]
    by_id = {e["id"]: e for e in entries}
    for c in matcher.rank(words, k=MAX_RESULTS):
        if c.score > 0 and c.entry_id in by_id and by_id[c.entry_id] not in found:
            found.append(by_id[c.entry_id])
    return found[:MAX_RESULTS]


@bp.get("/pick")
def pick():
    """Choose the entry to add questions to: search by words, see each entry's answer, then add."""
    texts = _texts_for(request.args.getlist("q"))
    words = request.args.get("words", "").strip()[:100]
    if words:
        results = search_entries(words)
    else:
        decision = services().dialogue.matcher().decide(clean_display(texts[0])) if texts else None
        faq = services().store.faq
        results = [e for c in (decision.candidates if decision else []) if (e := faq.get(c.entry_id))]
    return render_template(
        "unanswered_pick.html",
        texts=texts,
        words=words,
        results=results,
        answers={e["id"]: render_answer(e) for e in results},
        days=_days(request.args),
    )


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
        flash("请选择一个已有的条目（可以用「其他条目」按字词查找）。", "error")
        return _back()
    if not texts:
        flash("请至少勾选一个问题。", "error")
        return _back()
    known = set(entry["variants"]) | {entry["question"]}
    new = [t for t in texts if t not in known]
    if new:
        store.faq.save({"id": entry_id, "variants": [*entry["variants"], *new]}, load_user()["name"], "variant")
        session[UNDO_KEY] = {
            "revision": store.faq.latest_revision_id(entry_id),
            "entry_id": entry_id,
            "question": entry["question"],
            "count": len(new),
        }
    flash(f"已把 {len(new)} 个问法加到「{entry['question']}」。", "ok")
    if not entry["enabled"]:
        flash("注意：这个条目已停用，启用后机器人才会用它答复。", "error")
    matcher = services().dialogue.matcher()
    other = [t for t in texts if (d := matcher.decide(t)).outcome != ANSWERED or d.best.entry_id != entry_id]
    if other and entry["enabled"]:
        flash("这些问题仍会被答成别的条目或答不上，请检查：" + "；".join(other[:5]), "error")
    return _back()


@bp.post("/variant/undo")
def undo_variant():
    """Take back the questions just added to an entry (only those: later edits of the entry stay)."""
    store = services().store
    rev = store.faq.revision(request.form.get("revision", type=int, default=0))
    if rev is None or rev["action"] != "variant":
        flash("没有可以撤销的添加。", "error")
        return _back()
    old, new = (rev.get("changes") or {}).get("variants", [[], []])
    added = [v for v in new or [] if v not in (old or [])]
    entry = store.faq.get(rev["entry_id"])
    session.pop(UNDO_KEY, None)
    if entry is None or not added:
        flash("这个条目已不存在或没有可撤销的问法。", "error")
        return _back()
    kept = [v for v in entry["variants"] if v not in added]
    if kept != entry["variants"]:
        store.faq.save({"id": entry["id"], "variants": kept}, load_user()["name"], "undo-variant")
    flash(f"已撤销：从「{entry['question']}」去掉了刚加的 {len(entry['variants']) - len(kept)} 个问法。", "ok")
    return _back()


@bp.post("/dismiss")
def dismiss():
    texts = _chosen_texts()
    if not texts:
        flash("没有要忽略的问题。", "error")
        return _back()
    if not confirmed():
        return ask_first(
            "忽略这一组问题？",
            f"这 {len(texts)} 个问题会从「未答问题」里移走，以后不再出现（机器人的回复不变）。",
            "忽略",
            [mask_pii(t) for t in texts[:10]],
            max(0, len(texts) - 10),
        )
    n = services().store.log.dismiss(texts, load_user()["name"])
    flash(f"已忽略 {n} 个问题，它们不会再出现在这里。", "ok")
    return _back()
