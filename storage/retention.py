"""Retention rules: what is kept how long, and what deleting one user's data removes (个人信息保护法 第19条: kept
no longer than the purpose needs; 第47条: deleted on request).

Each rule says what it removes (in Chinese, for `bot.py purge` and the audit), how long it keeps it (a number of
days, or the name of a setting), how to count and remove what is older, and optionally how to remove one user's
data. A later feature registers its own rule next to its table, e.g. for a case store:

    register(Rule("cases", "结案超过保留期的案件登记", "CASE_RETENTION_DAYS",
                  count=..., expire=..., forget=...))

`plan` counts (the dry run), `purge` removes and writes one audit row, `forget_user` removes one user's data in
one transaction with its audit row.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from storage import anonymise, audit
from storage.db import CHINA_TZ, Database
from storage.login_throttle import FORGET_AFTER_SECONDS, KNOWN_ADDRESS_DAYS


@dataclass(frozen=True)
class Cutoff:
    """The moment before which a rule's data goes, as an epoch and as a China-time day and stamp."""

    ts: float

    @property
    def day(self) -> str:
        return datetime.fromtimestamp(self.ts, CHINA_TZ).strftime("%Y-%m-%d")

    @property
    def stamp(self) -> str:
        return datetime.fromtimestamp(self.ts, CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Rule:
    name: str
    what: str  # what goes, in Chinese
    keep: int | str  # days, or the name of a setting holding the days (0 there: keep for ever)
    count: Callable[[Database, Cutoff], int]
    expire: Callable[[Database, Cutoff], int]
    forget: Callable[[object, str, str], int] | None = None  # (connection, user_id, anonymous id) -> rows


RULES: list[Rule] = []


def register(rule: Rule) -> Rule:
    if any(r.name == rule.name for r in RULES):
        raise ValueError(f"retention rule {rule.name} registered twice")
    RULES.append(rule)
    return rule


def days_kept(rule: Rule, settings) -> int:
    return int(getattr(settings, rule.keep)) if isinstance(rule.keep, str) else rule.keep


def delete_rule(
    name: str, what: str, keep: int | str, table: str, where: str, cutoff: str = "ts", per_user: bool = False
) -> Rule:
    """A rule that deletes the rows of `table` matching `where`, whose one ? is the cutoff (`ts`, `day` or
    `stamp`); with `per_user`, deleting a user's data deletes their rows (by the table's user_id)."""

    def count(db: Database, c: Cutoff) -> int:
        return db.get().execute(f"SELECT count(*) FROM {table} WHERE {where}", [getattr(c, cutoff)]).fetchone()[0]

    def expire(db: Database, c: Cutoff) -> int:
        return db.get().execute(f"DELETE FROM {table} WHERE {where}", [getattr(c, cutoff)]).rowcount

    def forget(conn, user_id: str, _anon_id: str) -> int:
        return conn.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id]).rowcount

    return Rule(name, what, keep, count, expire, forget if per_user else None)


# The project's own rules. RETENTION_DAYS governs what users wrote; the rest are working data with fixed lives.
register(
    Rule(
        "consultations",
        "咨询记录：删除原文和用户化名（匿名化），保留日期、主题、结果等统计用的字段",
        "RETENTION_DAYS",
        count=lambda db, c: anonymise.count_old(db, c.day),
        expire=lambda db, c: anonymise.anonymise_old(db, c.day),
        forget=anonymise.forget_consultations,
    )
)
register(
    Rule(
        "remask",
        "按当前规则重新遮蔽较早存入的咨询原文（姓名、地址、中文数字写的号码）",
        0,
        count=lambda db, c: anonymise.remask_pending(db),
        expire=lambda db, c: anonymise.remask(db),
    )
)
register(
    delete_rule("users", "很久没来的用户记录（化名、首次和最近来访时间）", "RETENTION_DAYS", "users",
                "last_seen < ?", cutoff="stamp", per_user=True)
)  # fmt: skip
register(
    delete_rule("dismissed_questions", "标为“不用处理”的问题原文", "RETENTION_DAYS", "dismissed_questions",
                "created_at < ?", cutoff="stamp")
)  # fmt: skip
register(delete_rule("chat_state", "对话状态（上次给的编号选项）", 1, "chat_state", "updated < ?", per_user=True))
register(delete_rule("llm_jobs", "大模型答案的处理记录", 7, "llm_jobs", "created < ?", per_user=True))
register(delete_rule("message_replies", "微信重发去重用的已发回复", 1, "message_replies", "created < ?"))
register(
    delete_rule("login_throttle", "登录限流记录（一天没有新的失败）", FORGET_AFTER_SECONDS // 86400, "login_throttle",
                "updated < ?")
)  # fmt: skip
register(
    delete_rule("login_addresses", "工作人员登录过的地址", KNOWN_ADDRESS_DAYS, "login_addresses", "last_success < ?")
)
register(delete_rule("console_sessions", "已过期的控制台登录", 0, "console_sessions", "expires < ?"))
# console working data (console/drafts.py keeps a draft 24 hours, console/faq_transfer.py a checked upload 30 minutes)
register(delete_rule("form_drafts", "登录过期时暂存的控制台表单内容", 1, "form_drafts", "ts < ?"))
register(delete_rule("faq_import_checks", "检查过、等待确认的问答库导入文件", 1, "faq_import_checks", "ts < ?"))


