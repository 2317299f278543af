"""/admin/faq: list, search, create, edit, enable/disable, delete (history: faq_history.py, 试一试: faq_try.py).

Staff know entries by their standard question: lists are sorted and shown by it, and a new entry's 编号 is
generated (faq/ids.py), never typed.

Every write goes through storage's FaqStore, which keeps a revision and bumps the FAQ version; each worker's
Dialogue rebuilds its matcher on the next message, so an edit is live in every process at once.

The editor shows the citation checker's findings (faq/lint.py) for the entry on the form. They are warnings, not
errors: a save whose answer has findings is held back once, with the list, until the editor ticks that they have
checked them (a law's new article may be missing from knowledge/ for a while).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from console.access import load_user, not_found, require_login, services
from console.citations import citation_groups, keep_order
from console.confirm import ask_first, confirmed
from console.drafts import draft_fields
from console.forms import FORM_FIELDS, entry_from_form
from console.paging import current_page
from console.usage import SORTS, USAGE_COLUMNS, entry_usage_table, sort_by_usage
from faq.lint import entry_findings
from faq.loader import CHARS_PER_LIMIT, MAX_REPLY_BYTES, TOPICS, entry_problems
from faq.render import BASIS_PREFIX, render_answer

bp = Blueprint("faq", __name__, url_prefix="/admin/faq")
PER_PAGE = 50
DELETE_WORD = "删除"
bp.before_request(require_login)
bp.register_error_handler(404, not_found)


def _store():
    return services().store


def _author() -> str:
    return load_user()["name"]


TOPIC_ORDER = {key: i for i, key in enumerate(TOPICS)}


def by_question(entries: list[dict]) -> list[dict]:
    """Entries in the menu's topic order, then by their standard question."""
    return sorted(entries, key=lambda e: (TOPIC_ORDER.get(e["topic"], len(TOPIC_ORDER)), e["question"]))


def _matches(entry: dict, q: str) -> bool:
    q = q.casefold()
    texts = [entry["id"], entry["question"], entry["answer"], *entry["variants"], *entry["legal_basis"]]
    return any(q in t.casefold() for t in texts)


@bp.get("")
def index():
    kb = services().knowledge
    q = request.args.get("q", "").strip()[:100]
    topic = request.args.get("topic", "")
    status = request.args.get("status", "")
    entries = by_question(_store().faq.all())
    problems = {e["id"]: entry_problems(e, kb) for e in entries}
    counts = {
        "all": len(entries),
        "disabled": sum(not e["enabled"] for e in entries),
        "problems": sum(bool(p) for p in problems.values()),
    }
    shown = [
        e
        for e in entries
        if (not q or _matches(e, q))
        and (not topic or e["topic"] == topic)
        and (status != "enabled" or e["enabled"])
        and (status != "disabled" or not e["enabled"])
        and (status != "problems" or problems[e["id"]])
    ]
    usage = entry_usage_table()  # per-entry usage, sortable (console/usage.py)
    sort = request.args.get("sort", "")
    shown = sort_by_usage(shown, usage, sort)
    deleted = _store().faq.deleted() if load_user()["role"] == "admin" else []
    page, pages = current_page(len(shown), PER_PAGE)
    filters = {k: v for k, v in (("q", q), ("topic", topic), ("status", status), ("sort", sort)) if v}
    return render_template(
        "faq_list.html",
        entries=shown[(page - 1) * PER_PAGE : page * PER_PAGE],
        shown=len(shown),
        problems=problems,
        counts=counts,
        q=q,
        topic=topic,
        status=status,
        deleted=deleted,
        page=page,
        pages=pages,
        filters=filters,
        usage=usage,
        usage_columns=USAGE_COLUMNS,
        sort=sort if sort in SORTS else "",
    )


def _citation_warnings(entry: dict) -> list[str]:
    return [str(f) for f in entry_findings(entry, services().knowledge)] if entry.get("answer") else []


def _render_form(
    entry: dict,
    errors: list[str],
    creating: bool,
    status: int = 200,
    base_revision: int = 0,
    held: bool = False,
    **extra,
):
    """The editor; `held`: a save stopped to show the citation warnings (the form then asks to confirm them)."""
    groups, unknown = citation_groups(services().knowledge, entry.get("legal_basis") or [])
    preview = render_answer(entry) if entry.get("answer") else ""
    return render_template(
        "faq_form.html",
        entry=entry,
        errors=errors,
        creating=creating,
        groups=groups,
        unknown=unknown,
        preview=preview,
        max_bytes=MAX_REPLY_BYTES,
        max_chars=CHARS_PER_LIMIT,
        basis_prefix=BASIS_PREFIX,
        base_revision=base_revision,
        warnings=_citation_warnings(entry),
        held=held,
        **extra,
    ), status


def _hold_for_warnings(entry: dict) -> bool:
    """True when the citation checker has findings the editor has not yet confirmed."""
    return request.form.get("confirm_citations") != "1" and bool(_citation_warnings(entry))


def _flash_warnings(entry: dict) -> None:
    if warnings := _citation_warnings(entry):
        flash(f"已按确认保存，但法条引用还有 {len(warnings)} 处问题，请尽快修改（见下方引用检查）。", "error")


