"""/admin/api: JSON for scripts and the console's own pages (401/403 as JSON, never a redirect)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from console.access import admin_required, not_found, require_login
from console.faq_try import try_match
from console.periods import days_in, unit_from_args
from console.stats import period, report
from console.stats_report import DAILY_UP_TO_DAYS

bp = Blueprint("api", __name__, url_prefix="/admin/api")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)


@bp.get("/try")
def try_json():
    """What the live matcher does with ?q=: outcome, score and runners-up."""
    q = request.args.get("q", "").strip()[:500]
    if not q:
        return jsonify(error="missing q", message="请提供问题 q"), 400
    return jsonify(q=q, **try_match(q))


@bp.get("/stats")
@admin_required
def stats_json():
    """The statistics of ?since=&until= (default: the last 30 days)."""
    since, until = period()
    daily = days_in(since, until) <= DAILY_UP_TO_DAYS  # longer ranges: ?by=day gives the days as the trend
    return jsonify(report(since, until, unit_from_args(request.args, since, until), daily))
