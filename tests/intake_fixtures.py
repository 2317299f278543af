"""Shared pieces for the intake tests: settings with a list of procuratorates, an applicant talking through the
fake WeChat server (text or voice, with MsgIds so a message can be retried), and one registration script per kind
of matter with the case fields it must produce."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.conftest import TOKEN
from tests.fake_wechat import FakeWeChat, FlaskTransport, new_msg_id

MAIN = "兰州市人民检察院"
PLACES = "城关区,七里河区,榆中县=榆中县人民检察院"
INTAKE_SETTINGS = {"PROCURATORATE_NAME": MAIN, "PROCURATORATES": PLACES, "CASE_CONTACT_PROMISE": 3}
VOICE = "🎤"  # a script line starting with this is sent as a voice message (WeChat's recognition adds 。)


def message(fake: FakeWeChat, line: str) -> str:
    """A script line as WeChat pushes it: a text, or a voice message with the recognised text."""
    if line.startswith(VOICE):
        return fake.voice(line[len(VOICE):] + "。", msg_id=new_msg_id())
    return fake.text(line, msg_id=new_msg_id())


class Applicant:
    """One WeChat user; `say` sends a text (or a voice message) and returns the reply, `retry` sends the last
    message again with the same MsgId, as WeChat does when our reply was slow or lost."""

    def __init__(self, app, openid: str | None = None):
        self.fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN, openid=openid)
        self.last_xml: str | None = None
        self.replies: list[tuple[str, str]] = []

    @property
    def openid(self) -> str:
        return self.fake.openid

    def move_to(self, app) -> None:
        """The same person, now reaching another app (a restarted process) on the same database."""
        self.fake.transport = FlaskTransport(app.test_client())

    def prepare(self, text: str) -> str:
        return message(self.fake, text)

    def say(self, text: str) -> str:
        self.last_xml = self.prepare(text)
        reply = self.fake.send(self.last_xml).content or ""
        self.replies.append((text, reply))
        return reply

    def retry(self) -> str:
        return self.fake.send(self.last_xml).content or ""

    def click(self, key: str) -> str:
        return self.fake.send(self.fake.event("CLICK", key)).content or ""


@dataclass
class Script:
    kind: str
    lines: list[str]
    expect: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)


SCRIPTS: dict[str, Script] = {
    "wages": Script(
        "wages",
        ["我要登记", "1", "1", "1", "王师傅", "139 1234 5678", "1", "兰州某建筑公司，包工头张三", "🎤八千五", "2025年3月",
         "4", "1 3 4", "🎤干了三个月活，包工头跑了", "2", "1"],  # fmt: skip
        {"phone": "13912345678", "amount": 8500.0, "county": "城关区", "procuratorate": "城关区人民检察院",
         "actions": ["none"], "evidence": ["iou", "chat", "transfer"], "call_time": "afternoon", "for_whom": "self"},  # fmt: skip
        {"name": "王师傅", "party": "兰州某建筑公司，包工头张三", "since": "2025年3月", "account": "干了三个月活，包工头跑了"},
    ),
    "elder_support": Script(
        "elder_support",
        ["申请支持起诉", "好的", "2", "2", "我父亲李大爷", "李女士", "🎤一三八 一二三四 五六七八", "榆中",
         "大儿子李某", "每月五百", "去年开始", "1", "1 3", "跳过", "4", "确认"],  # fmt: skip
        {"phone": "13812345678", "amount": 500.0, "county": "榆中县", "procuratorate": "榆中县人民检察院",
         "actions": ["mediation"], "evidence": ["kinship", "transfer"], "call_time": "any", "for_whom": "relative"},  # fmt: skip
        {"name": "李女士", "relation": "我父亲李大爷", "party": "大儿子李某"},
    ),
    "child_support": Script(
        "child_support",
        ["登记", "1", "3", "1", "1", "张女士", "13712345678", "2", "孩子的父亲", "每月一千五，已欠两万", "2024年",
         "4", "1 2", "离婚后一直不给", "3", "1"],  # fmt: skip
        {"phone": "13712345678", "amount": 20000.0, "county": "七里河区", "procuratorate": "七里河区人民检察院",
         "actions": ["none"], "evidence": ["judgment", "birth"], "call_time": "evening", "for_whom": "parent"},  # fmt: skip
        {"name": "张女士", "party": "孩子的父亲", "account": "离婚后一直不给"},
    ),
    "domestic_violence": Script(
        "domestic_violence",
        ["让检察院联系我", "1", "4", "1", "1", "刘女士", "13612345678", "4", "永登县", "丈夫", "最近一次是上周", "4",
         "1 3", "跳过", "工作日上午九点以后", "1"],  # fmt: skip
        {"phone": "13612345678", "amount": None, "county": "其他地方", "procuratorate": MAIN, "actions": ["none"],
         "evidence": ["police_record", "photo"], "call_time": "morning", "for_whom": "self"},  # fmt: skip
        {"name": "刘女士", "place": "永登县", "party": "丈夫"},
    ),
    "work_injury": Script(
        "work_injury",
        ["登记", "1", "5", "1", "1", "赵师傅", "13512345678", "1", "某工地，包工头王某", "五万", "2025年5月", "4",
         "1 4 5", "🎤在工地摔伤了腿", "4", "1"],  # fmt: skip
        {"phone": "13512345678", "amount": 50000.0, "county": "城关区", "procuratorate": "城关区人民检察院",
         "actions": ["none"], "evidence": ["contract", "medical", "witness"], "call_time": "any", "for_whom": "self"},  # fmt: skip
        {"name": "赵师傅", "party": "某工地，包工头王某", "account": "在工地摔伤了腿"},
    ),
    "disability": Script(
        "disability",
        ["登记", "1", "6", "1", "1", "孙先生", "13412345678", "3", "某公司", "跳过", "今年", "1", "1 3",
         "招聘时说不要残疾人", "1", "1"],  # fmt: skip
        {"phone": "13412345678", "amount": None, "county": "榆中县", "procuratorate": "榆中县人民检察院",
         "actions": ["cdpf"], "evidence": ["certificate", "chat"], "call_time": "morning", "for_whom": "self"},  # fmt: skip
        {"name": "孙先生", "party": "某公司", "account": "招聘时说不要残疾人"},
    ),
    "other": Script(
        "other",
        ["登记", "1", "7", "1", "周女士", "13312345678", "2", "某物业公司", "3万多", "2025年", "4", "2", "跳过", "4",
         "1"],  # fmt: skip
        {"phone": "13312345678", "amount": 30000.0, "amount_approx": 1, "county": "七里河区",
         "procuratorate": "七里河区人民检察院", "actions": ["none"], "evidence": ["chat"], "call_time": "any"},  # fmt: skip
        {"name": "周女士", "party": "某物业公司"},
    ),
}


def run_script(person: Applicant, lines: list[str]) -> str:
    reply = ""
    for line in lines:
        reply = person.say(line)
    return reply
