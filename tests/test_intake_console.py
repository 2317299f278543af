"""The staff side of registrations in the console: who sees which cases, the list and its clock, the case page
(masked phone, reveal, audit), status changes that reach the applicant, assignment, referral, the monthly report
and its Excel export, and caseworker accounts belonging to a procuratorate."""

from __future__ import annotations

import io
import time

import pytest
from openpyxl import load_workbook

from storage.vocab import CaseStatus
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, add_account
from tests.intake_fixtures import INTAKE_SETTINGS, SCRIPTS, Applicant, run_script
from tests.llm_fakes import APPID, APPSECRET, FakeWeChatApi, serve

DAY = 86400


@pytest.fixture
def app(make_app, console_faq_dir):  # noqa: F811 - the console app, with procuratorates to route to
    return make_app(FAQ_DIR=str(console_faq_dir), **INTAKE_SETTINGS)


def signed_in(app, name: str, role: str, procuratorate: str | None = None) -> ConsoleClient:
    store = app.extensions["pufa"].store
    add_account(store, name, role)
    store.accounts.set_procuratorate(name, procuratorate)
    client = ConsoleClient(app.test_client(), name)
    assert client.login().status_code == 302
    return client


def register(app, kind: str = "wages") -> tuple[Applicant, str]:
    person = Applicant(app)
    done = run_script(person, SCRIPTS[kind].lines)
    number = done.split("登记编号：", 1)[1].split()[0]
    return person, number


@pytest.fixture
def worker(app):
    return signed_in(app, "陈检察官", "caseworker", "城关区人民检察院")


def test_each_caseworker_sees_the_cases_of_their_procuratorate(app, worker, admin, editor):
    _, ours = register(app, "wages")  # 城关区
    _, theirs = register(app, "elder_support")  # 榆中县
    page = worker.text("/admin/cases")
    assert ours in page and theirs not in page
    assert worker.get(f"/admin/cases/{theirs}").status_code == 404
    everything = admin.text("/admin/cases")
    assert ours in everything and theirs in everything
    assert editor.get("/admin/cases").status_code == 403
    assert editor.get(f"/admin/cases/{ours}").status_code == 403
    assert "案件" not in editor.text("/admin/faq").split("<main", 1)[0]  # not in an editor's menu
    nobody = signed_in(app, "新人", "caseworker", None)
    assert "还没有归属检察院" in nobody.text("/admin/cases") and ours not in nobody.text("/admin/cases")


