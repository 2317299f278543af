"""The command line: stats, eval, chat (through the webhook), serve (+ /healthz), and the README's settings table."""

from __future__ import annotations

import http.client
import io
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import settings as settings_module
from bot import cli
from storage.db import CHINA_TZ
from tests.conftest import AES_KEY, APPID, ROOT, SECRET, TOKEN
from tests.fake_wechat import new_openid, signature


def bot_env(db_path: Path, **extra) -> dict:
    return {**os.environ, "WECHAT_TOKEN": TOKEN, "DATABASE_PATH": str(db_path), "SECRET_KEY": SECRET, **extra}


def run_bot(*args: str, env: dict, input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "bot.py", *args],
        cwd=ROOT,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def china_day(offset_days: int = 0) -> str:
    return (datetime.now(CHINA_TZ) + timedelta(days=offset_days)).strftime("%Y-%m-%d")


@pytest.fixture
def logged(app, wechat, settings):
    """A database with a known mix of consultations; returns the env for the CLI."""
    other = type(wechat)(wechat.transport, TOKEN)
    wechat.send(wechat.event("subscribe", create_time=int(time.time()) - 5))
    wechat.say("你好")  # menu
    wechat.say("包工头跑路了 工钱找谁要")  # answered
    wechat.say("明天兰州下雨吗，我想去爬山")  # unanswered
    wechat.send(wechat.voice("老板拖欠工资不给怎么办"))
    other.send(other.event("subscribe", "qrscene_7"))
    other.send(other.event("unsubscribe"))
    return {"DATABASE_PATH": settings.DATABASE_PATH, "WECHAT_TOKEN": TOKEN, "SECRET_KEY": SECRET}


# stats


def test_stats_text(logged):
    result = CliRunner().invoke(cli, ["stats"], env=logged)
    assert result.exit_code == 0, result.output
    assert "咨询总数：4" in result.output
    assert "不同用户：2" in result.output
    assert "新关注：2  取消关注：1" in result.output
    assert "明天兰州下雨吗" in result.output  # the unanswered question is listed


def test_stats_json(logged):
    result = CliRunner().invoke(cli, ["stats", "--json"], env=logged)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["consultations"] == 4
    assert data["distinct_users"] == 2
    assert data["unanswered"] == 1 and data["menu"] == 1
    assert data["answered"] + data["suggested"] == 2
    assert data["new_followers"] == 2 and data["unfollows"] == 1
    assert data["by_kind"]["text"] == 3 and data["by_kind"]["voice"] == 1
    assert data["top_unanswered"][0]["text"] == "明天兰州下雨吗，我想去爬山"


@pytest.mark.parametrize(
    "args,expected",
    [
        (["--since", china_day()], 4),
        (["--since", china_day(-30), "--until", china_day()], 4),
        (["--since", china_day(1)], 0),
        (["--until", china_day(-1)], 0),
    ],
)
def test_stats_since_until(logged, args, expected):
    result = CliRunner().invoke(cli, ["stats", "--json", *args], env=logged)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["consultations"] == expected


@pytest.mark.parametrize("value", ["garbage", "2024/01/01", "20240101", "2024-13-01", "2024-1-1"])
def test_stats_rejects_bad_dates(logged, value):
    result = CliRunner().invoke(cli, ["stats", "--since", value], env=logged)
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_stats_refuses_a_missing_database(tmp_path):
    missing = tmp_path / "nope" / "bot.db"
    result = CliRunner().invoke(cli, ["stats"], env={"DATABASE_PATH": str(missing)})
    assert result.exit_code != 0
    assert not missing.exists()


def test_stats_as_a_real_command(logged):
    proc = run_bot("stats", "--json", "--since", china_day(), env={**os.environ, **logged})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["consultations"] == 4


# eval


QUESTIONS = """\
- id: t1
  text: 包工头跑路了 工钱找谁要啊
  topic: wage_arrears
  must_include:
  - [总承包, 总包, 建设单位]
- id: t2
  text: 明天兰州下雨吗
  topic: out_of_scope
  must_include:
  - [12309]
- id: t3
  text: 老板欠工资不给怎么办
  topic: wage_arrears
  must_include:
  - [这句话不可能出现在答案里]
"""


