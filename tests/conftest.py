"""Fixtures: settings on a temporary database, the app and its test client (plain and safe mode), a fake WeChat
server that signs and encrypts, and the real server (`bot.py serve`) in a subprocess for the HTTP tests."""

from __future__ import annotations

import copy
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pufa.app import create_app
from settings import Settings
from storage import Store
from tests.fake_wechat import FakeWeChat, FlaskTransport, HttpTransport

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "pufa-test-token"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
OLD_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx49f0ab532d5d035a"
SECRET = "test-secret-key-not-for-production"


# Building the app parses ~150 FAQ entries and the law articles and indexes them (about 0.6 s). These are pure
# functions of their inputs, so the tests memoise them once per session (keyed on file times and entry contents);
# every test still gets its own database.
def _files_key(directory) -> tuple:
    paths = sorted(Path(directory).glob("*.yaml"))
    return (str(Path(directory).resolve()), tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in paths))


@pytest.fixture(scope="session")
def _fast_build():
    import dialogue.dialogue as dialogue_module
    import pufa.services as services
    from knowledge.base import ARTICLES_DIR

    real_load_entries, real_kb, real_matcher = services.load_entries, services.KnowledgeBase, dialogue_module.Matcher
    entries_cache: dict = {}
    kb_cache: dict = {}
    matcher_cache: dict = {}

    def load_entries(directory):
        key = _files_key(directory)
        if key not in entries_cache:
            entries_cache[key] = real_load_entries(directory)
        return copy.deepcopy(entries_cache[key])

    class CachedKnowledgeBase(real_kb):
        @classmethod
        def load(cls, directory=ARTICLES_DIR):
            key = _files_key(directory)
            if key not in kb_cache:
                kb_cache[key] = real_kb.load(directory)
            return kb_cache[key]

    class CachedMatcher(real_matcher):
        def __new__(cls, entries, analyzer, bands=None):
            fields = ("id", "topic", "question", "variants", "answer", "legal_basis", "enabled")
            key = json.dumps([[e.get(f) for f in fields] for e in entries], ensure_ascii=False, default=str)
            key = (key, repr(bands))
            hit = matcher_cache.get(key)
            if hit is None or hit[0] is not analyzer:  # the analyzer is held, so its identity stays meaningful
                if len(matcher_cache) > 16:
                    matcher_cache.clear()
                hit = matcher_cache[key] = (analyzer, real_matcher(entries, analyzer, bands))
            return hit[1]  # a real Matcher, already built (so __init__ is not run again)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(services, "load_entries", load_entries)
        mp.setattr(services, "KnowledgeBase", CachedKnowledgeBase)
        mp.setattr(dialogue_module, "Matcher", CachedMatcher)
        yield


def make_settings(tmp_path: Path, testing: bool = True, **values) -> Settings:
    base = {"DATABASE_PATH": str(tmp_path / "bot.db"), "WECHAT_TOKEN": TOKEN, "SECRET_KEY": SECRET}
    return Settings(values={**base, **values}, testing=testing)


@pytest.fixture(scope="session")
def analyzer():
    """The analyzer every app of this process shares (jieba's dictionary is loaded once)."""
    from pufa.services import shared_analyzer

    return shared_analyzer()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings, _fast_build):
    app = create_app(settings)
    yield app
    app.extensions["pufa"].store.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store(app) -> Store:
    """The app's storage (consultations, users, replies) for assertions."""
    return app.extensions["pufa"].store


@pytest.fixture
def wechat(client) -> FakeWeChat:
    """A fake WeChat server talking to `client` in plain mode."""
    return FakeWeChat(FlaskTransport(client), TOKEN)


@pytest.fixture
def safe_settings(tmp_path) -> Settings:
    return make_settings(tmp_path, WECHAT_AES_KEY=AES_KEY, WECHAT_APPID=APPID)


@pytest.fixture
def safe_app(safe_settings, _fast_build):
    app = create_app(safe_settings)
    yield app
    app.extensions["pufa"].store.close()


@pytest.fixture
def safe_client(safe_app):
    return safe_app.test_client()


@pytest.fixture
def safe_store(safe_app) -> Store:
    return safe_app.extensions["pufa"].store


@pytest.fixture
def safe_wechat(safe_client) -> FakeWeChat:
    """A fake WeChat server talking to `safe_client` in safe mode (use mode="compat" per push for compat)."""
    return FakeWeChat(FlaskTransport(safe_client), TOKEN, AES_KEY, APPID, mode="safe")


@pytest.fixture
def make_app(tmp_path, _fast_build):
    """Build another app with extra settings: make_app(WECHAT_TIMESTAMP_WINDOW=10) -> app."""
    apps = []

    def factory(testing: bool = True, db_name: str = "bot.db", **values):
        app = create_app(make_settings(tmp_path, testing, DATABASE_PATH=str(tmp_path / db_name), **values))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["pufa"].store.close()


# the real server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """`python bot.py serve` in a subprocess (gunicorn, WEB_WORKERS=2) on a temporary database."""

    def __init__(self, directory: Path, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db_path = directory / "live.db"
        self.log_path = directory / "server.log"
        self.env = {
            **os.environ,
            "WECHAT_TOKEN": TOKEN,
            "DATABASE_PATH": str(self.db_path),
            "WEB_WORKERS": "2",
            "SECRET_KEY": SECRET,
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",  # start() waits for gunicorn's "Booting worker" lines
            **env,
        }
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> LiveServer:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "bot.py", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited:\n" + self.log())
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as resp:
                    if resp.status == 200 and self.workers_booted() >= 2:
                        return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /healthz in time:\n" + self.log())

    def workers_booted(self) -> int:
        return self.log().count("Booting worker")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def store(self) -> Store:
        return Store(self.db_path)

    def wechat(self, **kw) -> FakeWeChat:
        return FakeWeChat(HttpTransport(self.url), TOKEN, **kw)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("live")).start()
    yield server
    server.stop()
