"""Figures worked out from what the person said (dialogue/own_figures.py): severance (劳动合同法第47条、第87条),
二倍工资 (第82条; 实施条例第6条、第7条), 一次性伤残补助金 (工伤保险条例第35–37条)."""

from __future__ import annotations

import pytest

from dialogue.own_figures import monthly_wage, months_worked, own_figure, severance_months


@pytest.mark.parametrize(
    "text, months",
    [
        ("俺在这干了整五年", 60),
        ("我在这干了两年八个月", 32),
        ("在一个家具厂干了三年零七个月", 43),
        ("我在这干了三年半", 42),
        ("干了七个月", 7),
        ("工作了8年3个月", 99),
        ("干了快三年", None),  # no figure to reckon with
        ("干了三年多", None),
        ("干了十来年", None),
        ("老板欠我三个月工资", None),
    ],
)
def test_months_worked_reads_only_exact_figures(text, months):
    assert months_worked(text) == months


@pytest.mark.parametrize(
    "months, owed",
    [(60, 5), (32, 3), (42, 4), (43, 4), (99, 8.5), (7, 1), (5, 0.5), (12, 1)],
)
def test_severance_follows_article_47(months, owed):
    """Each full year one month; six months or more left over a year; less than six, half a month."""
    assert severance_months(months) == owed


def test_the_wage_gives_the_sum_and_the_cap_is_named():
    note = own_figure("contract-severance-how-much", "在西宁一个商场干了十年 要裁员 我月工资4200")
    assert "10个月工资" in note and "42000元" in note and "3倍" in note


def test_an_unlawful_dismissal_is_paid_twice_over():
    note = own_figure("contract-illegal-dismissal", "我在这干了四年 老板无缘无故把我开了")
    assert "4个月工资" in note and "8个月工资" in note and "第87条" in note


def test_no_note_without_a_figure_or_on_another_answer():
    assert own_figure("contract-expiry-no-renewal", "干了好几年了") is None
    assert own_figure("wage-complain-where", "我在这干了四年") is None
    assert monthly_wage("一个月四千多") is None


def test_the_note_goes_before_the_legal_basis_of_the_answer(wechat):
    reply = wechat.say("合同到期了公司说不续签了 我在这干了两年八个月 有没有补偿")
    assert "按您说的干了2年8个月算：经济补偿是3个月工资" in reply
    assert reply.index("按您说的") < reply.index("【依据】")


@pytest.mark.parametrize(
    "said, owed",
    [("干了七个月 一直没签合同", "大约6个月"), ("进厂第一天就没签合同 现在干了一年半了", "共11个月"), ("才干了1个月", "从第2个月起")],
)
def test_double_pay_runs_from_the_second_month_to_at_most_eleven(said, owed):
    assert owed in own_figure("contract-no-contract-double-pay", said)


@pytest.mark.parametrize("said, months", [("工伤认定下来了 评的十级", "7个月"), ("伤残五级", "18个月"), ("评了一级", "27个月")])
def test_the_disability_grade_gives_the_months_of_the_lump_sum(said, months):
    assert months in own_figure("injury-disability-benefits", said)


@pytest.mark.parametrize(
    "said, expect",
    [
        ("离职三个月了 老板还欠我工资", "还剩大约9个月"),
        ("离开那个厂一年半了 那笔工钱还能要吗", "已经过了1年"),
        ("半年前不干了 工资一直没结", "还剩大约6个月"),
    ],
)
def test_the_year_for_claiming_wages_after_leaving_is_counted_from_what_was_said(said, expect):
    note = own_figure("arb-time-limit", said)
    assert expect in note and "第27条" in note


@pytest.mark.parametrize("said", ["辞职了 工资欠了三个月", "离职都快一年了", "走了好久了"])
def test_no_time_since_leaving_is_guessed(said):
    assert own_figure("arb-time-limit", said) is None


@pytest.mark.parametrize(
    "entry, said",
    [
        ("contract-quit-unpaid-wages", "干了两年 欠了我工资15000 我不干了能要补偿不"),  # an amount owed, no wage
        ("injury-disability-benefits", "从三级台阶上摔下来 能评几级"),  # no grade yet
        ("arb-time-limit", "老板走了三个月了 工资没给"),  # the boss left, not the worker
        ("arb-time-limit", "我爸走了两个月了"),
        ("contract-severance-how-much", "在这一年被扣了三次工资"),
    ],
)
def test_numbers_that_are_not_the_persons_figure_are_not_read(entry, said):
    note = own_figure(entry, said)
    assert note is None or "元的话" not in note


def test_the_grade_of_disability_is_read_from_words_of_a_grade():
    assert "九级伤残" in own_figure("injury-disability-benefits", "我是二级建造师 工伤评了九级")


def test_long_tenure_names_the_cap_and_the_years_before_2008():
    assert "最多算12年" in own_figure("contract-severance-how-much", "干了十三年")
    assert "第97条第3款" in own_figure("contract-severance-how-much", "在这干了二十年")
    assert "仲裁时效" in own_figure("contract-no-contract-double-pay", "工作了8年3个月 没签合同")
