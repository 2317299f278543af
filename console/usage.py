"""Per-entry usage in the FAQ list: how often each entry answered, answered tentatively (试答) and was marked
wrong (答错了), over the whole log (storage/answer_flags.py counts), and sorting the list by it."""

from __future__ import annotations

from console.access import services

USAGE_COLUMNS = (("answered", "答复"), ("tentative", "试答"), ("wrong", "答错"))
SORTS = {key for key, _ in USAGE_COLUMNS}


def entry_usage_table() -> dict[str, dict]:
    return services().store.flags.usage()


def sort_by_usage(entries: list[dict], usage: dict[str, dict], sort: str | None) -> list[dict]:
    """The entries, most used first by `sort` (answered, tentative or wrong); unchanged for anything else."""
    if sort not in SORTS:
        return entries
    return sorted(entries, key=lambda e: -(usage.get(e["id"]) or {}).get(sort, 0))
