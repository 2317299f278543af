"""Model answers for staff review (the console calls these): list with filters, mark right or wrong, and turn one
into a prefilled FAQ entry.

A model answer is a consultation with outcome `llm`; its detail holds the answer text, the citations kept and
removed, the model's latency and the token counts (see llm/responder.py). Reviews live in `llm_reviews`, one row
per consultation: status `wrong`, `ok` or `faq` (turned into the FAQ entry `faq_id`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from storage.db import Database, local_stamp
from storage.filters import add_conditions, contains

REVIEW_STATUSES = ("wrong", "ok", "faq")
NOTICE_RE = re.compile(r"\s*（以上内容由AI生成[^）]*）\s*$")


@dataclass
class LlmAnswerQuery:
    """Filters for the review list; every field optional."""

    since: str | None = None  # YYYY-MM-DD inclusive (China time)
    until: str | None = None
    status: str | None = None  # "unreviewed", or one of REVIEW_STATUSES
    text: str | None = None  # substring of the question or the answer
    citation: str | None = None  # e.g. 《劳动合同法》第85条
    topic: str | None = None

    def where(self) -> tuple[str, list]:
        parts, params = ["c.outcome = 'llm'"], []
        add_conditions(
            parts, params, (("c.day", ">=", self.since), ("c.day", "<=", self.until), ("c.topic", "=", self.topic))
        )
        if self.status == "unreviewed":
            parts.append("r.status IS NULL")
        elif self.status:
            parts.append("r.status = ?")
            params.append(self.status)
        if self.text:
            parts.append("(c.text LIKE ? ESCAPE '\\' OR json_extract(c.detail, '$.answer') LIKE ? ESCAPE '\\')")
            params += [contains(self.text)] * 2
        if self.citation:
            parts.append("json_extract(c.detail, '$.citations') LIKE ? ESCAPE '\\'")
            params.append(contains(self.citation))
        return " AND ".join(parts), params


_SELECT = (
    "SELECT c.*, r.status AS review_status, r.note AS review_note, r.faq_id AS review_faq_id,"
    " r.reviewer AS reviewer, r.updated_at AS reviewed_at"
    " FROM consultations c LEFT JOIN llm_reviews r ON r.consultation_id = c.id"
)


def _shape(row: dict) -> dict:
    detail = json.loads(row["detail"]) if row.get("detail") else {}
    row["detail"] = detail
    row["answer"] = detail.get("answer", "")
    row["citations"] = detail.get("citations") or []
    row["removed_citations"] = detail.get("removed_citations") or []
    row["llm_latency_ms"] = detail.get("llm_latency_ms")
    row["prompt_tokens"] = detail.get("prompt_tokens")
    row["completion_tokens"] = detail.get("completion_tokens")
    row["model"] = detail.get("model")
    row["delivery"] = detail.get("delivery")
    return row


class LlmAnswers:
    def __init__(self, db: Database):
        self.db = db

    def list(self, query: LlmAnswerQuery | None = None, limit: int = 50, offset: int = 0) -> list[dict]:
        """Model answers matching `query`, newest first, each with its review (review_status None = unreviewed)."""
        where, params = (query or LlmAnswerQuery()).where()
        rows = self.db.get().query(
            f"{_SELECT} WHERE {where} ORDER BY c.ts DESC, c.id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return [_shape(r) for r in rows]

    def count(self, query: LlmAnswerQuery | None = None) -> int:
        where, params = (query or LlmAnswerQuery()).where()
        sql = f"SELECT count(*) FROM consultations c LEFT JOIN llm_reviews r ON r.consultation_id = c.id WHERE {where}"
        return self.db.get().execute(sql, params).fetchone()[0]

    def get(self, consultation_id: int) -> dict | None:
        rows = list(self.db.get().query(f"{_SELECT} WHERE c.id = ? AND c.outcome = 'llm'", [consultation_id]))
        return _shape(rows[0]) if rows else None

    def _review(self, consultation_id: int, status: str, reviewer: str, note: str = "", faq_id: str | None = None):
        if status not in REVIEW_STATUSES:
            raise ValueError(f"status must be one of {REVIEW_STATUSES}")
        if self.get(consultation_id) is None:
            return False
        stamp, _ = local_stamp()
        self.db.get().execute(
            "INSERT INTO llm_reviews (consultation_id, status, note, faq_id, reviewer, updated_at)"
            " VALUES (?,?,?,?,?,?) ON CONFLICT(consultation_id) DO UPDATE SET status = excluded.status,"
            " note = excluded.note, faq_id = excluded.faq_id, reviewer = excluded.reviewer,"
            " updated_at = excluded.updated_at",
            [consultation_id, status, note, faq_id, reviewer, stamp],
        )
        return True

    def mark_wrong(self, consultation_id: int, reviewer: str, note: str = "") -> bool:
        """Staff found the answer wrong; False when there is no such model answer."""
        return self._review(consultation_id, "wrong", reviewer, note)

    def mark_ok(self, consultation_id: int, reviewer: str, note: str = "") -> bool:
        return self._review(consultation_id, "ok", reviewer, note)

    def mark_converted(self, consultation_id: int, faq_id: str, reviewer: str) -> bool:
        """Record that the answer became FAQ entry `faq_id` (call after FaqStore.save succeeded)."""
        return self._review(consultation_id, "faq", reviewer, faq_id=faq_id)

    def clear_review(self, consultation_id: int) -> bool:
        cur = self.db.get().execute("DELETE FROM llm_reviews WHERE consultation_id = ?", [consultation_id])
        return cur.rowcount == 1

    def faq_draft(self, consultation_id: int) -> dict | None:
        """A new FAQ entry prefilled from a model answer, for staff to edit and save with FaqStore.save.

        The question is the user's (PII-masked) text, the answer the model's text without the AI notice, the
        legal basis the citations that passed the checks. It starts disabled and with one variant: the FAQ's
        checks (faq.loader.entry_problems) ask for five before it can be enabled.
        """
        row = self.get(consultation_id)
        if row is None:
            return None
        topic = row.get("topic") or "procuratorate_service"
        question = (row.get("text") or "").strip()
        return {
            "id": f"{topic.replace('_', '-')}-llm-{consultation_id}",
            "topic": topic,
            "question": question,
            "variants": [question] if question else [],
            "answer": NOTICE_RE.sub("", row["answer"]).strip(),
            "legal_basis": list(row["citations"]),
            "enabled": False,
        }
