"""/admin/stats (admins): the statistics of a date range (comparison with the period before, the 答复率 trend,
outcomes per topic, monthly totals), the printable monthly summary, and the same tables as CSV / Excel."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from console.access import not_found, require_admin
from console.charts import daily_chart, topic_bars, trend_chart
from console.exports import table_response
from console.forms import quick_ranges
from console.periods import UNIT_NAMES, days_in, default_unit, report_title, stats_period, unit_from_args
from console.stats_report import DAILY_UP_TO_DAYS, build, tables, topic_name
from faq.loader import TOPICS

bp = Blueprint("stats", __name__, url_prefix="/admin/stats")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)


def period() -> tuple[str, str]:
    """(since, until) from the query string; at most MAX_DAYS days."""
    return stats_period(request.args)


def report(since: str, until: str, unit: str | None = None, daily: bool = True) -> dict:
    """The statistics of since..until (the JSON API returns this)."""
    data = build(since, until, unit or default_unit(since, until), daily)
    data["days"] = [{k: d[k] for k in ("day", "consultations", "users")} for d in data["daily"] or []]
    return data


def _page(template: str):
    since, until = period()
    unit = unit_from_args(request.args, since, until)
    data = report(since, until, unit, daily=days_in(since, until) <= DAILY_UP_TO_DAYS)
    return render_template(
        template,
        since=since,
        until=until,
        unit=unit,
        units=UNIT_NAMES,
        ranges=quick_ranges(),
        r=data,
        s=data["summary"],
        days=data["days"],
        chart=daily_chart(data["days"]) if data["days"] else None,
        trend=trend_chart(data["trend"]),
        topics_chart=topic_bars(data["summary"]["by_topic"], TOPICS),
        topic_name=topic_name,
        title=report_title(since, until),
    )


@bp.get("")
def index():
    return _page("stats.html")


@bp.get("/report")
def summary():
    """The monthly summary on one printable page (A4)."""
    return _page("stats_report.html")


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return render_template("error.html", code=404, message="只能导出 csv 或 xlsx。"), 404
    since, until = period()
    sheets, widths = tables(report(since, until, unit_from_args(request.args, since, until)))
    return table_response(sheets, fmt, f"stats-{since}_{until}", widths)
