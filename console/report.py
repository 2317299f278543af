"""`bot.py stats`: totals from the consultation log, as text or JSON."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from settings import Settings
from storage import Store
from storage.stats import Period, Stats


def _check_day(option: str, value: str | None) -> None:
    """Days are compared as YYYY-MM-DD strings, so anything else would silently count nothing."""
    if value is None:
        return
    try:
        ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)) and bool(date.fromisoformat(value))
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"{option} 的日期应写成 YYYY-MM-DD，例如 2024-05-01（收到 {value!r}）")


def print_stats(settings: Settings, since: str | None, until: str | None, as_json: bool) -> None:
    _check_day("--since", since)
    _check_day("--until", until)
    if settings.DATABASE_PATH != ":memory:" and not Path(settings.DATABASE_PATH).exists():
        raise SystemExit(f"数据库文件不存在：{settings.DATABASE_PATH}（请检查 DATABASE_PATH）")
    store = Store(settings.DATABASE_PATH)
    summary = Stats(store.db).summary(Period(since, until))
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    period = f"{since or '最早'} 至 {until or '今天'}"
    print(f"统计区间：{period}")
    print(f"咨询总数：{summary['consultations']}    不同用户：{summary['distinct_users']}")
    print(
        f"已答复：{summary['answered']}  给出选项：{summary['suggested']}  未答上：{summary['unanswered']}"
        f"  大模型：{summary['llm']}"
    )
    print(f"新关注：{summary['new_followers']}  取消关注：{summary['unfollows']}")
    usage = summary.get("llm_usage") or {}
    if usage.get("answers"):
        print(
            f"大模型用量：{usage['answers']} 个答案，输入 {usage['prompt_tokens']} tokens"
            f"（平均 {usage['avg_prompt_tokens']}），输出 {usage['completion_tokens']} tokens"
            f"（平均 {usage['avg_completion_tokens']}）"
        )
    p50, p95 = summary["latency_p50_ms"], summary["latency_p95_ms"]
    if p50 is not None:
        print(f"回复耗时：中位数 {p50:.1f} ms，95% {p95:.1f} ms")
    print("按主题：")
    for topic, n in summary["by_topic"].items():
        print(f"  {topic}: {n}")
    print("未答上的问题（前10）：")
    for row in summary["top_unanswered"]:
        print(f"  {row['n']:>4}  {row['text']}  （最近 {row['last_day']}）")
