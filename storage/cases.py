"""Registered cases (支持起诉 / 欠薪登记, see intake/) and their history.

A case row keeps in clear only what routing, the clock and the statistics need (kind, county, procuratorate,
amount, status, dates, the codes of what was done and what evidence exists). The phone number, everything the
person wrote (their name, the other side, the account in their own words) and the notes to them are encrypted
(store.cipher); the phone also has a keyed hash (blind index) so a second registration of the same number is
found without a readable copy. Anonymising a case (retention, a withdrawal, a deletion request) removes all of
that, and the notes in its history, and keeps the row for the statistics.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime

from storage.anonymise import new_anon_id
from storage.crypto import DataCipher
from storage.db import CHINA_TZ, Database
from storage.retention import Rule, delete_rule, register
from storage.vocab import CASE_ENDED, CASE_STATUS_ORDER, CaseStatus

_ENDED_SQL = "(" + ",".join(f"'{s}'" for s in sorted(CASE_ENDED)) + ")"
_CLEAR_COLUMNS = (
    "id number user_id created kind for_whom county procuratorate amount amount_approx actions evidence call_time"
    " status status_changed assignee first_contact ended referred_to anonymised"
).split()


def case_number(moment: float, seq: int) -> str:
    """2612070001: the China-time date (YYMMDD) and the day's running number, easy to read out on the phone."""
    return datetime.fromtimestamp(moment, CHINA_TZ).strftime("%y%m%d") + f"{seq:04d}"


@dataclass
class CaseQuery:
    status: str | None = None
    statuses: tuple[str, ...] | None = None
    kind: str | None = None
    procuratorates: tuple[str, ...] | None = None  # None = all (admins)
    assignee: str | None = None
    open_only: bool = False
    since: float | None = None
    until: float | None = None


