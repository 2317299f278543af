"""The benchmark code (bench/): quality on a tiny question file, match speed on a tiny synthetic FAQ, the echo
webhook and the signed request file wrk replays (checked with the independent fake WeChat). No wrk here."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.parse

import pytest
import yaml
from click.testing import CliRunner

from bench.echo_app import create_echo_app
from bench.load import db_counts
from bench.procs import children, memory_mb
from bench.quality import format_report, is_question_file, run_quality
from bench.rankers import Bm25Ranker, FuzzyRanker, Thresholds
from bench.speed import synthetic_entries, time_matcher
from bench.wrk import write_requests
from settings import Settings
from storage import Store
from storage.consultations import Consultation
from tests.fake_wechat import FakeWeChat, FlaskTransport

TOKEN = "bench-test-token"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
APPID = "wx49f0ab532d5d035a"

ENTRIES = [
    {
        "id": "wage-boss-ran",
        "topic": "wage_arrears",
        "question": "包工头跑了，工钱找谁要？",
        "variants": ["包工头卷钱跑路了工资找谁", "工头联系不上了欠的工钱怎么办", "包工头失联工资谁来付"],
        "answer": "可以找施工总承包单位先行清偿。",
        "legal_basis": ["《保障农民工工资支付条例》第三十六条"],
    },
    {
        "id": "arbitration-fee",
        "topic": "arbitration_litigation",
        "question": "劳动仲裁要交钱吗？",
        "variants": ["申请劳动仲裁收费吗", "打劳动仲裁花钱不", "仲裁费多少钱"],
        "answer": "劳动争议仲裁不收费。",
        "legal_basis": ["《劳动争议调解仲裁法》第五十三条"],
    },
    {
        "id": "legal-aid-how",
        "topic": "legal_aid",
        "question": "怎么申请法律援助？",
        "variants": ["请不起律师怎么办", "法律援助去哪里申请", "免费律师怎么找"],
        "answer": "可以向法律援助机构申请。",
        "legal_basis": ["《法律援助法》第三十八条"],
    },
]
QUESTIONS = [
    {"id": "q1", "text": "包工头跑了，工钱找谁要？", "topic": "wage_arrears", "must_include": [["总承包"]]},
    {"id": "q2", "text": "劳动仲裁要交钱吗", "topic": "arbitration_litigation", "must_include": [["不收费"]]},
    {"id": "q3", "text": "怎么申请法律援助", "topic": "legal_aid", "must_include": [["法律援助机构"]]},
    {"id": "q4", "text": "工头联系不上了欠的工钱怎么办", "topic": "wage_arrears", "must_include": [["总承包"]]},
    {"id": "q5", "text": "仲裁费多少钱", "topic": "arbitration_litigation", "must_include": [["不收费"]]},
    {"id": "q6", "text": "请不起律师怎么办啊", "topic": "legal_aid", "must_include": [["法律援助"]]},
    {"id": "q7", "text": "你好", "topic": "greeting", "must_include": [["欠薪", "工资"]]},
    {"id": "q8", "text": "在吗", "topic": "greeting", "must_include": [["欠薪", "工资"]]},
    {"id": "q9", "text": "今天天气怎么样", "topic": "out_of_scope", "must_include": [["12309"]]},
    {"id": "q10", "text": "推荐一部电影", "topic": "out_of_scope", "must_include": [["12309"]]},
]


@pytest.fixture
def question_file(tmp_path):
    path = tmp_path / "questions.yaml"
    path.write_text(yaml.safe_dump(QUESTIONS, allow_unicode=True), encoding="utf-8")
    return path


def test_bench_group_is_registered():
    from bot import cli

    assert {"quality", "match", "load"} <= set(cli.commands["bench"].commands)


def test_quality_compares_three_matchers_through_the_same_dialogue(question_file, analyzer):
    assert is_question_file(question_file)
    report = run_quality([question_file], ENTRIES, analyzer, calibration=question_file, progress=lambda m: None)
    assert set(report["calibration"]) == {"bm25", "fuzzy"}
    assert report["calibration"]["fuzzy"]["scorer"] in FuzzyRanker.SCORERS
    (result,) = report["files"]
    assert result["n"] == 10
    for name in ("matcher", "bm25", "fuzzy"):
        m = result["matchers"][name]
        assert m["n"] == 10 and 0 <= m["strict"] <= m["two_turn"] <= 100
        # greetings never reach the ranker: the menu is the same for every matcher
        assert m["by_topic"]["greeting"]["strict"] == 100.0
        assert m["oos_n"] == 2
    # every question is an FAQ question or variant (give or take a particle), a greeting or plainly off-topic:
    # the project's matcher gets all ten, and both off-topic questions get the fallback
    ours = result["matchers"]["matcher"]
    assert ours["strict"] == 100.0 and ours["oos_fallback"] == 100.0
    assert ours["oos_confident_answers"] == ours["oos_tentative_answers"] == 0
    text = format_report(report)
    assert "OVERALL" in text and "bm25" in text and "out-of-scope fallback" in text


def test_quality_reports_a_mixed_set_with_danger_and_no_ordinary_items(tmp_path, analyzer):
    """heldout_fresh2 mixes danger items with questions but has no `kind: ordinary`: no false-alarm rate, no crash."""
    mixed = [
        *QUESTIONS[:3],
        {"id": "d1", "kind": "danger", "text": "他在掐我脖子", "topic": "domestic_violence", "must_include": [["110"]]},
    ]
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(mixed, allow_unicode=True), encoding="utf-8")
    report = run_quality([path], ENTRIES, analyzer, calibration=path, progress=lambda m: None)
    ours = report["files"][0]["matchers"]["matcher"]
    assert ours["danger_n"] == 1 and ours["false_alarms"] is None
    assert "danger caught / false alarms" in format_report(report)


def test_baselines_rank_and_decide(analyzer):
    bm25 = Bm25Ranker(ENTRIES, Thresholds(answer=1.0, suggest=0.5))
    assert bm25.rank("劳动仲裁收费吗")[0].entry_id == "arbitration-fee"
    assert bm25.decide("劳动仲裁收费吗").outcome == "answered"
    fuzzy = FuzzyRanker(ENTRIES, Thresholds(answer=200, suggest=30))  # never sure enough: suggests
    d = fuzzy.decide("包工头跑了工钱找谁要")
    assert d.outcome == "suggested" and d.choices[0].entry_id == "wage-boss-ran"
    assert fuzzy.decide("！！！").outcome == "unanswered"


def test_synthetic_faq_and_match_timing(analyzer):
    syn = synthetic_entries(ENTRIES, 40, ["工资", "仲裁", "包工头"])
    assert len(syn) == 40 and len({e["id"] for e in syn}) == 40
    assert syn == synthetic_entries(ENTRIES, 40, ["工资", "仲裁", "包工头"]), "deterministic"
    assert syn[:3] == ENTRIES
    res = time_matcher(syn, analyzer, ["包工头跑了", "仲裁要钱吗", "你好"], repeat=2)
    assert res["entries"] == 40 and res["samples"] == 6
    assert 0 < res["p50_ms"] <= res["p99_ms"] <= res["max_ms"]


def echo_client(**values):
    settings = Settings(values={"WECHAT_TOKEN": TOKEN, "SECRET_KEY": "s" * 32, **values}, testing=True)
    return create_echo_app(settings).test_client()


def test_echo_app_answers_signed_messages_in_both_modes():
    plain = FakeWeChat(FlaskTransport(echo_client()), TOKEN)
    assert plain.say("工资被拖欠了怎么办") == "echo"
    assert plain.verify("hello")[1] == b"hello"
    bad = FakeWeChat(FlaskTransport(echo_client()), "wrong-token")
    assert bad.deliver(bad.text("hi")).status == 403
    safe = FakeWeChat(
        FlaskTransport(echo_client(WECHAT_AES_KEY=AES_KEY, WECHAT_APPID=APPID)), TOKEN, AES_KEY, APPID, mode="safe"
    )
    d = safe.send(safe.text("老板不给钱"))
    assert d.content == "echo" and d.envelope is not None


@pytest.mark.parametrize("aes", [False, True])
def test_request_file_is_signed_distinct_and_accepted(tmp_path, aes):
    path = tmp_path / "reqs.txt"
    write_requests(path, "/wechat", TOKEN, ["包工头跑了", "仲裁要钱吗\t吗"], 6, AES_KEY if aes else "", APPID)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and all(line.count("\t") == 1 for line in lines)
    client = echo_client(**({"WECHAT_AES_KEY": AES_KEY, "WECHAT_APPID": APPID} if aes else {}))
    fake = FakeWeChat(FlaskTransport(client), TOKEN, AES_KEY if aes else None, APPID)
    msg_ids = set()
    for line in lines:
        target, body = line.split("\t")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query))
        assert (query.get("encrypt_type") == "aes") == aes
        resp = client.post(target, data=body.encode(), content_type="text/xml")
        d = fake.read_reply(resp.status_code, resp.data, query)
        assert d.status == 200 and not d.problems and d.content == "echo"
        msg_ids.add(body if aes else body.split("<MsgId>")[1])
    assert len(msg_ids) == 6


def test_db_counts_reads_rows_and_stored_replies(tmp_path):
    store = Store(tmp_path / "bot.db")
    for i in range(3):
        row = store.log.record(
            Consultation(user_id="u", kind="text", outcome="answered", msg_key=f"msg:{i}"), reply="x"
        )
        assert row
    # a second delivery of msg:1 writes nothing
    assert (
        store.log.record(Consultation(user_id="u", kind="text", outcome="answered", msg_key="msg:1"), reply="y") is None
    )
    store.log.record(Consultation(user_id="u", kind="text", outcome="answered", msg_key="msg:9"))  # no reply given
    store.close()
    counts = db_counts(tmp_path / "bot.db")
    assert counts == {"rows": 4, "distinct_keys": 4, "outcomes": {"answered": 4}, "stored_replies": 3}


def test_process_helpers_find_children_and_memory():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in children(os.getpid())
        assert memory_mb(os.getpid())["rss_mb"] > 1
    finally:
        child.kill()
        child.wait()


def test_load_explains_a_missing_wrk(monkeypatch):
    import bench.wrk
    from bot import cli

    monkeypatch.setattr(bench.wrk, "wrk_path", lambda: None)
    result = CliRunner().invoke(cli, ["bench", "load", "--rounds", "1"])
    assert result.exit_code != 0 and "apt-get install wrk" in result.output