def _restored(entry_id: str) -> tuple[dict, int] | None:
    """(entry, base revision) as typed before the login expired, when this page was opened with that draft."""
    fields = draft_fields(request.path)
    if fields is None:
        return None
    form = MultiDict(fields)
    entry, _ = entry_from_form(form, entry_id)
    return entry, form.get("base_revision", type=int, default=0)


@bp.route("/new", methods=["GET", "POST"])
def create():
    if request.method == "POST":
        entry, errors = entry_from_form(request.form, entry_id="")  # the id is generated, never typed
        errors += entry_problems(entry, services().knowledge, id_optional=True)
        same = next((e for e in _store().faq.all() if e["question"] == entry["question"]), None)
        if same:
            errors.append(f"已有标准问题完全相同的条目「{same['question']}」：请改那个条目，或换个问法")
        if errors:
            return _render_form(entry, errors, creating=True, status=422)
        if _hold_for_warnings(entry):
            return _render_form(entry, [], creating=True, held=True)
        entry_id = _store().faq.create(entry, _author())
        flash("已新建条目，机器人已按它答复。", "ok")
        _flash_warnings(entry)
        return redirect(url_for("faq.edit", entry_id=entry_id))
    if restored := _restored(""):
        return _render_form(restored[0], [], creating=True)
    # prefilled from the unanswered queue: ?question=...&variants=...&topic=...
    args = request.args
    variants = [v.strip() for v in args.getlist("variants") if v.strip()]
    entry = {
        "id": "",
        "topic": args.get("topic", "") if args.get("topic") in TOPICS else "",
        "question": args.get("question", "").strip(),
        "variants": variants,
        "answer": "",
        "legal_basis": [],
        "enabled": True,
        "position": 0,
    }
    return _render_form(entry, [], creating=True)


@bp.route("/<entry_id>/edit", methods=["GET", "POST"])
def edit(entry_id: str):
    store = _store()
    current = store.faq.get(entry_id) or abort(404)
    latest = store.faq.latest_revision_id(entry_id)
    if request.method == "GET":
        if restored := _restored(entry_id):
            return _render_form(restored[0], [], creating=False, base_revision=restored[1])
        return _render_form(current, [], creating=False, base_revision=latest)
    entry, errors = entry_from_form(request.form, entry_id)
    entry["legal_basis"] = keep_order(current["legal_basis"], entry["legal_basis"])
    base = request.form.get("base_revision", "")
    if base != str(latest):
        rev = store.faq.revisions(entry_id)[0]
        errors.insert(
            0,
            f"保存前 {rev['author']} 已于 {rev['created_at']} 修改了这个条目。请先复制你的改动，"
            "刷新页面看最新内容后再改。",
        )
    errors += entry_problems(entry, services().knowledge)
    if errors:
        return _render_form(entry, errors, creating=False, status=422, base_revision=int(base or 0))
    if all(entry.get(k) == current.get(k) for k in FORM_FIELDS):
        flash("没有改动。", "ok")
    elif _hold_for_warnings(entry):
        return _render_form(entry, [], creating=False, base_revision=int(base or 0), held=True)
    else:
        store.faq.save(entry, _author())
        flash("已保存，机器人已按新内容答复。", "ok")
        _flash_warnings(entry)
    return redirect(url_for("faq.edit", entry_id=entry_id))


@bp.post("/<entry_id>/toggle")
def toggle(entry_id: str):
    entry = _store().faq.get(entry_id) or abort(404)
    enabled = not entry["enabled"]
    if not enabled and not confirmed():
        return ask_first(
            "停用这个条目？",
            f"停用后机器人不再用「{entry['question']}」答复，直到有人重新启用。条目和修改历史都会保留。",
            "停用",
        )
    problems = entry_problems(entry, services().knowledge) if enabled else []
    if problems:  # the same rule as saving the form: e.g. a draft from a model answer has one variant, not five
        flash("没有启用，请先修改：" + "；".join(problems), "error")
        return redirect(url_for("faq.edit", entry_id=entry_id))
    _store().faq.save({"id": entry_id, "enabled": enabled}, _author(), "enable" if enabled else "disable")
    flash(f"已{'启用' if enabled else '停用'}：{entry['question']}", "ok")
    if request.form.get("back") == "list":
        return redirect(url_for("faq.index"))
    return redirect(url_for("faq.edit", entry_id=entry_id))


@bp.route("/<entry_id>/delete", methods=["GET", "POST"])
def delete(entry_id: str):
    entry = _store().faq.get(entry_id) or abort(404)
    if request.method == "GET":
        return render_template("faq_delete.html", entry=entry)
    if request.form.get("confirm", "").strip() not in (DELETE_WORD, entry_id):
        flash(f"请输入「{DELETE_WORD}」两个字以确认删除。", "error")
        return render_template("faq_delete.html", entry=entry), 422
    _store().faq.delete(entry_id, _author())
    flash(f"已删除：{entry['question']}（管理员可在历史记录中恢复）", "ok")
    return redirect(url_for("faq.index"))