class Cases:
    def __init__(self, db: Database, cipher: DataCipher):
        self.db = db
        self.cipher = cipher

    # writing (inside the caller's transaction: db.transaction())
    def create(self, fields: dict, now: float | None = None) -> str:
        """Insert a new case from the intake's answers; returns its number. Call inside db.transaction()."""
        now = time.time() if now is None else now
        sdb = self.db.get()
        prefix = case_number(now, 0)[:6]
        seq = sdb.execute("SELECT count(*) FROM cases WHERE number LIKE ?", [prefix + "%"]).fetchone()[0] + 1
        number = case_number(now, seq)
        phone = fields.get("phone")
        cur = sdb.execute(
            "INSERT INTO cases (number, user_id, created, kind, for_whom, county, procuratorate, amount, amount_approx,"
            " actions, evidence, call_time, phone, phone_hash, details, status, status_changed)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                number,
                fields["user_id"],
                now,
                fields["kind"],
                fields.get("for_whom"),
                fields.get("county"),
                fields["procuratorate"],
                fields.get("amount"),
                int(bool(fields.get("amount_approx"))),
                json.dumps(fields.get("actions") or []),
                json.dumps(fields.get("evidence") or []),
                fields.get("call_time"),
                self.cipher.encrypt(phone) if phone else None,
                self.cipher.blind_index(phone) if phone else None,
                self.cipher.encrypt_json(fields.get("details") or {}),
                CaseStatus.REGISTERED,
                now,
            ],
        )
        self.add_event(cur.lastrowid, "申请人", "registered", to_status=CaseStatus.REGISTERED, ts=now)
        return number

    def add_event(self, case_id: int, actor: str, action: str, *, from_status=None, to_status=None, note=None,
                  message=None, detail: dict | None = None, ts: float | None = None) -> int:  # fmt: skip
        return insert_event(
            self.db.get().conn, case_id, actor, action, from_status=from_status, to_status=to_status,
            note=self.cipher.encrypt(note) if note else None, message=self.cipher.encrypt(message) if message else None,
            detail=detail, ts=ts,
        )  # fmt: skip

    def set_status(self, case: dict, status: str, actor: str, note: str | None = None, public_note: str | None = None,
                   message: str | None = None, detail: dict | None = None) -> int:  # fmt: skip
        """Move a case to `status` (the caller checked the move is allowed); returns the event id."""
        now = time.time()
        sets = ["status = ?", "status_changed = ?"]
        params: list = [status, now]
        if public_note is not None:
            sets.append("public_note = ?")
            params.append(self.cipher.encrypt(public_note))
        if status in CASE_ENDED:
            sets.append("ended = COALESCE(ended, ?)")
            params.append(now)
        if status in CASE_STATUS_ORDER[1:]:
            sets.append("first_contact = COALESCE(first_contact, ?)")  # 初核 starts with the call
            params.append(now)
        if detail and detail.get("referred_to"):
            sets.append("referred_to = ?")
            params.append(detail["referred_to"])
        self.db.get().execute(f"UPDATE cases SET {', '.join(sets)} WHERE id = ?", [*params, case["id"]])
        return self.add_event(case["id"], actor, "status", from_status=case["status"], to_status=status, note=note,
                              message=message, detail=detail, ts=now)  # fmt: skip

    def mark_contacted(self, case: dict, actor: str, note: str | None = None) -> int:
        now = time.time()
        self.db.get().execute("UPDATE cases SET first_contact = COALESCE(first_contact, ?) WHERE id = ?", [now, case["id"]])
        return self.add_event(case["id"], actor, "contact", note=note, ts=now)

    def assign(self, case: dict, assignee: str | None, actor: str) -> int:
        self.db.get().execute("UPDATE cases SET assignee = ? WHERE id = ?", [assignee, case["id"]])
        return self.add_event(case["id"], actor, "assign", detail={"assignee": assignee})

    def add_note(self, case: dict, actor: str, note: str | None, message: str | None) -> int:
        """An internal note and/or a message to the applicant, without a status change."""
        if message:
            self.db.get().execute(
                "UPDATE cases SET public_note = ? WHERE id = ?", [self.cipher.encrypt(message), case["id"]]
            )
        return self.add_event(case["id"], actor, "note", note=note, message=message)

    def link_message(self, event_id: int, outbox_id: int) -> None:
        self.db.get().execute("UPDATE case_events SET outbox_id = ? WHERE id = ?", [outbox_id, event_id])

    def anonymise(self, case_id: int, user_id: str | None = None) -> None:
        anonymise_case(self.db.get().conn, case_id, user_id)

    def withdraw(self, case: dict, actor: str, reason: str) -> None:
        """The applicant withdrew (or asked for deletion): the case ends and its personal data goes at once
        (个人信息保护法第十五条、第四十七条第一款第三项)."""
        if case["status"] not in CASE_ENDED:
            self.set_status(case, CaseStatus.WITHDRAWN, actor, detail={"reason": reason})
        else:
            self.add_event(case["id"], actor, "withdrawn", detail={"reason": reason})
        self.anonymise(case["id"])

    # reading
    def get(self, number: str) -> dict | None:
        rows = list(self.db.get().query("SELECT * FROM cases WHERE number = ?", [number]))
        return self._row(rows[0]) if rows else None

    def for_user(self, user_id: str, open_only: bool = False) -> list[dict]:
        where = f" AND status NOT IN {_ENDED_SQL}" if open_only else ""
        rows = self.db.get().query(f"SELECT * FROM cases WHERE user_id = ?{where} ORDER BY id DESC", [user_id])
        return [self._row(r) for r in rows]

    def open_with_phone(self, phone: str, kind: str) -> list[dict]:
        rows = self.db.get().query(
            f"SELECT * FROM cases WHERE phone_hash = ? AND kind = ? AND status NOT IN {_ENDED_SQL} ORDER BY id",
            [self.cipher.blind_index(phone), kind],
        )
        return [self._row(r) for r in rows]

    def search(self, q: CaseQuery, limit: int = 10_000, offset: int = 0, personal: bool = True) -> list[dict]:
        where, params = self._where(q)
        rows = self.db.get().query(
            f"SELECT * FROM cases{where} ORDER BY id DESC LIMIT ? OFFSET ?", [*params, limit, offset]
        )
        return [self._row(r, personal) for r in rows]

    @staticmethod
    def _where(q: CaseQuery) -> tuple[str, list]:
        clauses, params = [], []
        for column, value in (("status", q.status), ("kind", q.kind), ("assignee", q.assignee)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        if q.statuses is not None:
            clauses.append(f"status IN ({','.join('?' * len(q.statuses)) or 'NULL'})")
            params += list(q.statuses)
        if q.procuratorates is not None:
            clauses.append(f"procuratorate IN ({','.join('?' * len(q.procuratorates)) or 'NULL'})")
            params += list(q.procuratorates)
        if q.open_only:
            clauses.append(f"status NOT IN {_ENDED_SQL}")
        if q.since is not None:
            clauses.append("created >= ?")
            params.append(q.since)
        if q.until is not None:
            clauses.append("created < ?")
            params.append(q.until)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def history(self, case_id: int) -> list[dict]:
        rows = list(self.db.get().query("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", [case_id]))
        for row in rows:
            row["note"] = self.cipher.decrypt(row["note"])
            row["message"] = self.cipher.decrypt(row["message"])
            row["detail"] = json.loads(row["detail"]) if row["detail"] else {}
        return rows

    def _row(self, row: dict, personal: bool = True) -> dict:
        out = {k: row[k] for k in _CLEAR_COLUMNS}
        out["actions"] = json.loads(row["actions"] or "[]")
        out["evidence"] = json.loads(row["evidence"] or "[]")
        if personal:
            out["phone"] = self.cipher.decrypt(row["phone"])
            out["details"] = self.cipher.decrypt_json(row["details"], {}) or {}
            out["public_note"] = self.cipher.decrypt(row["public_note"])
        return out


def insert_event(conn, case_id: int, actor: str, action: str, *, from_status=None, to_status=None, note=None,
                 message=None, detail: dict | None = None, ts: float | None = None) -> int:  # fmt: skip
    """One history row (note and message already encrypted) on an open connection."""
    cur = conn.execute(
        "INSERT INTO case_events (case_id, ts, actor, action, from_status, to_status, note, message, detail)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        [case_id, time.time() if ts is None else ts, actor[:64], action, from_status, to_status, note, message,
         json.dumps(detail, ensure_ascii=False) if detail else None],
    )  # fmt: skip
    return cur.lastrowid


