"""`bot.py stats`: the statistics of a period as text or JSON: totals, every outcome on its own (a tentative
answer is not an answer), outcomes per topic, monthly totals for long ranges, unanswered questions."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

from faq.loader import TOPICS
from settings import Settings
from storage import Store
from storage.db import now_local
from storage.stats import Period, Stats, shown_outcomes
from storage.vocab import OUTCOME_LABELS, Outcome

MONTHLY_BEYOND_DAYS = 62


def _check_day(option: str, value: str | None) -> None:
    """Days are compared as YYYY-MM-DD strings, so anything else would silently count nothing."""
    if value is None:
        return
    try:
        ok = bool(re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)) and bool(date.fromisoformat(value))
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"{option} 的日期应写成 YYYY-MM-DD，例如 2024-05-01（收到 {value!r}）")


def width(text: str) -> int:
    """Columns a terminal gives `text`: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(header: list[str], rows: list[list], indent: str = "  ") -> list[str]:
    """Lines of a plain-text table: the first column left-aligned, the others right-aligned."""
    cells = [[str(c) for c in r] for r in [header, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    out = []
    for r in cells:
        parts = [r[0] + " " * (widths[0] - width(r[0]))]
        parts += [" " * (widths[i] - width(c)) + c for i, c in enumerate(r[1:], start=1)]
        out.append(indent + "  ".join(parts).rstrip())
    return out


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def collect(store: Store, since: str | None, until: str | None) -> dict:
    """The summary, with monthly totals when the range is longer than MONTHLY_BEYOND_DAYS days."""
    stats = Stats(store.db)
    summary = stats.summary(Period(since, until))
    first = since or stats.first_day()
    last = until or now_local().date().isoformat()
    months = None
    if first and first <= last and (date.fromisoformat(last) - date.fromisoformat(first)).days >= MONTHLY_BEYOND_DAYS:
        months = stats.series(Period(first, last), "month")
    return {**summary, "months": months}


def print_stats(settings: Settings, since: str | None, until: str | None, as_json: bool) -> None:
    _check_day("--since", since)
    _check_day("--until", until)
    if settings.DATABASE_PATH != ":memory:" and not Path(settings.DATABASE_PATH).exists():
        raise SystemExit(f"数据库文件不存在：{settings.DATABASE_PATH}（请检查 DATABASE_PATH）")
    summary = collect(Store(settings.DATABASE_PATH), since, until)
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print("\n".join(report_lines(summary, since, until)))


def report_lines(s: dict, since: str | None, until: str | None) -> list[str]:
    outcomes = shown_outcomes(s["outcomes"])
    labels = [OUTCOME_LABELS[Outcome(o)] for o in outcomes]
    lines = [
        f"统计区间：{since or '最早'} 至 {until or '今天'}",
        f"咨询总数：{s['consultations']}    不同用户：{s['distinct_users']}",
        f"答复率：{pct(s['answered_rate'])}（已答复 ÷ 咨询总数；试答、给出选项不算答复）",
        "按结果：",
        *table(
            ["结果", "次数", "占比"],
            [[OUTCOME_LABELS[Outcome(o)], s["outcomes"][o], pct(s[f"{o}_rate"])] for o in outcomes],
        ),
        f"新关注：{s['new_followers']}  取消关注：{s['unfollows']}",
    ]
    if s["behind"]:
        lines.append(f"注意：数据库现在不能写入，最近的 {s['behind']} 条咨询没有计入。")
    usage = s.get("llm_usage") or {}
    if usage.get("answers"):
        lines.append(
            f"大模型用量：{usage['answers']} 个答案，输入 {usage['prompt_tokens']} tokens"
            f"（平均 {usage['avg_prompt_tokens']}），输出 {usage['completion_tokens']} tokens"
            f"（平均 {usage['avg_completion_tokens']}）"
        )
    p50, p95 = s["latency_p50_ms"], s["latency_p95_ms"]
    if p50 is not None:
        lines.append(f"回复耗时：中位数 {p50:.1f} ms，95% {p95:.1f} ms")
    topic_rows = [
        [
            TOPICS.get(t["topic"], t["topic"]) if t["topic"] else "（未归入主题）",
            t["consultations"],
            *(t["outcomes"][o] for o in outcomes),
            pct(t["answered_rate"]),
        ]
        for t in s["topics"]
    ]
    lines += [
        "按主题：",
        *(table(["主题", "咨询", *labels, "答复率"], topic_rows) if topic_rows else ["  （没有咨询）"]),
    ]
    if s.get("months"):
        month_rows = [
            [
                r["start"][:7],
                r["consultations"],
                r["users"],
                *(r["outcomes"][o] for o in outcomes),
                pct(r["answered_rate"]),
            ]
            for r in s["months"]
        ]
        lines += ["每月合计：", *table(["月份", "咨询", "用户", *labels, "答复率"], month_rows)]
    lines.append("未答上的问题（前10）：")
    for row in s["top_unanswered"]:
        lines.append(f"  {row['n']:>4}  {row['text']}  （最近 {row['last_day']}）")
    return lines
