"""dialogue.venting: the clauses that only say how the person feels, left out of what the FAQ is matched on."""

from __future__ import annotations

import pytest

from dialogue.venting import without_venting


@pytest.mark.parametrize(
    "text, left",
    [
        ("烦死了😤押金五百不退", "押金五百不退"),
        ("心累💔 五一加了三天班 说好的三倍一分没给", "五一加了三天班 说好的三倍一分没给"),
        ("工头说要扣我整月工资赔 气得我肝疼", "工头说要扣我整月工资赔"),
        ("老板欠钱不给 哈哈开玩笑的 支付令咋申请", "老板欠钱不给 支付令咋申请"),
        ("工资呢？气死了！", "工资呢？！"),
    ],
)
def test_venting_clauses_are_left_out(text, left):
    assert without_venting(text) == left


@pytest.mark.parametrize("text", ["气死了", "烦死了😤", "他要打死我", "我被包工头气死了 他不给钱", "老公被车撞死了 能赔多少"])
def test_a_message_that_is_only_venting_or_says_more_stays_as_it_is(text):
    """Nothing else left, or a clause that tells what happened (打死, 撞死, who angered whom): the whole text."""
    assert without_venting(text) == text
