"""Fixtures for the LLM tests; test modules load them with `pytest_plugins = ["tests.llm_fixtures"]`."""

from __future__ import annotations

import pytest

from pufa.app import create_app
from tests.llm_fakes import FakeModel, FakeWeChatApi, llm_settings, serve


@pytest.fixture
def fake_llm():
    server = FakeModel()
    serve(server)
    yield server
    server.release.set()
    server.let_answer()
    server.shutdown()
    server.server_close()


@pytest.fixture
def fake_wx_api():
    server = FakeWeChatApi()
    serve(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def llm_app_factory(tmp_path):
    """llm_app_factory(model_url, wechat_url=None, **settings) -> app; closes them all at teardown."""
    apps = []

    def factory(model_url, wechat_url=None, db_name="bot.db", **values):
        settings = llm_settings(tmp_path, model_url, wechat_url, DATABASE_PATH=str(tmp_path / db_name), **values)
        app = create_app(settings)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        services = app.extensions["pufa"]
        if services.llm is not None:
            services.llm.close()
            assert services.llm.errors == [], "background model jobs raised"
