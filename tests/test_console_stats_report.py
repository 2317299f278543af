"""Statistics for the monthly report: the comparison with the month before, the 答复率 trend, every outcome per topic
(tentative on its own), monthly totals, 「—」 for empty periods, the printable summary and the Excel / CSV files in
the same shape, log workbooks, dated file names, streaming, and dates that never give a 500."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import string
from datetime import datetime

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from bot import cli
from console.charts import _labels
from console.periods import previous, report_title, whole_months
from storage.consultations import Consultation
from storage.db import CHINA_TZ, now_local
from storage.log_search import LogQuery
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, make_account

TODAY = now_local().date().isoformat()
MAY = "since=2025-05-01&until=2025-05-31"


def log_on(app, day: str, outcome: str, text: str = "问题", user: str = "u_1", **kw) -> None:
    """One consultation at noon (China time) of `day`."""
    store = app.extensions["pufa"].store
    log_on.n = getattr(log_on, "n", 0) + 1
    ts = datetime.fromisoformat(f"{day}T12:00:00").replace(tzinfo=CHINA_TZ).timestamp() + log_on.n
    store.log.record(Consultation(user, kw.pop("kind", "text"), outcome, text, msg_key=f"r:{log_on.n}", ts=ts, **kw))


@pytest.fixture
def months(app):
    """April 2025: 4 questions (2 answered); May 2025: 8 questions with every kind of answer, in two topics."""
    for i, outcome in enumerate(["answered", "answered", "unanswered", "suggested"]):
        log_on(app, f"2025-04-{10 + i}", outcome, user=f"u_apr{i}", topic="wage_arrears", latency_ms=10)
    may = [
        ("2025-05-05", "answered", "wage_arrears"),
        ("2025-05-06", "answered", "wage_arrears"),
        ("2025-05-07", "answered", "legal_aid"),
        ("2025-05-13", "tentative", "wage_arrears"),
        ("2025-05-14", "tentative", "legal_aid"),
        ("2025-05-20", "suggested", "legal_aid"),
        ("2025-05-21", "unanswered", None),
        ("2025-05-28", "emergency", None),
    ]
    for i, (day, outcome, topic) in enumerate(may):
        log_on(app, day, outcome, text=f"五月的问题{i % 3}", user=f"u_may{i % 5}", topic=topic, latency_ms=20 + i)
    log_on(app, "2025-05-09", "event", text="", user="u_new", kind="subscribe")
    return app


def kpis(page: str) -> dict[str, str]:
    return dict(re.findall(r"<span>([^<]+)</span><strong>([^<]+)</strong>", page))


def test_month_over_month(months, admin):
    data = admin.get(f"/admin/api/stats?{MAY}").json
    assert data["before_range"] == ["2025-04-01", "2025-04-30"]
    rows = {r["label"]: r for r in data["comparison"]}
    assert (rows["咨询数（文字和语音）"]["value"], rows["咨询数（文字和语音）"]["previous"]) == (8, 4)
    assert rows["咨询数（文字和语音）"]["change"] == "+100.0%"
    assert rows["答复率"]["value"] == 0.375 and rows["答复率"]["previous"] == 0.5
    assert rows["答复率"]["change"] == "-12.5 个百分点"
    assert rows["试答（不确定）"]["value"] == 2 and rows["试答（不确定）"]["share"] == 0.25
    page = admin.text(f"/admin/stats?{MAY}")
    assert "上期 2025-04-01 至 2025-04-30" in page and "+100.0%" in page and "-12.5 个百分点" in page
    assert kpis(page)["答复率"] == "37.5%" and kpis(page)["试答"] == "25.0%"


def test_tentative_is_its_own_column_everywhere(months, admin, settings):
    page = admin.text(f"/admin/stats?{MAY}")
    topic_table = page[page.index("<h2>按主题和结果</h2>") :]
    assert '<th class="num">试答（不确定）</th>' in topic_table
    wb = load_workbook(io.BytesIO(admin.get(f"/admin/stats/export.xlsx?{MAY}").data))
    header = [c.value for c in wb["按主题"][1]]
    assert header[:6] == ["主题", "咨询数", "已答复", "试答（不确定）", "给出选项", "未答上"]
    wage = next(r for r in wb["按主题"].iter_rows(values_only=True) if r[0] == "欠薪讨薪")
    assert wage[1:4] == (3, 2, 1)  # questions, answered, tentative
    text = admin.get(f"/admin/stats/export.csv?{MAY}").data.decode("utf-8-sig")
    assert "主题,咨询数,已答复,试答（不确定）,给出选项,未答上,紧急求助,答复率" in text
    env = {"DATABASE_PATH": settings.DATABASE_PATH}
    out = CliRunner().invoke(cli, ["stats", "--since", "2025-05-01", "--until", "2025-05-31"], env=env).output
    assert "试答（不确定）" in out and "答复率：37.5%" in out
    assert re.search(r"欠薪讨薪\s+3\s+2\s+1\s+0\s+0\s+0\s+66\.7%", out)
    data = json.loads(CliRunner().invoke(cli, ["stats", "--json", "--since", "2025-05-01"], env=env).output)
    assert data["tentative"] == 2 and data["outcomes"]["tentative"] == 2 and data["tentative_rate"] == 0.25


def test_every_outcome_of_the_vocabulary_is_counted_once_it_occurs(months, admin):
    page = admin.text(f"/admin/stats?{MAY}")
    assert "紧急求助" in page  # occurred in May
    assert "找人工" not in page and "案件登记" not in page  # never occurred: no empty column
    log_on(months, "2025-05-30", "handoff", text="转人工")
    log_on(months, "2025-05-30", "intake", text="我要登记欠薪", topic="wage_arrears")
    page = admin.text(f"/admin/stats?{MAY}")
    assert "找人工" in page and "案件登记" in page
    wb = load_workbook(io.BytesIO(admin.get(f"/admin/stats/export.xlsx?{MAY}").data))
    assert {"找人工", "案件登记", "紧急求助"} <= {c.value for c in wb["按主题"][1]}


def test_an_empty_period_shows_a_dash_not_zero_percent(months, admin, settings):
    empty = "since=2001-01-01&until=2001-01-31"
    page = admin.text(f"/admin/stats?{empty}")
    k = kpis(page)
    assert k["咨询"] == "0" and k["答复率"] == "—" and k["试答"] == "—" and k["未答上"] == "—"
    assert "0.0%" not in page
    wb = load_workbook(io.BytesIO(admin.get(f"/admin/stats/export.xlsx?{empty}").data))
    overview = {r[0]: r[1] for r in wb["概览"].iter_rows(min_row=2, values_only=True)}
    assert overview["答复率"] == "—" and overview["咨询数（文字和语音）"] == 0
    csv_text = admin.get(f"/admin/stats/export.csv?{empty}").data.decode("utf-8-sig")
    assert "答复率,—" in csv_text and "0.0%" not in csv_text
    out = (
        CliRunner()
        .invoke(
            cli,
            ["stats", "--since", "2001-01-01", "--until", "2001-01-31"],
            env={"DATABASE_PATH": settings.DATABASE_PATH},
        )
        .output
    )
    assert "答复率：—" in out and "0.0%" not in out
    # an empty week in a trend has no rate either, and no point on the line
    trend = admin.get("/admin/api/stats?since=2025-04-28&until=2025-05-25&by=week").json["trend"]
    assert [w["answered_rate"] for w in trend][:3] == [
        None,
        1.0,
        0.0,
    ]  # 04-28 week: nothing asked; 05-12: tentative only


def test_the_trend_by_week_and_by_month(months, admin):
    page = admin.text(f"/admin/stats?{MAY}")
    assert "答复率趋势（按周）" in page  # a month: by week, the default
    trend = admin.get(f"/admin/api/stats?{MAY}").json["trend"]
    assert [(w["start"], w["end"]) for w in trend][:2] == [("2025-05-01", "2025-05-04"), ("2025-05-05", "2025-05-11")]
    assert len(trend) == 5 and trend[-1]["end"] == "2025-05-31"
    svg = page[page.index('class="trend-chart"') : page.index("</svg>", page.index('class="trend-chart"'))]
    assert svg.count('class="bar"') == 5
    year = admin.get("/admin/api/stats?since=2024-06-01&until=2025-05-31").json
    assert year["unit"] == "month" and len(year["trend"]) == 12
    assert year["trend"][-2]["consultations"] == 4 and year["trend"][-1]["answered_rate"] == 0.375
    daily = admin.get(f"/admin/api/stats?{MAY}&by=day").json["trend"]
    assert len(daily) == 31
    assert admin.get(f"/admin/api/stats?{MAY}&by=fortnight").json["unit"] == "week"  # unknown: the default


def test_monthly_totals_for_long_ranges(months, admin):
    page = admin.text("/admin/stats?since=2025-01-01&until=2025-06-30&by=week")
    assert "<h2>每月合计</h2>" in page and "2025年4月" in page and "2025年5月" in page
    wb = load_workbook(io.BytesIO(admin.get("/admin/stats/export.xlsx?since=2025-01-01&until=2025-06-30&by=week").data))
    assert wb.sheetnames[-2:] == ["趋势（按周）", "每月"]
    months_rows = {r[0]: r for r in wb["每月"].iter_rows(min_row=2, values_only=True)}
    assert months_rows["2025年4月"][1] == 4 and months_rows["2025年5月"][1] == 8
    assert "<h2>每月合计</h2>" not in admin.text(f"/admin/stats?{MAY}")


def test_the_printable_summary_and_the_excel_file_have_the_same_shape(months, admin):
    page = admin.text(f"/admin/stats/report?{MAY}")
    assert "<h1>2025年5月咨询情况月报</h1>" in page
    assert "data-print" in page and "stats.css" in page
    labels = re.findall(r'<th scope="row">([^<]+)</th>', page[page.index("<h2>概览</h2>") : page.index("答复率趋势")])
    wb = load_workbook(io.BytesIO(admin.get(f"/admin/stats/export.xlsx?{MAY}").data))
    sheet = [r[0] for r in wb["概览"].iter_rows(min_row=3, values_only=True)]
    assert labels == sheet  # the same rows, in the same order
    assert [c.value for c in wb["概览"][1]] == ["指标", "本期", "占比", "上期", "占比", "环比"]
    assert wb["概览"]["C6"].number_format == "0.0%"  # shares are numbers shown as percentages
    for title in ("按主题和结果", "最常见的未答问题", "最常用的条目"):
        assert title in page
    assert wb.sheetnames[:5] == ["概览", "每日", "按主题", "常用条目", "未答问题"]


def test_the_report_title_and_the_period_before():
    assert report_title("2025-05-01", "2025-05-31") == "2025年5月咨询情况月报"
    assert report_title("2025-01-01", "2025-03-31") == "2025年1月至2025年3月咨询情况"
    assert report_title("2025-05-03", "2025-05-09") == "2025-05-03 至 2025-05-09 咨询情况"
    assert previous("2025-03-01", "2025-03-31") == ("2025-02-01", "2025-02-28")
    assert previous("2025-01-01", "2025-03-31") == ("2024-10-01", "2024-12-31")
    assert previous("2025-05-03", "2025-05-09") == ("2025-04-26", "2025-05-02")
    assert previous("2000-01-01", "2000-01-31") == ("1999-12-01", "1999-12-31")
    assert whole_months("2024-02-01", "2024-02-29") == 1 and whole_months("2024-02-01", "2024-02-28") == 0


BAD_DATES = [
    "",
    "garbage",
    "2024-02-30",
    "2024-13-01",
    "0000-01-01",
    "0001-01-01",
    "1899-12-31",
    "9999-12-31",
    "10000-01-01",
    "-2024-01-01",
    "2024-1-1",
    "２０２４-０１-０１",
    "2024-01-01T00:00",
    "2024-01-01%00",
    "' OR 1=1 --",
    "<script>",
    "9" * 5000,
    "2024-00-10",
    "1e9",
]
PAGES = [
    "/admin/stats",
    "/admin/stats/report",
    "/admin/stats/export.csv",
    "/admin/stats/export.xlsx",
    "/admin/api/stats",
    "/admin/logs",
    "/admin/logs/export.csv",
]


@pytest.mark.parametrize("value", BAD_DATES)
def test_malformed_or_out_of_range_dates_never_give_a_500(months, admin, value):
    for path in PAGES:
        for query in (
            {"since": value},
            {"until": value},
            {"since": value, "until": value},
            {"since": value, "until": "2025-05-31", "by": value},
        ):
            resp = admin.get(path, query_string=query)
            assert resp.status_code == 200, (path, query, resp.status_code)
            resp.close()


def test_random_date_strings_never_give_a_500(months, admin):
    rng = random.Random(14)
    alphabet = string.digits * 4 + "-–/年月日 .:T+Z%\x00\u3000"
    for _ in range(120):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        if rng.random() < 0.5:  # something close to a real date
            value = f"{rng.randint(0, 12000):04d}-{rng.randint(0, 15):02d}-{rng.randint(0, 40):02d}"
        path = rng.choice(PAGES)
        resp = admin.get(
            path,
            query_string={rng.choice(["since", "until"]): value, "page": rng.choice(["0", "-3", "x", "99999999999"])},
        )
        assert resp.status_code == 200, (path, value)
        resp.close()


def test_the_widest_range_is_two_years_and_dates_stay_within_2000_to_2099(admin):
    page = admin.text("/admin/stats?since=1900-01-01&until=9999-12-31")
    assert "2097-12-31 至 2099-12-31" in page  # 731 days ending at the last day accepted
    page = admin.text("/admin/stats?since=0001-01-01&until=2000-01-05")
    assert "2000-01-01 至 2000-01-05" in page


def test_the_log_workbook_has_widths_filters_and_real_dates(months, admin):
    resp = admin.get("/admin/logs/export.xlsx")
    assert resp.is_streamed
    first = months.extensions["pufa"].store.log_search.first_day()
    assert f'filename="consultations-{first}_{TODAY}.xlsx"' in resp.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(resp.data))["咨询日志"]
    assert ws.auto_filter.ref == f"A1:K{ws.max_row}"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 20 and ws.column_dimensions["D"].width == 60
    assert ws["A1"].font.b
    cell = ws["A2"]
    assert cell.is_date and isinstance(cell.value, datetime) and cell.number_format == "yyyy-mm-dd hh:mm:ss"
    newest = months.extensions["pufa"].store.log_search.page(LogQuery()).rows[0]
    assert cell.value == datetime.strptime(newest["created_at"], "%Y-%m-%d %H:%M:%S")
    assert cell.value.date().isoformat() == "2025-05-28" and ws["E2"].value == "紧急求助"


def test_every_export_is_named_after_the_dates_it_covers(months, admin):
    cases = [
        ("/admin/logs/export.csv?since=2025-05-01&until=2025-05-31", "consultations-2025-05-01_2025-05-31.csv"),
        ("/admin/logs/export.csv?since=2025-05-01", f"consultations-2025-05-01_{TODAY}.csv"),
        ("/admin/logs/export.xlsx?until=2025-05-31", "consultations-2025-04-10_2025-05-31.xlsx"),
        (f"/admin/stats/export.xlsx?{MAY}", "stats-2025-05-01_2025-05-31.xlsx"),
    ]
    for url, name in cases:
        disposition = admin.get(url).headers["Content-Disposition"]
        assert f'filename="{name}"' in disposition and "start" not in disposition and "now" not in disposition


def test_exports_stream_their_rows(months, admin, monkeypatch):
    import console.exports
    import console.xlsx

    monkeypatch.setattr(console.exports, "CSV_FLUSH_ROWS", 3)
    monkeypatch.setattr(console.xlsx, "FLUSH_ROWS", 3)
    for fmt in ("csv", "xlsx"):
        resp = admin.get(f"/admin/logs/export.{fmt}", buffered=False)
        assert resp.is_streamed
        chunks = [c for c in resp.response if c]
        assert len(chunks) >= 4  # produced a few rows at a time, not built whole
        resp.close()
    rows = list(csv.reader(io.StringIO(admin.get("/admin/logs/export.csv").data.decode("utf-8-sig"))))
    assert len(rows) == 1 + 13


def test_the_log_pager_continues_from_the_last_row(months, admin, monkeypatch):
    import console.logs

    monkeypatch.setattr(console.logs, "PER_PAGE", 5)
    page = admin.text("/admin/logs")
    assert "13 条" in page and "第 1 / 3 页" in page
    link = re.search(r'<a href="([^"]+)">下一页', page).group(1).replace("&amp;", "&")
    assert "after=" in link and "page=2" in link
    second = admin.text(link)
    assert "第 2 / 3 页" in second and "上一页" in second
    first_times = re.findall(r'class="small nowrap">([^<]+)</td>', page)
    second_times = re.findall(r'class="small nowrap">([^<]+)</td>', second)
    assert len(first_times) == len(second_times) == 5 and max(second_times) < min(first_times)
    assert "第 3 / 3 页" in admin.text("/admin/logs?page=99")  # past the end: the last page


def test_a_text_search_says_when_there_are_more_than_it_counted(months, admin, monkeypatch):
    import console.logs
    import storage.log_search

    monkeypatch.setattr(storage.log_search, "TEXT_CAP", 4)
    monkeypatch.setattr(console.logs, "PER_PAGE", 3)
    page = admin.text("/admin/logs?q=五月")
    assert "4 条以上" in page and "下一页" in page and " / " not in page[page.index('class="pager"') :]


def test_the_model_answers_menu_item_needs_a_model_or_answers(make_app, console_faq_dir):
    app = make_app(FAQ_DIR=str(console_faq_dir))
    make_account(app, "admin1", "admin")
    c = ConsoleClient(app.test_client(), "admin1")
    c.login()
    assert "大模型答复" not in c.text("/admin/faq")  # no model configured, nothing to review
    assert c.get("/admin/llm").status_code == 200  # the page itself still opens
    with_model = make_app(
        FAQ_DIR=str(console_faq_dir),
        db_name="m.db",
        LLM_BASE_URL="http://127.0.0.1:9/v1",
        LLM_API_KEY="k",
        LLM_MODEL="m",
    )
    make_account(with_model, "admin1", "admin")
    m = ConsoleClient(with_model.test_client(), "admin1")
    m.login()
    assert re.search(r'<a href="/admin/llm"\s*>大模型答复</a>', m.text("/admin/faq"))
    log_on(app, "2025-05-05", "llm", text="老板跑了怎么办")  # an answer from when a model was configured
    assert "大模型答复" in c.text("/admin/faq")


def test_phone_charts_hide_every_other_label():
    labels = _labels([f"d{i}" for i in range(30)], 20.0)
    assert len(labels) <= 8 and [lab["minor"] for lab in labels][:4] == [False, True, False, True]
