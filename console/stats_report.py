"""The statistics of a period as the console shows, prints and exports them: one structure, so that the page, the
printable monthly summary and the Excel / CSV files always say the same.

Outcomes come from the vocabulary: the four an answer can have (答复, 试答, 给选项, 未答上) are always shown, any
other (紧急求助, 找人工, 案件登记 ...) as soon as it occurred in either period compared.
"""

from __future__ import annotations

from console.access import services
from console.periods import UNIT_NAMES, bucket_label, count_change, days_in, previous, rate_change
from console.xlsx import Percent
from faq.loader import TOPICS
from storage.privacy import mask_pii
from storage.stats import Period, Stats, shown_outcomes
from storage.vocab import OUTCOME_LABELS, Outcome

MONTHLY_BEYOND_DAYS = 62  # longer ranges get monthly totals
DAILY_UP_TO_DAYS = 92  # the page draws a day chart up to this; longer ranges have the monthly trend
NO_TOPIC = "（未归入主题）"
EMPTY = "—"


def build(since: str, until: str, unit: str, daily: bool = True) -> dict:
    """Everything the statistics page, the printable summary and the exports show for since..until (`daily`:
    with a row per day too)."""
    store = services().store
    stats = Stats(store.db)
    period = Period(since, until)
    summary = stats.summary(period)
    before_range = previous(since, until)
    before = stats.brief(Period(*before_range))
    entries = {e["id"]: e for e in store.faq.all()}
    for row in summary["top_entries"]:
        entry = entries.get(row["faq_id"])
        row["question"] = entry["question"] if entry else "（已删除的条目）"
        row["topic"] = entry["topic"] if entry else None
    for row in summary["top_unanswered"]:
        row["text"] = mask_pii(row["text"])
    trend = _labelled(stats.series(period, unit), unit)
    long = days_in(since, until) > MONTHLY_BEYOND_DAYS
    months = _labelled(stats.series(period, "month"), "month") if long and unit != "month" else None
    outcomes = shown_outcomes(summary["outcomes"], before["outcomes"])
    return {
        "since": since,
        "until": until,
        "before_range": before_range,
        "unit": unit,
        "summary": summary,
        "before": before,
        "outcomes": outcomes,
        "comparison": comparison(summary, before, outcomes),
        "trend": trend,
        "months": months,
        "daily": _labelled(stats.series(period, "day"), "day") if daily else None,
    }


def _labelled(rows: list[dict], unit: str) -> list[dict]:
    for r in rows:
        r["label"] = bucket_label(r["start"], r["end"], unit)
        r["short"] = bucket_label(r["start"], r["end"], unit, short=True)
    return rows


def comparison(cur: dict, before: dict, outcomes: list[str]) -> list[dict]:
    """The headline numbers of this period beside the previous one. Each row: label, value and previous value
    (kind n: a count, pct: a rate, ms: a time), for an outcome its share of the questions in each period, and the
    change (relative for counts and times, in percentage points for rates and shares)."""
    rows = [
        _row("咨询数（文字和语音）", cur["consultations"], before["consultations"]),
        _row("不同用户数", cur["distinct_users"], before["distinct_users"]),
        _row("答复率", cur["answered_rate"], before["answered_rate"], "pct"),
    ]
    for o in outcomes:
        row = _row(OUTCOME_LABELS[Outcome(o)], cur["outcomes"][o], before["outcomes"].get(o, 0))
        row.update(share=cur[f"{o}_rate"], previous_share=before.get(f"{o}_rate"))
        row["change"] = rate_change(row["share"], row["previous_share"])
        rows.append(row)
    return rows + [
        _row("新关注", cur["new_followers"], before["new_followers"]),
        _row("取消关注", cur["unfollows"], before["unfollows"]),
        _row("回复耗时中位数(ms)", cur["latency_p50_ms"], before["latency_p50_ms"], "ms"),
        _row("回复耗时95%分位(ms)", cur["latency_p95_ms"], before["latency_p95_ms"], "ms"),
    ]


def _row(label: str, value, previous, kind: str = "n") -> dict:
    change = rate_change(value, previous) if kind == "pct" else count_change(value, previous)
    return {
        "label": label,
        "value": value,
        "previous": previous,
        "change": change,
        "kind": kind,
        "share": None,
        "previous_share": None,
    }


def cell(value, kind: str = "n"):
    """A value for a file: a rate as a percentage, nothing (an empty period) as 「—」."""
    if value is None:
        return EMPTY
    return Percent(value) if kind == "pct" else value


def topic_name(topic: str | None) -> str:
    return TOPICS.get(topic, topic) if topic else NO_TOPIC


def tables(report: dict) -> tuple[list, dict]:
    """(tables, column widths) for the Excel and CSV files, in the order of the printable summary."""
    s, outcomes = report["summary"], report["outcomes"]
    labels = [OUTCOME_LABELS[Outcome(o)] for o in outcomes]
    (b_since, b_until) = report["before_range"]
    overview = [("统计区间", f"{report['since']} 至 {report['until']}", "", f"{b_since} 至 {b_until}", "", "")]
    overview += [
        (
            r["label"],
            cell(r["value"], r["kind"]),
            "" if r["kind"] != "n" or r["label"] not in labels else cell(r["share"], "pct"),
            cell(r["previous"], r["kind"]),
            "" if r["kind"] != "n" or r["label"] not in labels else cell(r["previous_share"], "pct"),
            r["change"] or EMPTY,
        )
        for r in report["comparison"]
    ]

    def series_rows(rows: list[dict]) -> list[tuple]:
        return [
            (
                r["label"],
                r["consultations"],
                r["users"],
                *(r["outcomes"][o] for o in outcomes),
                cell(r["answered_rate"], "pct"),
            )
            for r in rows
        ]

    series_header = ("咨询数", "用户数", *labels, "答复率")
    out = [
        ("概览", ("指标", "本期", "占比", "上期", "占比", "环比"), overview),
        ("每日", ("日期", *series_header), series_rows(report["daily"])),
        (
            "按主题",
            ("主题", "咨询数", *labels, "答复率"),
            [
                (
                    topic_name(t["topic"]),
                    t["consultations"],
                    *(t["outcomes"][o] for o in outcomes),
                    cell(t["answered_rate"], "pct"),
                )
                for t in s["topics"]
            ],
        ),
        ("常用条目", ("条目", "问题", "次数"), [(r["faq_id"], r["question"], r["n"]) for r in s["top_entries"]]),
        ("未答问题", ("问题", "次数", "最近日期"), [(r["text"], r["n"], r["last_day"]) for r in s["top_unanswered"]]),
        (f"趋势（{UNIT_NAMES[report['unit']]}）", ("周期", *series_header), series_rows(report["trend"])),
    ]
    if report["months"]:
        out.append(("每月", ("月份", *series_header), series_rows(report["months"])))
    widths = {"概览": (24, 24, 9, 24, 9, 16), "常用条目": (26, 50, 8), "未答问题": (60, 8, 12)}
    return out, widths
