"""Turning an FAQ entry into the text a user sees (answer + its legal basis)."""

from __future__ import annotations

BASIS_PREFIX = "【依据】"


def render_answer(entry: dict) -> str:
    answer = entry["answer"].strip()
    basis = entry.get("legal_basis") or []
    if basis:
        answer += "\n\n" + BASIS_PREFIX + "；".join(basis)
    return answer
