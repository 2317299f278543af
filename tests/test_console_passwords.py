"""The password rule: common and trivial passwords are refused everywhere a password is set, saying why in Chinese."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bot import cli
from console.passwords import COMMON_FILE, common_passwords, password_problem, strength_problem
from storage import Store
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import ConsoleClient, make_account

WEAK = {
    "12345678": "连续",
    "aaaaaaaa": "重复",
    "87654321": "连续",
    "abcdefgh": "连续",
    "qwertyuiop": "键盘",
    "1qaz2wsx": "键盘",
    "12121212": "重复",
    "abcabcabc": "重复",
    "11111111a": "重复",
    "password": "常见",
    "Password123!": "常见",
    "P@ssw0rd": "常见",
    "iloveyou": "常见",
    "woaini1314": "常见",
    "5201314520": "常见",
    "zhangwei": "常见",
    "dragon2024": "常见",
    "jianchayuan": "常见",
    "19900101": "日期",
    "1990-01-01": "日期",
    "13812345678": "手机号",
    "abcd1234": "连续",
    "qwerty123": "键盘",
}
STRONG = [
    "a long password",
    "correct horse battery",
    "Tq8#vL2m!x",
    "蓝色的海边123",
    "春眠不觉晓处处闻啼鸟",
    "j7Gk2pQ9",
    "工地上的老张说欠薪要报警",
]


@pytest.mark.parametrize("password,why", WEAK.items())
def test_weak_passwords_are_refused_with_a_reason(password, why):
    problem = password_problem(password, password, "someone")
    assert problem is not None and why in problem, (password, problem)


@pytest.mark.parametrize("password", STRONG)
def test_ordinary_good_passwords_are_accepted(password):
    assert password_problem(password, password, "someone") is None


def test_the_user_name_is_refused_inside_a_password():
    assert "用户名" in strength_problem("wangzhuren-2026!", "wangzhuren")
    assert "用户名" in strength_problem("my name is 王主任 ok", "王主任")
    assert "用户名" in strength_problem("neruhzgnaw-2026", "wangzhuren")  # backwards too


def test_the_order_of_the_checks_keeps_the_simple_reasons_first():
    assert password_problem("short", "short") == "密码至少 8 位"
    assert password_problem("x" * 10, "y" * 10) == "两次输入的密码不一致"
    assert "重复" in password_problem("x" * 10, "x" * 10)


def test_the_common_password_list_ships_with_the_project():
    assert COMMON_FILE.is_file()
    words = common_passwords()
    assert len(words) > 15000
    assert {"123456789", "password", "woaini1314", "qwertyuiop", "1qaz2wsx"} <= words
    assert all(w == w.lower() and w.strip() == w for w in list(words)[:2000])


@pytest.mark.parametrize("password", ["12345678", "aaaaaaaa"])
def test_the_console_refuses_trivial_passwords_everywhere(app, admin, password):
    """Issue 12: 12345678 and aaaaaaaa were accepted."""
    accounts = app.extensions["pufa"].store.accounts
    resp = admin.post(
        "/admin/users", data={"name": "新编辑", "role": "editor", "password": password, "confirm": password}
    )
    assert resp.status_code == 422 and accounts.get("新编辑") is None
    make_account(app, "editor1", "editor")
    admin.post("/admin/users/editor1/update", data={"action": "password", "password": password})
    assert ConsoleClient(app.test_client(), "editor1").login(password).status_code == 200
    before = accounts.get("admin1")["password_hash"]
    admin.post(
        "/admin/account", data={"password": "correct horse battery", "new_password": password, "confirm": password}
    )
    assert accounts.get("admin1")["password_hash"] == before
    assert "连续" in admin.text("/admin/account") or "重复" in admin.text("/admin/account")


@pytest.mark.parametrize("password,why", [("12345678", "连续"), ("aaaaaaaa", "重复"), ("woaini1314", "常见")])
def test_the_cli_refuses_trivial_passwords(tmp_path, console_faq_dir, password, why):
    env = {"DATABASE_PATH": str(tmp_path / "cli.db"), "FAQ_DIR": str(console_faq_dir), "WECHAT_TOKEN": "t"}
    result = CliRunner().invoke(cli, ["users", "add", "boss", "--role", "admin"], input=password + "\n", env=env)
    assert result.exit_code == 1 and why in result.output
    assert Store(env["DATABASE_PATH"]).accounts.get("boss") is None
