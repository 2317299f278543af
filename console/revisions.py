"""Reading FAQ revisions for people: what changed (word by word), and what a restore would change.

Three ways back, each shown before it happens (console/faq_history.py):
- "after": the entry as this revision left it (恢复为此版本);
- "before": the entry as it was before this revision (恢复为修改前 / 删除前的版本);
- "undo": only the fields this revision changed go back (撤销这次修改); later changes to other fields stay.
Every field a restore would change is listed with the later revisions it would overwrite, and can be left out.
"""

from __future__ import annotations

from collections.abc import Callable

from console.textdiff import diff_words
from faq.loader import FOLLOWUP_KINDS
from storage.faq_store import FIELDS, revision_before

LIST_FIELDS = ("variants", "legal_basis")
WORD_FIELDS = ("question", "answer")
SIDES = ("after", "before", "undo")


def state_before(rev: dict) -> dict | None:
    """The entry as it was just before this revision (None if it did not exist or is unknown)."""
    return revision_before(rev)


def restorable_state(rev: dict, side: str) -> dict | None:
    """The whole state to restore: the snapshot after `rev`, or (side="before") the state before it."""
    state = state_before(rev) if side == "before" else rev.get("snapshot")
    if not state:
        return None
    return {"id": rev["entry_id"], **{k: state.get(k) for k in FIELDS if k in state}}


def changed_by(rev: dict) -> list[str]:
    """The fields a revision changed (all of them for a create, restore of a deleted entry, or delete)."""
    changes = rev.get("changes") or {}
    named = [k for k in FIELDS if k in changes]
    return named or (list(FIELDS) if rev.get("snapshot") else [])


def _followup_lines(value: dict | None) -> list[str]:
    return [f"{FOLLOWUP_KINDS.get(kind, kind)}（{kind}）→ {target}" for kind, target in (value or {}).items()]


def field_diff(field: str, old, new, cut: Callable | None = None) -> dict:
    """One field's difference, ready for the template: list items added/removed, or word-level segments."""
    if field == "followups":  # kind -> entry id, shown one pair a line
        old, new = _followup_lines(old), _followup_lines(new)
    if field in LIST_FIELDS or field == "followups":
        old, new = old or [], new or []
        return {
            "field": field,
            "kind": "list",
            "added": [x for x in new if x not in old],
            "removed": [x for x in old if x not in new],
        }
    if field in ("enabled", "hub"):
        old, new = ("是" if old else "否"), ("是" if new else "否")
    old = "" if old is None else str(old)
    new = "" if new is None else str(new)
    if field in WORD_FIELDS and old and new:
        return {"field": field, "kind": "words", "segments": diff_words(old, new, cut)}
    return {"field": field, "kind": "text", "old": old, "new": new}


def describe_revision(rev: dict, oldest: bool = False, cut: Callable | None = None) -> dict:
    """A revision ready for the history page: who, when, what (word-level diffs), and the restore options."""
    changes = rev.get("changes") or {}
    deleted = rev.get("snapshot") is None
    diffs = [] if deleted else [field_diff(k, *changes[k], cut=cut) for k in FIELDS if k in changes]
    before = state_before(rev)
    return {
        "id": rev["id"],
        "created_at": rev["created_at"],
        "author": rev["author"],
        "action": rev["action"],
        "batch": rev.get("batch"),
        "deleted": deleted,
        "diffs": diffs,
        "can_restore_after": not deleted,
        "can_restore_before": (oldest or deleted) and before is not None,
        "can_undo": not deleted and before is not None and bool(diffs),
    }


def restore_plan(rev: dict, side: str, current: dict | None, later: list[dict], cut: Callable | None = None) -> dict:
    """What restoring `rev` (side after / before / undo) would change in the entry as it is now.

    `later`: the revisions after `rev`, oldest first. Each field that would change lists the later revisions
    that changed it, i.e. the work the restore would overwrite; for "undo" such fields start unticked.
    """
    target = restorable_state(rev, "before" if side == "undo" else side)
    if target is None:
        return {"target": None, "fields": []}
    if current is None:
        return {"target": target, "fields": [], "recreate": True}
    mine = set(changed_by(rev)) if side == "undo" else set(FIELDS)
    fields = []
    for key in FIELDS:
        # a field the revision does not know (hub / followups before they existed) stays as it is
        if key not in mine or key not in target or target.get(key) == current.get(key):
            continue
        overwritten = [r for r in later if key in changed_by(r)]
        fields.append(
            {
                "field": key,
                "diff": field_diff(key, current.get(key), target.get(key), cut),
                "later": overwritten,
                "checked": not (side == "undo" and overwritten),
            }
        )
    return {"target": target, "fields": fields, "recreate": False}
