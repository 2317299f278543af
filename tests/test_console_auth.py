"""Console access: login and logout, session expiry and cookies, the two roles, 401 vs redirect.
(Throttling, server-side sessions, the password rule and the second factor: tests/test_console_sessions.py.)"""

import time

import pytest

from console.passwords import hash_password, verify_password
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import PASSWORD, ConsoleClient, csrf_token, make_account

PAGES = ["/admin/faq", "/admin/unanswered", "/admin/logs", "/admin/stats", "/admin/users"]
ADMIN_ONLY = [
    "/admin/logs",
    "/admin/logs/export.csv",
    "/admin/stats",
    "/admin/stats/export.xlsx",
    "/admin/users",
    "/admin/faq/import",
    "/admin/api/stats",
]
EDITOR_OK = [
    "/admin/faq",
    "/admin/faq/new",
    "/admin/faq/wage-where/edit",
    "/admin/faq/wage-where/history",
    "/admin/faq/try?q=欠薪",
    "/admin/faq/export.yaml",
    "/admin/unanswered",
    "/admin/account",
]


@pytest.mark.parametrize("path", PAGES + ["/admin/", "/admin/faq/new", "/admin/faq/wage-where/edit"])
def test_pages_redirect_to_login_without_a_session(client, path):
    resp = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 302
    assert resp.location.startswith("/admin/login")


def test_the_redirect_remembers_the_page_and_returns_there(app, client):
    make_account(app, "editor1", "editor")
    resp = client.get("/admin/faq?topic=legal_aid")
    assert "next=/admin/faq?topic%3Dlegal_aid" in resp.location or "next=%2Fadmin%2Ffaq" in resp.location
    token = csrf_token(client)
    resp = client.post(
        "/admin/login",
        data={"name": "editor1", "password": PASSWORD, "csrf_token": token, "next": "/admin/faq?topic=legal_aid"},
    )
    assert resp.location == "/admin/faq?topic=legal_aid"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/admin", "/\\evil.example", "/wechat"])
def test_login_never_redirects_off_the_console(app, client, target):
    make_account(app, "editor1", "editor")
    resp = client.post(
        "/admin/login", data={"name": "editor1", "password": PASSWORD, "csrf_token": csrf_token(client), "next": target}
    )
    assert resp.location == "/admin/faq"


@pytest.mark.parametrize(
    "path,headers",
    [
        ("/admin/api/try?q=欠薪", {}),
        ("/admin/api/stats", {"Accept": "text/html"}),
        ("/admin/faq", {"Accept": "application/json"}),
        ("/admin/logs", {"X-Requested-With": "XMLHttpRequest"}),
        ("/admin/stats/export.csv", {"Accept": "text/csv"}),
    ],
)
def test_non_page_requests_get_401(client, path, headers):
    resp = client.get(path, headers=headers)
    assert resp.status_code == 401
    assert resp.is_json and resp.json["error"] == "unauthorized"


def test_login_page_and_static_files_are_public(client):
    assert client.get("/admin/login").status_code == 200
    css = client.get("/admin/static/console.css")
    assert css.status_code == 200 and b"--blue" in css.data
    assert client.get("/admin/static/console.js").status_code == 200


def test_login_with_the_right_password(app, client):
    make_account(app, "admin1", "admin")
    c = ConsoleClient(client, "admin1")
    resp = c.login()
    assert resp.status_code == 302 and resp.location == "/admin/faq"
    page = c.text("/admin/faq")
    assert "admin1" in page and "退出" in page
    assert client.get("/admin/login").status_code == 302  # signed in: the login page sends you on


@pytest.mark.parametrize("name,password", [("admin1", "wrong password"), ("nobody", PASSWORD), ("", "")])
def test_login_fails_without_saying_which_part_was_wrong(app, client, name, password):
    make_account(app, "admin1", "admin")
    resp = ConsoleClient(client, name).login(password)
    assert resp.status_code == 200
    assert "用户名或密码不对" in resp.get_data(as_text=True)
    assert client.get("/admin/faq").status_code == 302


