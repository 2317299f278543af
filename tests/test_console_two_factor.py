"""The optional TOTP second factor, with real codes from pyotp: enrolment, login, replay, recovery codes, resets."""

from __future__ import annotations

import html
import re
import time

import pyotp
import pytest
from click.testing import CliRunner

import console.auth
from bot import cli
from console.totp import STEP_SECONDS, matching_step, new_secret, provisioning_uri
from storage.login_throttle import PAIR
from tests.console_fixtures import *  # noqa: F403
from tests.console_fixtures import PASSWORD, ConsoleClient, make_account


def code_at(secret: str, steps_ahead: int = 0) -> str:
    """A real code; `steps_ahead=1` is the next 30-second step, still inside the accepted window."""
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * STEP_SECONDS)


def enrol(client: ConsoleClient) -> tuple[str, list[str]]:
    """Turn the second factor on through the pages; returns (secret, recovery codes)."""
    page = client.post("/admin/account/2fa", data={"action": "start"}).get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and "两步验证二维码" in page
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    resp = client.post("/admin/account/2fa", data={"action": "confirm", "code": code_at(secret)})
    assert resp.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4})</code></li>", resp.get_data(as_text=True))
    return secret, codes


@pytest.fixture
def admin_2fa(app, admin):
    secret, codes = enrol(admin)
    admin.secret, admin.codes = secret, codes
    return admin


def password_step(app, name: str = "admin1"):
    c = ConsoleClient(app.test_client(), name)
    resp = c.login()
    return c, resp


def test_enrolment_shows_a_qr_code_and_the_secret_once_then_ten_recovery_codes(app, admin_2fa):
    account = app.extensions["pufa"].store.accounts.get("admin1")
    assert account["totp_secret"] == admin_2fa.secret and account["totp_pending"] is None
    assert len(admin_2fa.codes) == 10 and len(set(admin_2fa.codes)) == 10
    raw = str(app.extensions["pufa"].store.db.get().execute("SELECT * FROM totp_recovery").fetchall())
    assert not any(code in raw or code.replace("-", "") in raw for code in admin_2fa.codes)  # only hashes
    page = admin_2fa.text("/admin/account/2fa")
    assert "已开启" in page and admin_2fa.secret not in page and "剩余恢复码 10 个" in page
    assert "两步验证" in admin_2fa.text("/admin/users")


def test_the_qr_code_holds_the_standard_uri():
    secret = new_secret()
    uri = provisioning_uri(secret, "王主任")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    assert "issuer=%E6%99%AE%E6%B3%95%E5%B0%8F%E5%8A%A9%E6%89%8B" in uri
    assert len(secret) == 32


def test_a_wrong_code_does_not_turn_it_on(app, admin):
    page = admin.post("/admin/account/2fa", data={"action": "start"}).get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    wrong = f"{(int(code_at(secret)) + 1) % 1_000_000:06d}"
    resp = admin.post("/admin/account/2fa", data={"action": "confirm", "code": wrong})
    assert resp.status_code == 422 and "验证码不对" in resp.get_data(as_text=True)
    assert app.extensions["pufa"].store.accounts.get("admin1")["totp_secret"] is None


def test_login_needs_the_code_after_the_password(app, admin_2fa):
    c, resp = password_step(app)
    assert resp.status_code == 302 and resp.location == "/admin/login/code"
    assert c.get("/admin/faq").status_code == 302  # not signed in with the password alone
    assert "验证器" in c.text("/admin/login/code")
    bad = c.post("/admin/login/code", data={"code": "000000" if code_at(admin_2fa.secret) != "000000" else "111111"})
    assert bad.status_code == 200 and "验证码不对" in bad.get_data(as_text=True)
    ok = c.post("/admin/login/code", data={"code": code_at(admin_2fa.secret, 1)})
    assert ok.status_code == 302 and ok.location == "/admin/faq"
    assert c.get("/admin/users").status_code == 200


def test_a_code_works_only_once(app, admin_2fa):
    code = code_at(admin_2fa.secret, 1)
    first, _ = password_step(app)
    assert first.post("/admin/login/code", data={"code": code}).status_code == 302
    second, _ = password_step(app)
    resp = second.post("/admin/login/code", data={"code": code})
    assert resp.status_code == 200 and second.get("/admin/faq").status_code == 302


def test_the_enrolment_code_cannot_sign_in(app, admin):
    page = admin.post("/admin/account/2fa", data={"action": "start"}).get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    code = code_at(secret)
    admin.post("/admin/account/2fa", data={"action": "confirm", "code": code})
    c, _ = password_step(app)
    assert c.post("/admin/login/code", data={"code": code}).status_code == 200


