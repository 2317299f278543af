"""The consultation log (filters, paging, masking, exports) and the statistics page (numbers, charts, exports)."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from console.charts import daily_chart, nice_ceiling
from storage.db import now_local
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import log_question

TODAY = now_local().date()


def day(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


@pytest.fixture
def history(app):
    """A small, known log over the last few days."""
    log_question(
        app,
        "欠薪找哪个单位投诉",
        "answered",
        0,
        "u_aaaa0001",
        faq_id="wage-where",
        score=0.91,
        topic="wage_arrears",
        latency_ms=12,
    )
    log_question(
        app,
        "欠薪找哪个单位投诉",
        "answered",
        1,
        "u_aaaa0002",
        faq_id="wage-where",
        score=0.88,
        topic="wage_arrears",
        latency_ms=20,
    )
    log_question(
        app,
        "打仲裁收不收费",
        "answered",
        1,
        "u_aaaa0001",
        faq_id="arb-free",
        score=0.99,
        topic="arbitration_litigation",
        latency_ms=30,
    )
    log_question(
        app,
        "仲裁和起诉哪个快",
        "suggested",
        2,
        "u_aaaa0003",
        faq_id="arb-free",
        score=0.3,
        topic="arbitration_litigation",
        latency_ms=40,
        detail={"choices": [["arb-free", 0.3]]},
    )
    log_question(app, "我的电话13812345678，身份证110101199003071234", "unanswered", 2, "u_aaaa0003", latency_ms=50)
    log_question(app, '=HYPERLINK("http://x")', "unanswered", 3, "u_aaaa0004", latency_ms=1000)
    log_question(app, "", "event", 3, "u_aaaa0005", kind="subscribe")
    log_question(app, "", "event", 2, "u_aaaa0006", kind="subscribe")
    log_question(app, "", "event", 1, "u_aaaa0006", kind="unsubscribe")
    log_question(app, "很久以前", "answered", 60, "u_aaaa0007", faq_id="aid-apply", topic="legal_aid", latency_ms=5)
    return app


def test_the_log_lists_consultations_newest_first(history, admin):
    page = admin.text("/admin/logs")
    assert "10 条" in page
    assert page.index("欠薪找哪个单位投诉") < page.index("很久以前")
    assert "被拖欠工资，可以去哪里投诉？" in page and "0.91" in page  # which entry answered, with what score
    assert "已答复" in page and "给出选项" in page and "未答上" in page and "关注" in page
    assert "选项 「申请劳动仲裁要交钱吗？」 (0.30)" in page  # runner-ups by question, not id


def test_phone_and_id_numbers_stay_masked(history, admin):
    page = admin.text("/admin/logs")
    assert "13812345678" not in page and "110101199003071234" not in page
    assert "138****5678" in page and "110***********1234" in page
    csv_text = admin.get("/admin/logs/export.csv").data.decode("utf-8-sig")
    assert "13812345678" not in csv_text and "138****5678" in csv_text


@pytest.mark.parametrize(
    "query,present,absent",
    [
        ({"outcome": "unanswered"}, ["HYPERLINK"], ["打仲裁收不收费"]),
        ({"topic": "arbitration_litigation"}, ["打仲裁收不收费", "仲裁和起诉哪个快"], ["欠薪找哪个单位投诉"]),
        ({"kind": "subscribe"}, ["u_aaaa0005"], ["打仲裁收不收费"]),
        ({"q": "仲裁"}, ["打仲裁收不收费", "仲裁和起诉哪个快"], ["欠薪找哪个单位投诉"]),
        ({"q": "100%_"}, [], ["打仲裁收不收费"]),  # LIKE wildcards are literal
        ({"since": day(1), "until": day(1)}, ["打仲裁收不收费"], ["仲裁和起诉哪个快", "很久以前"]),
        ({"user": "u_aaaa0003"}, ["仲裁和起诉哪个快"], ["打仲裁收不收费"]),
    ],
)
def test_log_filters(history, admin, query, present, absent):
    page = admin.text("/admin/logs?" + "&".join(f"{k}={v}" for k, v in query.items()).replace("%", "%25"))
    for text in present:
        assert text in page
    for text in absent:
        assert text not in page.split("<tbody>")[-1]


def test_invalid_filters_are_ignored(history, admin):
    page = admin.text("/admin/logs?since=2024-02-30&outcome=<b>&page=999")
    assert "10 条" in page


def test_the_log_is_paginated(history, admin, monkeypatch):
    import console.logs as module

    monkeypatch.setattr(module, "PER_PAGE", 3)
    page = admin.text("/admin/logs")
    assert "第 1 / 4 页" in page and "下一页" in page
    page = admin.text("/admin/logs?page=4&outcome=")
    assert "第 4 / 4 页" in page and "很久以前" in page and "上一页" in page
    nav = admin.text("/admin/logs?topic=arbitration_litigation")
    assert "分页" not in nav  # two rows: one page


def test_log_csv_export(history, admin):
    resp = admin.get(f"/admin/logs/export.csv?since={day(3)}&until={day(0)}")
    assert resp.mimetype == "text/csv"
    assert f"consultations-{day(3)}_{day(0)}.csv" in resp.headers["Content-Disposition"]
    assert resp.data.startswith("\ufeff".encode())  # Excel reads UTF-8 with the BOM
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["时间", "用户（化名）", "类型", "内容", "结果"]
    assert len(rows) == 1 + 9
    texts = [r[3] for r in rows]
    assert '\'=HYPERLINK("http://x")' in texts  # no formula injection
    assert "很久以前" not in texts


def test_log_excel_export(history, admin):
    resp = admin.get("/admin/logs/export.xlsx?outcome=unanswered")
    ws = load_workbook(io.BytesIO(resp.data))["咨询日志"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "时间" and len(values) == 3
    cell = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # text, never a formula
    assert admin.get("/admin/logs/export.pdf").status_code == 404


def test_stats_page_numbers(history, admin):
    page = admin.text(f"/admin/stats?since={day(6)}&until={day(0)}")
    kpi = dict(re.findall(r"<span>([^<]+)</span><strong>([^<]+)</strong>", page))
    assert kpi["咨询"] == "6" and kpi["用户"] == "6"
    assert kpi["答复率"] == "50.0%" and kpi["给选项"] == "16.7%" and kpi["未答上"] == "33.3%"
    assert kpi["关注 / 取关"] == "+2 / −1"
    assert kpi["回复耗时"] == "30 ms"  # storage.stats: nearest-rank median of 12, 20, 30, 40, 50, 1000
    assert "95% 1000 ms" in page
    assert "仲裁和诉讼" in page and "欠薪讨薪" in page  # by topic
    assert "被拖欠工资，可以去哪里投诉？" in page  # top entries, by question
    assert "=HYPERLINK" in page and "138****5678" in page  # top unanswered, masked


def test_stats_chart_has_a_bar_per_day(history, admin):
    page = admin.text(f"/admin/stats?since={day(6)}&until={day(0)}")
    svg = page[page.index('<svg viewBox="0 0 720 260"') : page.index("</svg>")]
    assert svg.count('class="bar"') == 7
    assert f"{day(1)}：咨询 2，用户 3" in svg
    assert "<polyline" in svg


def test_stats_default_range_and_shortcuts(history, admin):
    page = admin.text("/admin/stats")
    assert f"{day(29)} 至 {day(0)}" in page
    assert "近 7 天" in page and "上月" in page
    assert "很久以前" not in page
    swapped = admin.text(f"/admin/stats?since={day(0)}&until={day(6)}")
    assert f"{day(6)} 至 {day(0)}" in swapped


def test_stats_exports(history, admin):
    resp = admin.get(f"/admin/stats/export.csv?since={day(6)}&until={day(0)}")
    text = resp.data.decode("utf-8-sig")
    assert "【概览】" in text and "咨询数（文字和语音）,6" in text and "【每日】" in text and "【未答问题】" in text
    assert "'=HYPERLINK" in text
    wb = load_workbook(io.BytesIO(admin.get(f"/admin/stats/export.xlsx?since={day(6)}&until={day(0)}").data))
    assert wb.sheetnames == ["概览", "每日", "按主题", "常用条目", "未答问题", "趋势（按周）"]
    assert wb["每日"].max_row == 8
    assert wb["概览"]["B3"].value == 6


def test_stats_api(history, admin):
    data = admin.get(f"/admin/api/stats?since={day(6)}&until={day(0)}").json
    assert data["summary"]["consultations"] == 6 and len(data["days"]) == 7


def test_the_range_is_capped(admin):
    page = admin.text("/admin/stats?since=2000-01-01&until=2030-01-01")
    assert "2028-01-02 至 2030-01-01" in page


def test_chart_geometry():
    days = [{"day": f"2024-05-0{i}", "consultations": n, "users": u} for i, n, u in ((1, 0, 0), (2, 7, 3), (3, 0, 0))]
    chart = daily_chart(days)
    assert len(chart["bars"]) == 3 and chart["bars"][1]["h"] > 0 and chart["bars"][0]["h"] == 0
    assert [t["value"] for t in chart["ticks"]] == [0, 2, 4, 6, 8, 10]
    assert [t["value"] for t in daily_chart([{"day": "d", "consultations": 3, "users": 1}])["ticks"]] == [0, 1, 2, 3, 4]
    assert [nice_ceiling(v) for v in (0, 3, 7, 11, 120, 999)] == [4, 4, 10, 20, 200, 1000]
    year = [
        {"day": (date(2023, 1, 1) + timedelta(days=i)).isoformat(), "consultations": 0, "users": 0} for i in range(365)
    ]
    assert len(daily_chart(year)["labels"]) <= 9
