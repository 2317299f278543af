"""/admin/stats (admins): statistics for a date range, with SVG charts, and CSV / Excel / JSON exports."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, render_template, request

from console.access import not_found, require_admin, services
from console.charts import daily_chart, fill_days, topic_bars
from console.exports import table_response
from console.forms import period_from_args, quick_ranges
from faq.loader import TOPICS
from storage.privacy import mask_pii
from storage.stats import Period, Stats

bp = Blueprint("stats", __name__, url_prefix="/admin/stats")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)
MAX_DAYS = 731


def report(since: str, until: str) -> dict:
    """The statistics of a date range: the storage summary, every day of the range, entry questions."""
    store = services().store
    stats = Stats(store.db)
    period = Period(since, until)
    summary = stats.summary(period)
    questions = {e["id"]: e["question"] for e in store.faq.all()}
    for row in summary["top_entries"]:
        row["question"] = questions.get(row["faq_id"], "（已删除的条目）")
    days = fill_days(stats.per_day(period), since, until)
    return {"summary": summary, "days": days}


def period() -> tuple[str, str]:
    """(since, until) from the query string; at most MAX_DAYS days."""
    since, until = period_from_args(request.args)
    end = date.fromisoformat(until)
    if (end - date.fromisoformat(since)).days >= MAX_DAYS:
        since = (end - timedelta(days=MAX_DAYS - 1)).isoformat()
    return since, until


@bp.get("")
def index():
    since, until = period()
    data = report(since, until)
    return render_template(
        "stats.html",
        since=since,
        until=until,
        ranges=quick_ranges(),
        s=data["summary"],
        days=data["days"],
        chart=daily_chart(data["days"]),
        topics_chart=topic_bars(data["summary"]["by_topic"], TOPICS),
    )


def _tables(since: str, until: str) -> list:
    data = report(since, until)
    s = data["summary"]

    def rate(x: float) -> str:
        return f"{x * 100:.1f}%"

    overview = [
        ("统计区间", f"{since} 至 {until}"),
        ("咨询数（文字和语音）", s["consultations"]),
        ("不同用户数", s["distinct_users"]),
        ("已答复", s["answered"]),
        ("给出选项", s["suggested"]),
        ("未答上", s["unanswered"]),
        ("大模型答复", s["llm"]),
        ("答复率", rate(s["answered_rate"])),
        ("给选项率", rate(s["suggested_rate"])),
        ("未答上率", rate(s["unanswered_rate"])),
        ("新关注", s["new_followers"]),
        ("取消关注", s["unfollows"]),
        ("回复耗时中位数(ms)", s["latency_p50_ms"]),
        ("回复耗时95%分位(ms)", s["latency_p95_ms"]),
    ]
    return [
        ("概览", ("指标", "数值"), overview),
        ("每日", ("日期", "咨询数", "用户数"), [(d["day"], d["consultations"], d["users"]) for d in data["days"]]),
        ("按主题", ("主题", "咨询数"), [(TOPICS.get(t or "", t), n) for t, n in s["by_topic"].items()]),
        ("常用条目", ("条目", "问题", "次数"), [(r["faq_id"], r["question"], r["n"]) for r in s["top_entries"]]),
        (
            "未答问题",
            ("问题", "次数", "最近日期"),
            [(mask_pii(r["text"]), r["n"], r["last_day"]) for r in s["top_unanswered"]],
        ),
    ]


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return render_template("error.html", code=404, message="只能导出 csv 或 xlsx。"), 404
    since, until = period()
    return table_response(_tables(since, until), fmt, f"stats-{since}_{until}")
