"""Accounts: `bot.py users add|list|disable` (password never on the command line) and the /admin/users page."""

import re

import pytest
from click.testing import CliRunner

from bot import cli
from console.cli import users_add
from console.passwords import verify_password
from storage import Store
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import PASSWORD, ConsoleClient, make_account


@pytest.fixture
def cli_env(tmp_path, console_faq_dir):
    return {"DATABASE_PATH": str(tmp_path / "cli.db"), "FAQ_DIR": str(console_faq_dir), "WECHAT_TOKEN": "t"}


def test_users_add_reads_the_password_from_stdin(cli_env):
    result = CliRunner().invoke(
        cli, ["users", "add", "王主任", "--role", "admin"], input="a long password\n", env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert "已添加管理员账号：王主任" in result.output
    account = Store(cli_env["DATABASE_PATH"]).accounts.get("王主任")
    assert account["role"] == "admin" and account["password_hash"].startswith("$argon2id$")
    assert verify_password(account["password_hash"], "a long password")
    assert "a long password" not in result.output


def test_users_add_prompts_on_a_terminal(cli_env, monkeypatch):
    import console.cli as module

    answers = iter(["typed password", "typed password"])
    monkeypatch.setattr(module, "_interactive", lambda: True)
    monkeypatch.setattr(module, "getpass", lambda prompt: next(answers))
    result = CliRunner().invoke(cli, ["users", "add", "li", "--role", "editor"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert verify_password(Store(cli_env["DATABASE_PATH"]).accounts.get("li")["password_hash"], "typed password")
    answers = iter(["typed password", "different"])
    result = CliRunner().invoke(cli, ["users", "add", "li", "--role", "editor"], env=cli_env)
    assert result.exit_code == 1 and "两次输入的密码不一致" in result.output


def test_users_add_has_no_password_option(cli_env):
    assert all("password" not in (p.name or "") for p in users_add.params)
    result = CliRunner().invoke(cli, ["users", "add", "x1", "--role", "admin", "--password", "secret123"], env=cli_env)
    assert result.exit_code == 2 and "No such option" in result.output


@pytest.mark.parametrize(
    "args,password,message",
    [
        (["users", "add", "ok-name", "--role", "editor"], "short\n", "密码至少 8 位"),
        (["users", "add", "x", "--role", "editor"], "long enough\n", "用户名为 2–32 个字符"),
        (["users", "add", "bad name!", "--role", "editor"], "long enough\n", "用户名为 2–32 个字符"),
        (["users", "add", "ok-name", "--role", "root"], "long enough\n", "Invalid value for '--role'"),
    ],
)
def test_users_add_refuses_bad_input(cli_env, args, password, message):
    result = CliRunner().invoke(cli, args, input=password, env=cli_env)
    assert result.exit_code != 0 and message in result.output


def test_users_list_and_disable(cli_env):
    runner = CliRunner()
    assert "还没有账号" in runner.invoke(cli, ["users", "list"], env=cli_env).output
    runner.invoke(cli, ["users", "add", "boss", "--role", "admin"], input="password one\n", env=cli_env)
    runner.invoke(cli, ["users", "add", "clerk", "--role", "editor"], input="password two\n", env=cli_env)
    out = runner.invoke(cli, ["users", "list"], env=cli_env).output
    assert "boss\t管理员" in out and "clerk\t编辑" in out
    assert runner.invoke(cli, ["users", "disable", "clerk"], env=cli_env).exit_code == 0
    assert "clerk\t编辑" in runner.invoke(cli, ["users", "list"], env=cli_env).output
    assert "（已停用）" in runner.invoke(cli, ["users", "list"], env=cli_env).output
    assert runner.invoke(cli, ["users", "disable", "ghost"], env=cli_env).exit_code == 1
    runner.invoke(cli, ["users", "disable", "--enable", "clerk"], env=cli_env)
    assert "（已停用）" not in runner.invoke(cli, ["users", "list"], env=cli_env).output


def test_the_users_page_lists_accounts(app, admin):
    make_account(app, "editor1", "editor")
    page = admin.text("/admin/users")
    assert "admin1" in page and "editor1" in page and "添加账号" in page


def test_an_admin_adds_an_editor_who_can_then_log_in(app, admin):
    data = {"name": "新编辑", "role": "editor", "password": "editor password", "confirm": "editor password"}
    assert admin.post("/admin/users", data=data).status_code == 302
    c = ConsoleClient(app.test_client(), "新编辑")
    assert c.login("editor password").status_code == 302
    assert c.get("/admin/users").status_code == 403


@pytest.mark.parametrize(
    "data,message",
    [
        ({"name": "admin1", "role": "editor", "password": "x" * 10, "confirm": "x" * 10}, "这个用户名已存在"),
        ({"name": "ab", "role": "boss", "password": "x" * 10, "confirm": "x" * 10}, "请选择角色"),
        ({"name": "ab", "role": "editor", "password": "short", "confirm": "short"}, "密码至少 8 位"),
        ({"name": "ab", "role": "editor", "password": "x" * 10, "confirm": "y" * 10}, "两次输入的密码不一致"),
    ],
)
def test_adding_an_account_checks_the_form(admin, data, message):
    resp = admin.post("/admin/users", data=data)
    assert resp.status_code == 422 and message in resp.get_data(as_text=True)


def test_roles_passwords_and_disabling(app, admin):
    make_account(app, "editor1", "editor")
    accounts = app.extensions["pufa"].store.accounts
    editor = ConsoleClient(app.test_client(), "editor1")
    editor.login()
    admin.post("/admin/users/editor1/update", data={"action": "role", "role": "admin"})
    assert accounts.get("editor1")["role"] == "admin"
    assert editor.get("/admin/logs").status_code == 200  # the new role applies to the running session
    admin.post("/admin/users/editor1/update", data={"action": "password", "password": "brand new pass"})
    assert editor.get("/admin/faq").status_code == 302  # a reset ends the account's sessions
    assert ConsoleClient(app.test_client(), "editor1").login("brand new pass").status_code == 302
    asked = admin.post("/admin/users/editor1/update", data={"action": "disable"})  # without JavaScript: asks first
    assert asked.status_code == 200 and "停用账号 editor1？" in asked.get_data(as_text=True)
    assert not accounts.get("editor1")["disabled"]
    admin.post("/admin/users/editor1/update", data={"action": "disable", "confirmed": "1"})
    assert accounts.get("editor1")["disabled"]
    admin.post("/admin/users/editor1/update", data={"action": "role", "role": "editor"})
    assert accounts.get("editor1")["disabled"] and accounts.get("editor1")["role"] == "editor"
    admin.post("/admin/users/editor1/update", data={"action": "enable"})
    assert not accounts.get("editor1")["disabled"]
    assert admin.post("/admin/users/ghost/update", data={"action": "disable"}).status_code == 404


def test_the_console_keeps_an_active_admin(app, admin):
    accounts = app.extensions["pufa"].store.accounts
    admin.post("/admin/users/admin1/update", data={"action": "disable", "confirmed": "1"})
    admin.post("/admin/users/admin1/update", data={"action": "role", "role": "editor"})
    assert accounts.get("admin1")["role"] == "admin" and not accounts.get("admin1")["disabled"]
    assert "不能停用或降级自己" in admin.text("/admin/users")
    make_account(app, "admin2", "admin")
    admin.post("/admin/users/admin2/update", data={"action": "disable", "confirmed": "1"})
    assert accounts.get("admin2")["disabled"]
    assert admin.post("/admin/users/admin1/update", data={"action": "password", "password": "short"}).status_code == 302
    assert "密码至少 8 位" in admin.text("/admin/users")
    assert verify_password(accounts.get("admin1")["password_hash"], PASSWORD)


def test_adding_an_account_starts_at_the_least_powerful_role(admin):
    page = admin.text("/admin/users")
    form = page[page.index("<h2>添加账号</h2>") :]
    selected = re.findall(r'<option value="(\w+)" selected>', form)
    assert selected == ["editor"]