def test_eval(tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text(QUESTIONS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", str(path), "--show-failures", "5"])
    assert result.exit_code == 0, result.output
    assert f"== {path}: n=3" in result.output
    assert "overall strict=66.7%" in result.output
    assert "out_of_scope_fallback=100.0%" in result.output
    assert "wage_arrears" in result.output
    fails = [json.loads(line.split("FAIL ", 1)[1]) for line in result.output.splitlines() if "FAIL " in line]
    assert [f["id"] for f in fails] == ["t3"]


def test_eval_requires_an_existing_file(tmp_path):
    result = CliRunner().invoke(cli, ["eval", str(tmp_path / "missing.yaml")])
    assert result.exit_code != 0


# chat


CHAT_INPUT = "你好\n1\n/voice 包工头跑了工钱找谁要\n/voice\n/image\n/subscribe\n\n/quit\n这行不会发出去\n"


def test_chat_through_stdin_goes_through_the_webhook(tmp_path):
    db = tmp_path / "chat.db"
    proc = run_bot("chat", "--openid", "oCHAT0000000000000000000001", env=bot_env(db), input=CHAT_INPUT)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "经由 /wechat webhook" in out
    assert out.count("助手> ") == 6
    assert "1. 欠薪讨薪" in out and "【欠薪讨薪】常见问题：" in out
    assert "没能听清您的语音" in out  # /voice without text = no speech recognition
    assert "只能看懂文字和语音" in out
    assert "感谢关注" in out
    # every line was a signed push into /wechat: the webhook logged each, under a pseudonym
    import sqlite3

    con = sqlite3.connect(db)
    kinds = [r[0] for r in con.execute("SELECT kind FROM consultations ORDER BY id")]
    assert kinds == ["text", "text", "voice", "voice", "image", "subscribe"]
    assert all(r[0].startswith(("msg:", "evt:")) for r in con.execute("SELECT msg_key FROM consultations"))
    assert con.execute("SELECT count(*) FROM users WHERE user_id LIKE 'u_%'").fetchone()[0] == 1
    con.close()
    assert b"oCHAT0000000000000000000001" not in db.read_bytes()


def test_chat_in_safe_mode(tmp_path, monkeypatch, capsys, _fast_build):
    from settings import Settings
    from wechat.chat import run_chat

    settings = Settings(
        values={
            "DATABASE_PATH": str(tmp_path / "chat.db"),
            "WECHAT_TOKEN": TOKEN,
            "WECHAT_AES_KEY": AES_KEY,
            "WECHAT_APPID": APPID,
            "SECRET_KEY": SECRET,
        }
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("你好\n/voice 老板不给工资\n"))
    run_chat(settings, None, new_openid())
    out = capsys.readouterr().out
    assert out.count("助手> ") == 2 and "1. 欠薪讨薪" in out


def test_chat_with_url_talks_to_the_running_server(live_server, monkeypatch, capsys):
    from settings import Settings
    from wechat.chat import run_chat

    settings = Settings(values={"WECHAT_TOKEN": TOKEN, "DATABASE_PATH": str(live_server.db_path)})
    monkeypatch.setattr(sys, "stdin", io.StringIO("你好\n"))
    run_chat(settings, live_server.url + "/wechat", new_openid())
    assert "1. 欠薪讨薪" in capsys.readouterr().out


def test_chat_explains_a_refused_message(live_server, tmp_path, monkeypatch, capsys, _fast_build):
    # a wrong token against a running server, then a line over the size limit locally: a hint, not a traceback
    from settings import Settings
    from wechat.chat import run_chat

    wrong = Settings(values={"WECHAT_TOKEN": "not-the-servers-token", "DATABASE_PATH": str(tmp_path / "c.db")})
    monkeypatch.setattr(sys, "stdin", io.StringIO("你好\n"))
    run_chat(wrong, live_server.url + "/wechat", new_openid())
    out = capsys.readouterr().out
    assert "HTTP 403" in out and "WECHAT_TOKEN" in out
    local = Settings(values={"WECHAT_TOKEN": TOKEN, "DATABASE_PATH": str(tmp_path / "d.db")}, testing=True)
    monkeypatch.setattr(sys, "stdin", io.StringIO("欠" * 30000 + "\n你好\n"))
    run_chat(local, None, new_openid())
    out = capsys.readouterr().out
    assert "HTTP 413" in out and "1. 欠薪讨薪" in out


# serve


def test_serve_starts_and_answers_healthz(live_server):
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    conn.request("GET", "/healthz")
    resp = conn.getresponse()
    assert resp.status == 200
    data = json.loads(resp.read())
    assert data["status"] == "ok" and data["faq_entries"] > 0
    conn.close()
    assert "普法小助手已启动" in live_server.log()
    assert live_server.workers_booted() == 2
    assert "Control socket listening" not in live_server.log()  # no shared $HOME/.gunicorn/gunicorn.ctl


def test_serve_handshake_and_message_over_http(live_server):
    fake = live_server.wechat()
    assert fake.verify("11328701160039546815") == (200, b"11328701160039546815")
    assert fake.verify("x", {"signature": "0" * 40, "timestamp": "1", "nonce": "2"})[0] == 403
    assert "12309" in fake.say("你好")


def test_serve_refuses_oversized_chunked_body(live_server):
    # No Content-Length: the limit must hold while the body streams in.
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    ts, nonce = str(int(time.time())), "123"
    q = f"/wechat?signature={signature(TOKEN, ts, nonce)}&timestamp={ts}&nonce={nonce}"
    conn.putrequest("POST", q)
    conn.putheader("Content-Type", "text/xml")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    chunk = b"<xml>" + b"a" * 16000
    try:
        for _ in range(8):
            conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        conn.send(b"0\r\n\r\n")
    except OSError:
        pass  # the server may hang up once it has seen enough
    resp = conn.getresponse()
    assert resp.status == 413
    conn.close()


def test_serve_plain_hostile_body_is_a_4xx(live_server):
    fake = live_server.wechat()
    d = fake.deliver(b'<!DOCTYPE x [<!ENTITY a "b">]><xml><Content>&a;</Content></xml>')
    assert d.status == 400


def test_help_lists_the_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "chat", "stats", "eval"):
        assert command in result.output


# docs


def test_readme_lists_every_setting():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table_rows = [line for line in text.splitlines() if line.lstrip().startswith("|")]
    missing = [s.name for s in settings_module.SETTINGS if not any(s.name in row for row in table_rows)]
    assert not missing, f"README settings table lacks: {missing}"


def _command_paths(group, prefix: str = "") -> list[str]:
    import click

    out = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        out += _command_paths(command, path + " ") if isinstance(command, click.Group) else [path]
    return out


def test_readme_lists_every_command():
    """Every command, groups included (`users disable`, `inbox reply`), has a row in the README's command table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.lstrip().startswith("| `")]
    missing = [p for p in _command_paths(cli) if not any(p in row for row in rows)]
    assert not missing, f"README command table lacks: {missing}"