def test_the_list_filters_and_shows_the_clock_with_overdue_cases_highlighted(app, worker):
    _, fresh = register(app, "wages")
    _, old = register(app, "work_injury")
    store = app.extensions["pufa"].store
    store.db.get().execute("UPDATE cases SET created = ? WHERE number = ?", [time.time() - 12 * DAY, old])
    page = worker.text("/admin/cases")
    row = page.split(old, 1)[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    assert "超期" in page.split(old, 1)[1].split("</tr>", 1)[0]
    assert "1 件超期未联系" in page
    overdue_only = worker.text("/admin/cases?overdue=1")
    assert old in overdue_only and fresh not in overdue_only
    assert old not in worker.text("/admin/cases?kind=wages") and fresh in worker.text("/admin/cases?kind=wages")
    assert fresh not in worker.text("/admin/cases?mine=1")
    menu = worker.text("/admin/faq").split("<main", 1)[0]
    assert 'class="badge alert"' in menu and "2 件待联系，其中 1 件已超期" in menu


def test_the_phone_is_masked_until_revealed_and_every_look_is_recorded(app, worker, admin):
    _, number = register(app)
    page = worker.text(f"/admin/cases/{number}")
    assert "139****5678" in page and "13912345678" not in page and "王师傅" in page
    revealed = worker.post(f"/admin/cases/{number}/reveal").get_data(as_text=True)
    assert "13912345678" in revealed
    audit = admin.text("/admin/cases/audit")
    assert "陈检察官" in audit and "显示电话号码" in audit and "查看案件" in audit and number in audit
    assert worker.get("/admin/cases/audit").status_code == 403


def test_a_status_change_reaches_the_applicant_and_shows_in_their_progress(app, worker):
    person, number = register(app)
    resp = worker.post(
        f"/admin/cases/{number}/status",
        data={"status": "reviewing", "note": "电话打通了，老板在外地", "message": "我们已经在核实，请保管好欠条。"},
    )
    assert resp.status_code == 302
    page = worker.text(f"/admin/cases/{number}")
    assert "等申请人下次发消息时送达" in page and "电话打通了，老板在外地" in page
    reply = person.say("查询")
    assert reply.startswith("【登记进展】") and "初核" in reply and "我们已经在核实" in reply
    assert "电话打通了" not in reply  # internal notes stay inside
    assert "已在申请人下次发消息时送达" in worker.text(f"/admin/cases/{number}")
    case = app.extensions["pufa"].store.cases.get(number)
    assert case["status"] == CaseStatus.REVIEWING and case["first_contact"]


def test_with_the_customer_service_api_the_update_is_pushed(make_app, console_faq_dir):
    api = FakeWeChatApi()
    serve(api)
    try:
        app = make_app(FAQ_DIR=str(console_faq_dir), WECHAT_API_BASE=api.url, WECHAT_APPID=APPID,
                       WECHAT_APPSECRET=APPSECRET, db_name="push.db", **INTAKE_SETTINGS)  # fmt: skip
        worker = signed_in(app, "陈检察官", "caseworker", "城关区人民检察院")
        person, number = register(app)
        worker.post(f"/admin/cases/{number}/status", data={"status": "accepted", "message": "已受理。"})
        assert api.sent and api.sent[0]["touser"] == person.openid and "受理" in api.sent[0]["content"]
        assert "已用客服消息推送" in worker.text(f"/admin/cases/{number}")
    finally:
        api.shutdown()
        api.server_close()


def test_status_changes_follow_the_order_and_a_rejection_needs_a_reason(app, worker):
    _, number = register(app)
    assert worker.post(f"/admin/cases/{number}/status", data={"status": "accepted"}).status_code == 302
    back = worker.post(f"/admin/cases/{number}/status", data={"status": "reviewing"})
    assert back.status_code == 422 and "只能按顺序往后走" in back.get_data(as_text=True)
    no_reason = worker.post(f"/admin/cases/{number}/status", data={"status": "rejected"})
    assert no_reason.status_code == 422 and "写明理由" in no_reason.get_data(as_text=True)
    assert worker.post(f"/admin/cases/{number}/status", data={"status": "rejected", "message": "不属于民事纠纷"}).status_code == 302
    page = worker.text(f"/admin/cases/{number}")
    assert "不能再改状态" in page and "不属于民事纠纷" in page


def test_assign_and_refer_with_the_applicants_consent(app, worker):
    person, number = register(app)
    signed_in(app, "李检察官", "caseworker", "城关区人民检察院")
    worker.post(f"/admin/cases/{number}/assign", data={"assignee": "李检察官"})
    assert "李检察官" in worker.text(f"/admin/cases/{number}")
    worker.post(f"/admin/cases/{number}/assign", data={"me": "1"})
    assert number in worker.text("/admin/cases?mine=1")
    refused = worker.post(f"/admin/cases/{number}/refer", data={"body": "labor_inspection", "reason": "先走劳动监察"})
    assert refused.status_code == 422 and "征得申请人同意" in refused.get_data(as_text=True)
    done = worker.post(
        f"/admin/cases/{number}/refer", data={"body": "labor_inspection", "reason": "先走劳动监察", "consent": "1"}
    )
    assert done.status_code == 302
    assert "已转交劳动保障监察（人社局）办理" in person.say("查询")


def test_the_monthly_report_and_its_excel_export(app, worker, admin):
    register(app, "wages")
    register(app, "work_injury")
    _, third = register(app, "elder_support")
    assert worker.post(f"/admin/cases/{third}/status", data={"status": "reviewing"}).status_code == 404  # 榆中县's
    page = admin.text("/admin/cases/report")
    assert "案件月报" in page and "59,000" in page  # 8,500 + 50,000 + 500 (a month's 赡养费)
    assert "58,500" in page  # 城关区: the wages and the work injury
    resp = admin.get("/admin/cases/report.xlsx")
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    sheet = wb["月报"]
    assert "支持起诉和欠薪线索登记月报" in sheet["A1"].value
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "一、总体情况" in values and "二、按类别" in values and "三、按检察院" in values and "四、按办理状态" in values
    assert 59000 in values or 59000.0 in values
    detail = wb["案件明细"]
    cells = [c.value for row in detail.iter_rows() for c in row]
    assert third in cells and "13912345678" not in cells and "王师傅" not in cells
    assert "导出" in admin.text("/admin/cases/audit")
    mine = worker.text("/admin/cases/report")
    assert "58,500" in mine and "59,000" not in mine and "榆中县人民检察院" not in mine


def test_a_caseworker_account_needs_a_procuratorate(app, admin):
    form = {"name": "赵检察官", "role": "caseworker", "password": "a long enough passphrase", "confirm": "a long enough passphrase"}
    refused = admin.post("/admin/users", data=form)
    assert refused.status_code == 422 and "所属检察院" in refused.get_data(as_text=True)
    assert admin.post("/admin/users", data={**form, "procuratorate": "城关区人民检察院"}).status_code == 302
    account = app.extensions["pufa"].store.accounts.get("赵检察官")
    assert account["procuratorate"] == "城关区人民检察院"
    admin.post("/admin/users/赵检察官/update", data={"action": "procuratorate", "procuratorate": "榆中县人民检察院"})
    assert app.extensions["pufa"].store.accounts.get("赵检察官")["procuratorate"] == "榆中县人民检察院"
    assert "榆中县人民检察院" in admin.text("/admin/users")
