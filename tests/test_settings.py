"""Settings read from the environment: typed values, refusal of values that are not of their type, and the
values derived from others (the gunicorn thread count)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pufa.server import gunicorn_options
from settings import SETTINGS, Settings
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
MODEL = {"LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "qwen-plus"}


def test_values_are_read_with_their_types():
    s = Settings.from_env(
        {"WEB_WORKERS": "3", "LLM_BUDGET_SECONDS": "2.5", "HTTPS": "yes", "WECHAT_TOKEN": "tok", "LOG_LEVEL": ""}
    )
    assert (s.WEB_WORKERS, s.LLM_BUDGET_SECONDS, s.HTTPS, s.WECHAT_TOKEN) == (3, 2.5, True, "tok")
    assert s.LOG_LEVEL == "INFO"  # an empty variable means the default


@pytest.mark.parametrize(
    "name, raw",
    [
        ("WEB_WORKERS", "two"),
        ("WEB_THREADS", "8.5"),
        ("MAX_BODY_BYTES", "64k"),
        ("WECHAT_TIMESTAMP_WINDOW", "5min"),
        ("SESSION_HOURS", "八"),
        ("LLM_BUDGET_SECONDS", "4s"),
        ("LLM_TIMEOUT_SECONDS", "thirty"),
    ],
)
def test_a_value_of_the_wrong_type_stops_the_start_with_its_name(name, raw):
    with pytest.raises(SystemExit) as exc:
        Settings.from_env({name: raw})
    message = str(exc.value.code)
    assert name in message and repr(raw) in message and "无效" in message


def test_every_typed_setting_refuses_garbage():
    typed = [s.name for s in SETTINGS if s.type in (int, float)]
    assert "WEB_WORKERS" in typed and "LLM_BUDGET_SECONDS" in typed
    for name in typed:
        with pytest.raises(SystemExit):
            Settings.from_env({name: "garbage"})


def test_unknown_settings_are_refused():
    with pytest.raises(ValueError, match="WEB_WORKER"):
        Settings(values={"WEB_WORKER": 3})


def test_the_server_refuses_to_start_with_an_invalid_value(tmp_path):
    env = {**os.environ, "WEB_WORKERS": "two", "DATABASE_PATH": str(tmp_path / "bot.db")}
    out = subprocess.run(
        [sys.executable, "bot.py", "serve", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.returncode != 0
    assert "WEB_WORKERS" in out.stderr and "'two'" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "values, threads",
    [
        ({}, 2),  # no model: matching takes ~1 ms, two threads keep a 2-core machine busy
        (MODEL, 8),  # with a model a request can wait up to LLM_BUDGET_SECONDS in a thread
        ({"LLM_BASE_URL": MODEL["LLM_BASE_URL"]}, 2),  # a URL without a model name does not turn the model on
        ({**MODEL, "WEB_THREADS": 4}, 4),  # set explicitly: taken as it is
        ({"WEB_THREADS": 3}, 3),
    ],
)
def test_automatic_thread_count(values, threads):
    s = Settings(values=values, testing=True)
    assert s.web_threads == threads
    assert gunicorn_options(s, "127.0.0.1", 8000)["threads"] == threads


def test_automatic_thread_count_from_the_environment():
    assert Settings.from_env({**MODEL, "WEB_THREADS": "0"}).web_threads == 8
    assert Settings.from_env({"WEB_THREADS": "0"}).web_threads == 2
