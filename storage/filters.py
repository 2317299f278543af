"""Small pieces for building WHERE clauses from optional filters (values always go in as parameters)."""

from __future__ import annotations

from collections.abc import Iterable


def add_conditions(parts: list[str], params: list, checks: Iterable[tuple[str, str, object]]) -> None:
    """Append `column op ?` for every (column, op, value) whose value is set."""
    for column, op, value in checks:
        if value:
            parts.append(f"{column} {op} ?")
            params.append(value)


def contains(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with %, _ and \\ taken literally (use with ESCAPE '\\')."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
