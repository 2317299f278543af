"""The matcher on a table of questions written the way users type (not copied from the FAQ variants)."""

import pytest

from faq.loader import load_entries
from faq.matcher import ANSWERED, SUGGESTED, TENTATIVE, UNANSWERED, Bands, Matcher
from pufa.services import shared_analyzer
from settings import Settings
from tests.near_copies import NearCopyFinder, faq_references


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_entries(Settings().FAQ_DIR), shared_analyzer())


# (question, the entry that must come first — or a tuple of entries that answer it equally well)
CASES = [
    ("包工头卷钱跑了 我们的工钱找哪个要", "wage-subcontractor-fled"),
    ("老板欠了三个月工资不给 去哪里告他", "wage-complain-where"),
    ("老板拿几箱酒顶工资 这算啥", "wage-in-kind-payment"),
    ("老板记工钱的那个账本 按规定得留多少年", "wage-payroll-ledger"),
    ("工地的工资保证金是干啥用的", "wage-deposit"),
    ("包工头把我们银行卡收走了", "wage-bank-card-withheld"),
    ("老板上了失信黑名单会咋样", "wage-blacklist"),
    ("发工资那天是春节 能不能晚几天发", "wage-holiday-payday"),
    ("想申请支付令 材料交给哪个法院", "wagep-payment-order-what"),
    ("老板打了欠条一直不还 能直接去法院起诉吗", "wagep-iou-sue-directly"),
    ("打劳动仲裁收费不收费", "arb-free"),
    ("离职一年多了 还能去仲裁吗 时效过了没", "arb-time-limit"),
    ("欠薪不给算不算犯罪 老板会坐牢吗", "crime-what"),
    ("干了半年都没签合同 听说能多要一倍工资 真的吗", "contract-no-contract-double-pay"),
    ("入职要交押金 合法吗", "contract-deposit-id-card"),
    ("早上骑车去厂里的路上让汽车给撞了 这个算不算工伤", "injury-commute-accident"),
    ("喝醉酒干活摔伤了算不算工伤", "injury-drunk-not-covered"),
    ("工伤认定申请期限是多久", "injury-apply-deadline"),
    ("怎么查公司给我交没交社保", "si-check-records"),
    ("听说检察院能支持起诉 具体是咋回事", "sp-what-is"),
    ("法律援助收费不 到底是个啥", "aid-what-is"),
    ("司法救助领过一回 以后还能再领吗", "relief-one-time"),
    ("我男人一喝酒就动手打我 我该找谁", ("dv-what-to-do", "dv-what-counts")),
    ("人身安全保护令多久能批下来", "dv-protection-order-speed"),
    ("离婚了前夫不给娃抚养费", "minor-support-unpaid"),
    ("儿子不给老人赡养费 咋办", ("elder-children-refuse-support", "sp-elder-support")),
    ("生孩子单位该给放几天假", "women-maternity-leave"),
    ("怀孕了公司要把我辞退", "women-pregnant-fired"),
    ("残疾人找工作被歧视怎么办", "disab-employment-discrimination"),
    ("12309都能办啥事", "proc-12309-services"),
    ("老板说给我们买了意外险 受伤了就不算工伤", "injury-accident-insurance-not-substitute"),
]


@pytest.mark.parametrize("question, entry_id", CASES)
def test_best_entry(matcher, question, entry_id):
    ranked = matcher.rank(question, k=3)
    expected = entry_id if isinstance(entry_id, tuple) else (entry_id,)
    assert ranked[0].entry_id in expected, [(c.entry_id, c.score) for c in ranked]


@pytest.mark.parametrize("question, entry_id", CASES)
def test_typical_questions_get_an_answer(matcher, question, entry_id):
    assert matcher.decide(question).outcome in (ANSWERED, TENTATIVE)


OUT_OF_SCOPE = ["今天兰州下雨吗", "给我讲个笑话", "推荐个好吃的牛肉面馆", "股票明天涨不涨", "房东不退租房押金咋办"]


@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope_gets_the_fallback(matcher, question):
    assert matcher.decide(question).outcome == UNANSWERED


TYPOS = [
    ("干活时受的伤 哪些情况算功伤", "injury-what-counts"),  # voice slip 功伤
    ("資付令怎麼申請", "wagep-payment-order-what"),  # traditional characters + slip 资付令
    ("找公会能帮忙要工资吗", "wage-union-help"),  # 公会 for 工会
    ("仲栽要钱不😭", "arb-free"),  # typo + emoji
]


@pytest.mark.parametrize("question, entry_id", TYPOS)
def test_typos_and_variants(matcher, question, entry_id):
    assert matcher.rank(question, k=1)[0].entry_id == entry_id


def test_long_story_finds_the_question(matcher):
    story = (
        "我是甘肃天水的 去年跟着一个包工头在兰州一个小区工地上干钢筋 一直说年底结账 "
        "到了腊月包工头说开发商没给钱 后来电话也不接了人也找不着 一共欠我们十几个人二十多万 "
        "我们去找总包单位 他们说包工头的事跟他们没关系 请问这钱到底该谁给"
    )
    assert matcher.rank(story, k=3)[0].entry_id in {"wage-subcontractor-fled", "wage-illegal-subcontract-individual"}


def test_scores_are_bounded_and_sorted(matcher):
    ranked = matcher.rank("工资被拖欠了怎么办", k=5)
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_suggestions_offer_close_runners_up(matcher):
    bands = Bands(answer=0.99, sure=0.99, tentative=0.99)  # force the suggestion band
    m = Matcher(matcher.entries, matcher.analyzer, bands)
    d = m.decide("劳动仲裁的事")
    assert d.outcome == SUGGESTED
    assert 1 <= len(d.choices) <= 3
    assert all(d.best.score - c.score <= bands.suggest_gap for c in d.choices)


def test_disabled_entries_are_not_matched(matcher):
    entries = [dict(e, enabled=e["id"] != "arb-free") for e in matcher.entries]
    m = Matcher(entries, matcher.analyzer)
    assert "arb-free" not in {c.entry_id for c in m.rank("劳动仲裁要交钱吗", k=5)}


def test_empty_faq():
    m = Matcher([], shared_analyzer())
    assert m.decide("工资").outcome == UNANSWERED


COMMON_WORDS = ["老板就是不给钱", "欠薪咋办", "要工资", "老板欠钱", "我电话13812345678 老板就是不给钱"]


@pytest.mark.parametrize("question", COMMON_WORDS)
def test_messages_of_common_words_reach_the_complaint_entry(matcher, question):
    """The most typical messages use only the FAQ's most common words; they must not fall to the fallback."""
    d = matcher.decide(question)
    assert d.outcome in (ANSWERED, TENTATIVE) and d.best.entry_id == "wage-complain-where"


@pytest.mark.parametrize("question", ["老板拖着不给钱", "老板一直拖着不给钱"])
def test_delayed_wages_in_common_words_reach_the_complaint_entry(matcher, question):
    d = matcher.decide(question)
    assert d.outcome in (ANSWERED, TENTATIVE) and d.best.entry_id == "wage-complain-where"


def test_the_tables_are_not_faq_variants(matcher):
    """The header's promise: every question above is written the way users type, not a (near-)copy of a variant."""
    finder = NearCopyFinder(faq_references(matcher.entries))
    questions = [q for q, _ in CASES + TYPOS] + OUT_OF_SCOPE + COMMON_WORDS
    copies = {q: [str(c) for c in finder.find(q)] for q in questions}
    assert {q: c for q, c in copies.items() if c} == {}