@dataclass
class Planned:
    rule: Rule
    days: int
    cutoff: Cutoff | None  # None: the rule is off (a setting of 0)
    rows: int


def plan(db: Database, settings, now: float | None = None) -> list[Planned]:
    """What `purge` would remove now (the dry run)."""
    now = time.time() if now is None else now
    out = []
    for rule in RULES:
        days = days_kept(rule, settings)
        off = isinstance(rule.keep, str) and days <= 0
        cutoff = (
            None
            if off
            else Cutoff(_day_start(now - days * 86400) if isinstance(rule.keep, str) else now - days * 86400)
        )
        out.append(Planned(rule, days, cutoff, 0 if cutoff is None else rule.count(db, cutoff)))
    return out


def _day_start(ts: float) -> float:
    """Rules kept in whole days by a setting start at midnight China time (the log is counted by day)."""
    moment = datetime.fromtimestamp(ts, CHINA_TZ)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


@contextmanager
def scrubbing(db: Database):
    """Removed text must not linger in the file: SQLite overwrites what it frees with zeros (secure_delete), and
    the write-ahead log, which still holds earlier copies of the pages, is emptied afterwards (best effort: a reader
    in the middle of a transaction can keep part of it until the next checkpoint)."""
    sdb = db.get()
    before = sdb.execute("PRAGMA secure_delete").fetchone()[0]
    sdb.execute("PRAGMA secure_delete = ON")
    try:
        yield sdb
    finally:
        sdb.execute(f"PRAGMA secure_delete = {int(before)}")
        sdb.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def purge(db: Database, settings, actor: str = "purge", now: float | None = None) -> list[Planned]:
    """Remove what is past its retention, rule by rule; one audit row with the counts."""
    done = []
    with scrubbing(db) as sdb:
        for p in plan(db, settings, now):
            if p.cutoff is not None:
                p.rows = p.rule.expire(db, p.cutoff)
            done.append(p)
        counts = {p.rule.name: p.rows for p in done if p.rows}
        audit.record(sdb.conn, actor, "purge", None, counts)
    return done


USER_ID = re.compile(r"^u_[0-9A-Za-z_]{4,64}$")
# What a user's rows are, in the words the console and the CLI use.
TABLE_NAMES = {
    "consultations": "咨询记录",
    "chat_state": "对话状态",
    "llm_jobs": "大模型答案记录",
    "users": "用户记录",
    "inbox_threads": "给工作人员的留言",
    "outbox": "工作人员发给他的消息",
}


def is_user_id(text: str) -> bool:
    """A pseudonym as the log shows it (u_ and 32 hex digits; tests use shorter ones)."""
    return bool(USER_ID.match(text or ""))


def preview_user(db: Database, user_id: str) -> dict[str, int]:
    """How many rows of each kind one user has (what forget_user would remove)."""
    conn = db.get().conn
    out = {}
    for table in TABLE_NAMES:
        out[table] = conn.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", [user_id]).fetchone()[0]
    return out


def forget_user(db: Database, user_id: str, actor: str) -> dict[str, int]:
    """Delete one user's data (every rule that knows how) in one transaction, with an audit row."""
    anon_id = anonymise.new_anon_id()
    with scrubbing(db) as sdb, sdb.atomic():
        counts = {rule.name: rule.forget(sdb.conn, user_id, anon_id) for rule in RULES if rule.forget is not None}
        audit.record(sdb.conn, actor, "forget", user_id, counts)
    return counts
