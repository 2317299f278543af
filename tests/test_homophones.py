"""Voice-input slips by sound (faq/homophones.py): runs that read like a domain term become it; real words stay."""

import pytest

from dialogue.emergency import MARK


@pytest.mark.parametrize(
    "raw, restored",
    [
        ("怀运了就把我开了", "怀孕"),
        ("性扫扰找谁", "性骚扰"),
        ("法律圆助找谁办", "法律援助"),
        ("加暴找哪个部门", "家暴"),
        ("童公犯法不", "童工"),
        ("停工流心期工资给不给", "停工留薪期"),
        ("残疾人互理补贴咋领", "护理"),
        ("检察院管公益速讼不", "公益诉讼"),
    ],
)
def test_slips_that_sound_like_a_term_are_restored(analyzer, raw, restored):
    assert restored in analyzer.canonical(raw)


@pytest.mark.parametrize(
    "text, kept",
    [
        ("老板不交社保", "不交"),  # sounds like 补缴, but means "does not pay"
        ("我要去医院检查身体", "检查"),  # a real word that sounds like 检察
        ("工商执照咋办", "工商"),  # a real word that sounds like 工伤
        ("男女同工同酬", "同工同酬"),  # part of a longer real word
    ],
)
def test_real_words_are_left_alone(analyzer, text, kept):
    assert kept in analyzer.canonical(text)


def test_a_slip_reaches_the_right_answer(analyzer):
    from faq.loader import load_entries
    from faq.matcher import Matcher
    from settings import Settings

    decision = Matcher(load_entries(Settings().FAQ_DIR), analyzer).decide("性扫扰找谁")
    assert decision.best is not None and decision.best.entry_id == "women-sexual-harassment-work"


def test_the_shipped_reading_table_is_what_pypinyin_writes(tmp_path):
    pytest.importorskip("pypinyin")
    from faq.homophones import READINGS_FILE, write_readings

    write_readings(tmp_path / "readings.txt")
    assert (tmp_path / "readings.txt").read_text(encoding="utf-8") == READINGS_FILE.read_text(encoding="utf-8")


def test_context_words_say_who_and_where_and_are_dropped_before_matching(analyzer):
    """城中村, 环卫工, 按摩店 say who and where, not what: they neither pull nor push a question."""
    assert analyzer.canonical("城中村老人受气找哪个部门") == analyzer.canonical("老人受气找哪个部门")
    assert "保姆" in analyzer.canonical("当保姆的工钱不给")  # a household employer changes the answer: kept


@pytest.mark.parametrize(
    "typed, restored",
    [
        ("gongshang", "工伤"),
        ("jiabao", "家暴"),
        ("chanjia几天", "产假几天"),
        ("she bao", "社保"),
        ("zhongcai要钱吗", "仲裁"),
        ("laobanqianxin", "老板欠薪"),  # two terms spelled end to end
    ],
)
def test_words_typed_in_pinyin_become_the_terms(analyzer, typed, restored):
    assert restored in analyzer.canonical(typed)


@pytest.mark.parametrize("text", ["ok", "sos", "hello", "wifi密码", "baoxian"])
def test_latin_that_spells_no_term_is_left_alone(analyzer, text):
    assert analyzer.canonical(text).replace(" ", "") == text


def test_a_pinyin_head_query_gets_its_topic_not_the_handoff_reply():
    from dialogue.intents import detect_intent

    assert detect_intent("gongshang") is None
    assert detect_intent("chanjia几天") is None


def test_venting_is_dropped_before_matching_and_the_scope_check(analyzer):
    """憋屈死了, 气得我肺都要炸了 say how the person feels: without them the question matches as if calmly asked."""
    from dialogue.scope import out_of_scope_probability

    assert analyzer.canonical("憋屈死了 男的比我们女的多拿五百") == analyzer.canonical("男的比我们女的多拿五百")
    assert analyzer.canonical("气得我肺都要炸了 婆家要收回我的地") == analyzer.canonical("婆家要收回我的地")
    calm, vented = "婆家说我离了婚村里的地就得收回", "气得我肺都要炸了 婆家说我离了婚村里的地就得收回"
    assert out_of_scope_probability(vented) == out_of_scope_probability(calm)
    # words that change the answer stay: overwork death, drunkenness
    assert "累死" in analyzer.canonical("天天加班累死了算工伤不")
    assert "醉" in analyzer.canonical("他喝醉了打我")
    assert analyzer.lexicon.calm("气死我了") == "气死我了"  # nothing else said: the text stays as it is


def test_venting_never_hides_danger(wechat):
    """Safety reads the message as sent: a threat worded like venting still gets the emergency line."""
    first = wechat.say("他拿着刀说今晚要我的命 气死我了").splitlines()[0]
    assert first.startswith(MARK) and "110" in first