def anonymise_case(conn, case_id: int, user_id: str | None = None) -> None:
    """Remove the personal data of one case and of its history (user_id: the id it keeps; None = unchanged)."""
    conn.execute(
        "UPDATE cases SET phone = NULL, phone_hash = NULL, details = NULL, public_note = NULL, anonymised = ?,"
        " user_id = COALESCE(?, user_id) WHERE id = ?",
        [time.time(), user_id, case_id],
    )
    conn.execute("UPDATE case_events SET note = NULL, message = NULL WHERE case_id = ?", [case_id])


# Retention (storage/retention.py): ended cases lose their personal data after CASE_RETENTION_DAYS; a deletion
# request removes it at once (the case ends as withdrawn if it was still open).
def _expire_cases(db: Database, cutoff) -> int:
    sdb = db.get()
    with sdb.atomic():
        ids = [r[0] for r in sdb.execute(_OLD_ENDED, [cutoff.ts]).fetchall()]
        for case_id in ids:
            anonymise_case(sdb.conn, case_id, new_anon_id())
    return len(ids)


def _forget_cases(conn, user_id: str, anon_id: str) -> int:
    now = time.time()
    rows = conn.execute("SELECT id, status FROM cases WHERE user_id = ?", [user_id]).fetchall()
    for case_id, status in rows:
        if status not in CASE_ENDED:
            conn.execute(
                "UPDATE cases SET status = ?, status_changed = ?, ended = ? WHERE id = ?",
                [CaseStatus.WITHDRAWN, now, now, case_id],
            )
            insert_event(conn, case_id, "申请人", "status", from_status=status, to_status=CaseStatus.WITHDRAWN,
                         detail={"reason": "删除个人信息"}, ts=now)  # fmt: skip
        anonymise_case(conn, case_id, anon_id)
    return len(rows)


_OLD_ENDED = f"SELECT id FROM cases WHERE status IN {_ENDED_SQL} AND ended < ? AND anonymised IS NULL"
register(
    Rule(
        "cases",
        "办结（含不予受理、转交、撤回）超过保留期的案件登记：删除电话、称呼、经过和备注，保留类别、金额、状态等统计用的字段",
        "CASE_RETENTION_DAYS",
        count=lambda db, c: db.get().execute(f"SELECT count(*) FROM ({_OLD_ENDED})", [c.ts]).fetchone()[0],
        expire=_expire_cases,
        forget=_forget_cases,
    )
)
register(
    delete_rule("intake_drafts", "没填完的案件登记（7 天后删除）", 7, "intake_drafts", "updated < ?", per_user=True)
)
register(
    delete_rule("intake_journal", "案件登记对话的已发回复（微信重发用，1 天后删除）", 1, "intake_journal",
                "created < ?", per_user=True)
)  # fmt: skip
register(
    delete_rule("case_access", "控制台查看、显示号码、导出案件的记录（3 年后删除）", 3 * 365, "case_access", "ts < ?")
)