def test_disabled_accounts_cannot_log_in_and_lose_their_session(app, admin):
    store = app.extensions["pufa"].store
    store.accounts.set_disabled("admin1", True)
    assert admin.get("/admin/faq").status_code == 302
    assert "用户名或密码不对" in admin.login().get_data(as_text=True)


def test_logout_is_a_post_and_ends_the_session(admin):
    assert admin.get("/admin/logout").status_code == 405
    resp = admin.post("/admin/logout")
    assert resp.status_code == 302 and resp.location == "/admin/login"
    assert admin.get("/admin/faq").status_code == 302


def test_sessions_expire_after_session_hours(app, admin):
    assert admin.get("/admin/faq").status_code == 200
    store = app.extensions["pufa"].store
    hours = app.extensions["pufa"].settings.SESSION_HOURS
    row = next(store.db.get().query("SELECT created, expires FROM console_sessions WHERE account = 'admin1'"))
    assert row["expires"] - row["created"] == pytest.approx(hours * 3600)
    store.db.get().execute("UPDATE console_sessions SET expires = ? WHERE account = 'admin1'", [time.time() - 1])
    assert admin.get("/admin/faq").status_code == 302


def test_session_cookie_flags(app, client):
    make_account(app, "admin1", "admin")
    resp = ConsoleClient(client, "admin1").login()
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_behind_https(make_app, console_faq_dir):
    app = make_app(FAQ_DIR=str(console_faq_dir), HTTPS=True, SESSION_HOURS=2)
    make_account(app, "admin1", "admin")
    client = app.test_client()
    resp = ConsoleClient(client, "admin1").login()
    assert "Secure" in resp.headers["Set-Cookie"]
    assert app.permanent_session_lifetime.total_seconds() == 2 * 3600


def test_changing_the_password_ends_other_sessions(app, admin):
    other = ConsoleClient(app.test_client(), "admin1")
    other.login()
    assert other.get("/admin/faq").status_code == 200
    resp = admin.post(
        "/admin/account",
        data={"password": PASSWORD, "new_password": "a new long password", "confirm": "a new long password"},
    )
    assert resp.status_code == 302
    assert admin.get("/admin/faq").status_code == 200  # this session goes on
    assert other.get("/admin/faq").status_code == 302  # the other one ended
    assert ConsoleClient(app.test_client(), "admin1").login("a new long password").status_code == 302


def test_changing_the_password_needs_the_current_one(app, admin):
    accounts = app.extensions["pufa"].store.accounts
    before = accounts.get("admin1")["password_hash"]
    new = "a new long password"
    resp = admin.post("/admin/account", data={"password": "wrong", "new_password": new, "confirm": new})
    assert resp.status_code == 200 and "当前密码不对" in resp.get_data(as_text=True)  # shown on the form itself
    assert accounts.get("admin1")["password_hash"] == before  # unchanged
    assert admin.get("/admin/faq").status_code == 200  # and the session goes on
    assert ConsoleClient(app.test_client(), "admin1").login(new).status_code != 302
    assert ConsoleClient(app.test_client(), "admin1").login().status_code == 302


@pytest.mark.parametrize("path", ADMIN_ONLY)
def test_editors_get_403_on_admin_pages(editor, path):
    resp = editor.get(path)
    assert resp.status_code == 403
    if not path.startswith("/admin/api/"):
        assert "只有管理员" in resp.get_data(as_text=True)


@pytest.mark.parametrize("path", EDITOR_OK)
def test_editors_can_use_the_faq_and_the_queue(editor, path):
    assert editor.get(path).status_code == 200


def test_editors_do_not_see_admin_links(editor):
    page = editor.text("/admin/faq")
    assert "/admin/logs" not in page and "/admin/users" not in page and "/admin/faq/import" not in page


@pytest.mark.parametrize("path", ADMIN_ONLY + EDITOR_OK)
def test_admins_can_open_everything(admin, path):
    assert admin.get(path).status_code == 200


def test_passwords_are_stored_as_argon2_hashes():
    h = hash_password("secret password")
    assert h.startswith("$argon2id$") and "secret" not in h
    assert verify_password(h, "secret password")
    assert not verify_password(h, "other password")
    assert not verify_password(None, "anything")
    assert not verify_password("not a hash", "anything")
