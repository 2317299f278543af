"""What importing a file would do to the FAQ: which entries it adds, changes and (only when asked) removes.

Pure Python, used twice for one import: for the preview staff confirm, and again inside the storage transaction
that applies it (so what is applied is planned from the FAQ as it is at that moment).

A row is matched to an existing entry by its id (编号); a row without an id is matched by its standard question,
so re-importing an edited export where someone cleared the 编号 cell updates instead of duplicating. A row that
matches nothing is new: the storage layer gives it an id (faq/ids.py). Fields a row leaves out (`enabled`,
`position`) keep the entry's current value; a new entry is enabled and placed last in its topic.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

# An entry's fields besides its id (storage keeps these columns; hub and followups come from the FAQ files).
FIELDS = ("topic", "question", "variants", "answer", "legal_basis", "enabled", "position", "hub", "followups")
MERGE, REPLACE = "merge", "replace"
MODES = (MERGE, REPLACE)


@dataclass
class ImportPlan:
    mode: str = MERGE
    added: list[dict] = field(default_factory=list)  # complete entries; "id" may be "" (to be generated)
    changed: list[tuple[dict, dict]] = field(default_factory=list)  # (before, after)
    removed: list[dict] = field(default_factory=list)  # only in REPLACE mode
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    def digest(self) -> str:
        """A short fingerprint of what this plan does; a confirmation is for exactly this plan."""
        parts = [
            self.mode,
            [e["question"] for e in self.added],
            [[b["id"], changed_fields(b, a)] for b, a in self.changed],
            [e["id"] for e in self.removed],
        ]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:16]


def changed_fields(before: dict, after: dict) -> list[str]:
    return [k for k in FIELDS if before.get(k) != after.get(k)]


def plan_import(current: list[dict], incoming: list[dict], mode: str = MERGE) -> ImportPlan:
    """The plan for importing `incoming` (clean rows, in file order) over `current` (the FAQ's entries)."""
    by_id = {e["id"]: e for e in current}
    by_question: dict[str, dict] = {}
    for e in current:
        by_question.setdefault(e["question"], e)
    last_position: dict[str, int] = {}
    for e in current:
        last_position[e["topic"]] = max(last_position.get(e["topic"], -1), int(e.get("position") or 0))
    plan = ImportPlan(mode=mode)
    kept: set[str] = set()
    for row in incoming:
        before = by_id.get(row["id"]) if row.get("id") else by_question.get(row["question"])
        if before is not None and before["id"] in kept:
            before = None  # two rows for one entry: validation reports it; never let one row eat another
        if before is None:
            after = {"enabled": True, **{k: row[k] for k in ("id", *FIELDS) if k in row}}
            after.setdefault("id", "")
            if "position" not in after:
                last_position[after["topic"]] = last_position.get(after["topic"], -1) + 1
                after["position"] = last_position[after["topic"]]
            plan.added.append(after)
            continue
        kept.add(before["id"])
        after = {**before, **{k: row[k] for k in FIELDS if k in row}, "id": before["id"]}
        if changed_fields(before, after):
            plan.changed.append((before, after))
        else:
            plan.unchanged += 1
    if mode == REPLACE:
        plan.removed = [e for e in current if e["id"] not in kept]
    return plan
