"""`bot.py cases list|show|update|overdue` and `bot.py users add --role caseworker --procuratorate`: JSON fields,
updates that reach the applicant's progress query, the overdue list for cron, the access record."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from bot import cli
from tests.conftest import SECRET, TOKEN
from tests.intake_fixtures import INTAKE_SETTINGS, SCRIPTS, Applicant, run_script


@pytest.fixture
def app(make_app):
    return make_app(**INTAKE_SETTINGS)


@pytest.fixture
def run(app):
    env = {
        "DATABASE_PATH": app.extensions["pufa"].settings.DATABASE_PATH,
        "WECHAT_TOKEN": TOKEN,
        "SECRET_KEY": SECRET,
        **{k: str(v) for k, v in INTAKE_SETTINGS.items()},
    }

    def invoke(*args, stdin: str | None = None):
        return CliRunner().invoke(cli, list(args), env=env, input=stdin)

    return invoke


def register(app, kind: str = "wages") -> tuple[Applicant, str]:
    person = Applicant(app)
    done = run_script(person, SCRIPTS[kind].lines)
    return person, done.split("登记编号：", 1)[1].split()[0]


def test_show_json_has_the_fields_scripts_rely_on(app, run):
    _, number = register(app)
    result = run("cases", "show", number, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["number"] == number and data["status"] == "registered" and data["kind"] == "wages"
    assert data["phone"] == "13912345678" and data["amount"] == 8500 and isinstance(data["amount"], float)
    assert data["procuratorate"] == "城关区人民检察院"
    assert data["history"][0]["action"] == "registered" and data["history"][0]["to"] == "registered"
    access = app.extensions["pufa"].store.case_access.recent(5, number)
    assert access[0]["action"] == "cli_show" and access[0]["actor"].startswith("cli:")
    assert run("cases", "show", "0000000000").exit_code != 0


def test_list_json_and_status_filter(app, run):
    _, first = register(app, "wages")
    _, second = register(app, "elder_support")
    rows = json.loads(run("cases", "list", "--json").output)
    assert [r["number"] for r in rows] == [second, first]
    assert "phone" not in rows[0] and rows[1]["amount"] == 8500
    run("cases", "update", first, "--status", "reviewing")
    only = json.loads(run("cases", "list", "--status", "reviewing", "--json").output)
    assert [r["number"] for r in only] == [first]
    text = run("cases", "list").output
    assert first in text and "初核" in text


def test_update_reaches_the_applicants_progress_query(app, run):
    person, number = register(app)
    result = run("cases", "update", number, "--status", "accepted", "--note", "内部：老板有财产", "--message", "已受理，请带欠条来。")
    assert result.exit_code == 0, result.output
    assert "受理" in result.output and "pending" in result.output  # no API here: it waits for their next message
    reply = person.say("进度")
    assert "已受理" in reply and "请带欠条来" in reply and "老板有财产" not in reply
    history = json.loads(run("cases", "show", number, "--json").output)["history"]
    change = history[-1]
    assert change["to"] == "accepted" and change["note"] == "内部：老板有财产"
    assert change["delivery"]["state"] == "delivered"
    backwards = run("cases", "update", number, "--status", "reviewing")
    assert backwards.exit_code != 0 and "只能按顺序往后走" in backwards.output
    reject = run("cases", "update", number, "--status", "rejected")
    assert reject.exit_code != 0 and "理由" in reject.output


def test_overdue_lists_the_cases_past_the_promise_for_cron(app, run):
    _, late = register(app, "wages")
    _, fresh = register(app, "work_injury")
    assert run("cases", "overdue").exit_code == 0
    store = app.extensions["pufa"].store
    store.db.get().execute("UPDATE cases SET created = ? WHERE number = ?", [time.time() - 14 * 86400, late])
    result = run("cases", "overdue")
    assert result.exit_code == 1 and late in result.output and fresh not in result.output
    assert [r["number"] for r in json.loads(run("cases", "overdue", "--json").output)] == [late]
    run("cases", "update", late, "--status", "reviewing")  # called at last
    assert run("cases", "overdue").exit_code == 0


def test_users_add_caseworker_with_a_procuratorate(app, run):
    missing = run("users", "add", "赵检察官", "--role", "caseworker", stdin="a long enough passphrase\n")
    assert missing.exit_code != 0 and "--procuratorate" in missing.output
    wrong = run("users", "add", "赵检察官", "--role", "caseworker", "--procuratorate", "火星检察院",
                stdin="a long enough passphrase\n")  # fmt: skip
    assert wrong.exit_code != 0 and "城关区人民检察院" in wrong.output
    ok = run("users", "add", "赵检察官", "--role", "caseworker", "--procuratorate", "榆中县人民检察院",
             stdin="a long enough passphrase\n")  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert app.extensions["pufa"].store.accounts.get("赵检察官")["procuratorate"] == "榆中县人民检察院"
    assert "榆中县人民检察院" in run("users", "list").output
