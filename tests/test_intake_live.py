"""A registration through the real server (`bot.py serve`, gunicorn with two workers) that is killed in the middle
(SIGKILL: no clean shutdown) and started again on the same database: WeChat's retries of the messages around the
crash get the same replies, and the registration ends with one case holding the right answers."""

from __future__ import annotations

import pytest

from storage import Store
from storage.cases import CaseQuery
from tests.conftest import LiveServer
from tests.intake_fixtures import INTAKE_SETTINGS, SCRIPTS, message

pytestmark = pytest.mark.slow


def test_a_registration_survives_a_killed_server(tmp_path):
    env = {k: str(v) for k, v in INTAKE_SETTINGS.items()}
    first = LiveServer(tmp_path, **env).start()
    fake = first.wechat()
    script = SCRIPTS["wages"]
    sent = []
    try:
        for line in script.lines[:8]:
            xml = message(fake, line)
            sent.append((xml, fake.send(xml).content))
        assert fake.send(sent[-1][0]).content == sent[-1][1]  # a retry while it runs
    finally:
        first.proc.kill()  # no graceful stop
        first.proc.wait()
        first._log.close()
    second = LiveServer(tmp_path, **env).start()
    try:
        fake.transport = second.wechat().transport
        for xml, reply in sent[-3:]:  # WeChat retries what it was not sure of: the same replies, nothing moves
            assert fake.send(xml).content == reply
        done = ""
        for line in script.lines[8:]:
            done = fake.send(message(fake, line)).content
        assert "登记编号：" in done
    finally:
        second.stop()
    store = Store(tmp_path / "live.db")
    rows = store.cases.search(CaseQuery(), personal=False)
    assert len(rows) == 1
    case = rows[0]
    for key in ("amount", "county", "procuratorate", "actions", "evidence", "call_time"):
        assert case[key] == script.expect[key], key
