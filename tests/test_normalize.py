"""Normalisation, the lexicon and greetings: both sides of a comparison end up in the same form."""

import pytest

from faq.normalize import clean_display, normalize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ＡＢＣ１２３", "abc123"),  # full width -> half width
        ("甘肅最低工資", "甘肃最低工资"),  # traditional -> simplified
        ("老板跑了😤😤！！", "老板跑了"),  # emoji and punctuation dropped
        ("欠了三个月工资", "欠了3个月工资"),  # Chinese numerals -> Arabic
        ("十五日内", "15日内"),
        ("  工资\n\t没发  ", "工资 没发"),
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_clean_display_strips_control_characters():
    assert clean_display("a\x00b\x1fc  d\n") == "abc d"


@pytest.mark.parametrize(
    "raw, canonical_part",
    [
        ("工钱不给咋整", "工资"),
        ("找公会有用吗", "工会"),
        ("资付令怎么申请", "支付令"),
        ("功伤怎么认定", "工伤"),
        ("仲栽要钱吗", "仲裁"),
        ("包工头跑路了", "跑了"),
        ("劳动监查大队", "劳动监察"),
    ],
)
def test_lexicon_maps_colloquial_words(analyzer, raw, canonical_part):
    assert canonical_part in analyzer.canonical(raw)


@pytest.mark.parametrize(
    "raw, mandarin",
    [("冇签合同", "没签合同"), ("老细唔俾钱", "不给"), ("佢哋话唔算", "他们"), ("找边个要", "谁"), ("冇出粮", "欠薪")],
)
def test_cantonese_words_are_read_in_mandarin_without_becoming_topics(analyzer, raw, mandarin):
    """冇, 唔, 佢, 边个 are only Cantonese: read as 没, 不, 他, 谁 before the synonyms (冇出粮 is still 欠薪), and
    unlike synonyms they add no topic word (找, 看 are no subjects)."""
    assert mandarin in analyzer.canonical(raw)
    assert "找" not in analyzer.lexicon.domain_words and "没" not in analyzer.lexicon.domain_words


@pytest.mark.parametrize(
    "text",
    ["你好", "哈喽", "喂喂", "Hi~", "小助手你好呀🌹", "在吗？", "帮帮我", "开始", "菜单", "謝謝你", "請問在嗎", "ｈｉ"],
)
def test_greetings(analyzer, text):
    assert analyzer.is_greeting(text)


@pytest.mark.parametrize("text", ["你好 老板欠工资不给", "在吗 包工头跑了", "支付令", "謝謝 老闆欠薪", "喂 工傷"])
def test_questions_are_not_greetings(analyzer, text):
    assert not analyzer.is_greeting(text)
