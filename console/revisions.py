"""Reading FAQ revisions for people: what changed, and which states can be restored."""

from __future__ import annotations

import json

from storage.faq_store import FIELDS

LIST_FIELDS = ("variants", "legal_basis")


def state_before(rev: dict) -> dict | None:
    """The entry as it was just before this revision, rebuilt from the recorded changes (None if unknown)."""
    changes = rev.get("changes") or {}
    if isinstance(changes, str):  # FaqStore.revision() leaves it as stored
        changes = json.loads(changes)
    if rev["action"] == "delete":
        if not changes:
            return None
        return {"id": rev["entry_id"], **{k: v[0] for k, v in changes.items() if k in FIELDS}}
    if rev.get("snapshot") is None or rev["action"] == "create":
        return None
    return {**rev["snapshot"], **{k: v[0] for k, v in changes.items() if k in FIELDS}}


def restorable_state(rev: dict, side: str) -> dict | None:
    """The state to restore: the snapshot after `rev`, or (side="before") the state before it."""
    state = state_before(rev) if side == "before" else rev.get("snapshot")
    if not state:
        return None
    return {"id": rev["entry_id"], **{k: state.get(k) for k in FIELDS if k in state}}


def _diff(field: str, old, new) -> dict:
    if field in LIST_FIELDS:
        old, new = old or [], new or []
        return {
            "field": field,
            "kind": "list",
            "added": [x for x in new if x not in old],
            "removed": [x for x in old if x not in new],
        }
    if field == "enabled":
        old, new = ("是" if old else "否"), ("是" if new else "否")
    return {
        "field": field,
        "kind": "text",
        "old": "" if old is None else str(old),
        "new": "" if new is None else str(new),
    }


def describe_revision(rev: dict, oldest: bool = False) -> dict:
    """A revision ready for the history page: who, when, what, the field diffs, and the restore options."""
    changes = rev.get("changes") or {}
    diffs = [] if rev["action"] == "delete" else [_diff(k, *changes[k]) for k in FIELDS if k in changes]
    return {
        "id": rev["id"],
        "created_at": rev["created_at"],
        "author": rev["author"],
        "action": rev["action"],
        "diffs": diffs,
        "can_restore_after": rev.get("snapshot") is not None,
        "can_restore_before": (oldest or rev["action"] == "delete") and state_before(rev) is not None,
    }