def test_a_recovery_code_signs_in_once(app, admin_2fa):
    code = admin_2fa.codes[3]
    c, _ = password_step(app)
    resp = c.post("/admin/login/code", data={"code": code.upper().replace("-", " ")})
    assert resp.status_code == 302
    assert "还剩 9 个" in c.text("/admin/faq")
    again, _ = password_step(app)
    assert again.post("/admin/login/code", data={"code": code}).status_code == 200


def test_the_code_page_needs_a_fresh_password_step(app, admin_2fa, monkeypatch):
    c, _ = password_step(app)
    later = time.time() + console.auth.SECOND_FACTOR_SECONDS + 1
    monkeypatch.setattr(console.auth, "time", type("T", (), {"time": staticmethod(lambda: later)}))
    resp = c.post("/admin/login/code", data={"code": code_at(admin_2fa.secret, 1)})
    assert resp.status_code == 302 and resp.location == "/admin/login"
    assert c.get("/admin/faq").status_code == 302
    fresh = ConsoleClient(app.test_client(), "x")
    assert fresh.client.get("/admin/login/code").status_code == 302  # no password step at all


def test_guessing_codes_is_throttled_like_passwords(app, admin_2fa):
    c, _ = password_step(app)
    wrong = "000000" if code_at(admin_2fa.secret) != "000000" else "111111"
    statuses = [c.post("/admin/login/code", data={"code": wrong}).status_code for _ in range(PAIR.free + 3)]
    assert 429 in statuses
    assert "秒后再试" in c.post("/admin/login/code", data={"code": wrong}).get_data(as_text=True)


def test_turning_it_off_and_new_recovery_codes_need_the_password(app, admin_2fa):
    accounts = app.extensions["pufa"].store.accounts
    admin_2fa.post("/admin/account/2fa", data={"action": "off", "password": "wrong"})
    assert accounts.get("admin1")["totp_secret"]
    resp = admin_2fa.post("/admin/account/2fa", data={"action": "codes", "password": PASSWORD})
    codes = re.findall(r"<li><code>([a-z0-9]{4}-[a-z0-9]{4})</code></li>", resp.get_data(as_text=True))
    assert len(codes) == 10 and not set(codes) & set(admin_2fa.codes)
    c, _ = password_step(app)
    assert c.post("/admin/login/code", data={"code": admin_2fa.codes[0]}).status_code == 200  # old codes are void
    admin_2fa.post("/admin/account/2fa", data={"action": "off", "password": PASSWORD})
    assert accounts.get("admin1")["totp_secret"] is None
    assert password_step(app)[1].location == "/admin/faq"


def test_an_admin_resets_a_lost_phone_and_the_sessions_end(app, admin):
    make_account(app, "admin2", "admin")
    other = ConsoleClient(app.test_client(), "admin2")
    other.login()
    enrol(other)
    signed_in, _ = password_step(app, "admin2")
    assert signed_in.get("/admin/faq").status_code == 302
    assert "关闭两步验证" in admin.text("/admin/users")
    admin.post("/admin/users/admin2/update", data={"action": "reset_2fa"})
    assert app.extensions["pufa"].store.accounts.get("admin2")["totp_secret"] is None
    assert other.get("/admin/faq").status_code == 302
    assert password_step(app, "admin2")[1].location == "/admin/faq"


def test_the_cli_resets_the_second_factor(app, admin_2fa):
    store = app.extensions["pufa"].store
    env = {"DATABASE_PATH": store.db.path, "WECHAT_TOKEN": "t"}
    assert "（两步验证）" in CliRunner().invoke(cli, ["users", "list"], env=env).output
    result = CliRunner().invoke(cli, ["users", "reset-2fa", "admin1"], env=env)
    assert result.exit_code == 0 and "已关闭" in result.output
    assert store.accounts.get("admin1")["totp_secret"] is None and admin_2fa.get("/admin/faq").status_code == 302
    assert CliRunner().invoke(cli, ["users", "reset-2fa", "ghost"], env=env).exit_code == 1


def test_codes_either_side_of_now_and_no_further():
    secret = new_secret()
    now = time.time()
    totp = pyotp.TOTP(secret)
    step = int(now // STEP_SECONDS)
    assert matching_step(secret, totp.at(now), now) == step
    assert matching_step(secret, totp.at(now - STEP_SECONDS), now) == step - 1
    assert matching_step(secret, totp.at(now + STEP_SECONDS), now) == step + 1
    far = totp.at(now + 3 * STEP_SECONDS)
    assert far in {totp.at(now + k * STEP_SECONDS) for k in (-1, 0, 1)} or matching_step(secret, far, now) is None
    assert matching_step(secret, "12345", now) is None and matching_step(secret, "abcdef", now) is None


def test_the_enrolment_page_escapes_and_shows_nothing_secret_in_the_status_view(app, admin):
    page = admin.text("/admin/account/2fa")
    assert "开始设置" in page and "otpauth" not in html.unescape(page)
