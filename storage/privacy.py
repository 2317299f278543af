"""Personal-information protection (个人信息保护法): keyed pseudonyms for OpenIDs, and masking of what identifies a
person in the text users send (names, addresses, phone, ID and bank-card numbers) before it is stored or shown to
a model. The patterns live in storage/pii_numbers.py and storage/pii_words.py; bench/masking.py measures them.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from storage.pii_numbers import mask_numbers
from storage.pii_words import mask_words

MASK_VERSION = 2  # raised whenever masking learns something new: `bot.py purge` re-masks older rows once


def pseudonym(openid: str, key: str) -> str:
    """A stable, keyed, one-way id for a WeChat OpenID; the raw OpenID is never stored."""
    return "u_" + hmac.new(key.encode(), ("openid:" + openid).encode(), hashlib.sha256).hexdigest()[:32]


def mask_pii(text: str) -> str:
    """Mask names (the surname stays, as 张某), addresses below the county (某地), and ID-card, bank-card and phone
    numbers in digits or Chinese numerals (a few digits stay, so staff can tell them apart)."""
    if not text:
        return text
    return mask_words(mask_numbers(text))


@lru_cache(maxsize=1024)
def mask_reply(text: str) -> str:
    """mask_pii for the bot's replies as they are logged. The same few hundred replies (FAQ answers, menus) come
    back all day and masking a long one takes a few hundred microseconds: each is masked once per process."""
    return mask_pii(text)
