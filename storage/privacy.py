"""Personal-information protection (个人信息保护法): keyed pseudonyms for OpenIDs, masking of numbers in text."""

from __future__ import annotations

import hashlib
import hmac
import re

# ID card: 17 digits + digit/X (18), or the old 15-digit form; bank card: 16-19 digits; mainland mobile: 1[3-9]x.
_ID_CARD = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])|(?<!\d)(\d{6})\d{6}(\d{3})(?!\d)")
_ID_CARD_GROUPED = re.compile(r"(?<!\d)(\d{6})[ -]\d{8}[ -](\d{3}[\dXx])(?![\dXx])")
_BANK_CARD = re.compile(r"(?<!\d)(\d{4})\d{8,11}(\d{4})(?!\d)")
# People type card numbers in groups of four, as printed on the card: 6222 0212 3456 7890 123.
_BANK_CARD_GROUPED = re.compile(r"(?<!\d)(\d{4})(?:[ -]\d{4}){2,3}[ -](\d{3,4})(?!\d)")
# Also 138 1234 5678, 138-1234-5678 and +86 / 86 in front.
_MOBILE = re.compile(r"(?<!\d)(\+?86[ -]?)?(1[3-9]\d)[ -]?\d{4}[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?)\d{4}(\d{3,4})(?!\d)")


def pseudonym(openid: str, key: str) -> str:
    """A stable, keyed, one-way id for a WeChat OpenID; the raw OpenID is never stored."""
    return "u_" + hmac.new(key.encode(), ("openid:" + openid).encode(), hashlib.sha256).hexdigest()[:32]


def mask_pii(text: str) -> str:
    """Mask ID-card, bank-card and phone numbers, keeping a few digits so staff can tell them apart."""
    if not text or not any(ch.isdigit() for ch in text):
        return text

    def id_card(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)[:3] + "*" * 11 + m.group(2)[-4:]
        return m.group(3)[:3] + "*" * 9 + m.group(4)

    text = _ID_CARD.sub(id_card, text)
    text = _ID_CARD_GROUPED.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(2)[-4:], text)
    text = _BANK_CARD.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 8) + m.group(2), text)
    text = _BANK_CARD_GROUPED.sub(lambda m: m.group(1) + " **** **** " + m.group(2), text)
    text = _MOBILE.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(3), text)
    text = _LANDLINE.sub(lambda m: m.group(1) + "****" + m.group(2), text)
    return text
