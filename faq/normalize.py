"""Normalisation of user text and FAQ text, so both sides are compared in the same form.

Full/half width (NFKC), traditional -> simplified (zhconv), lower case, emoji and punctuation -> space,
Chinese numerals -> Arabic (cn2an), runs of spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache

import cn2an
import zhconv

# Anything that is not a CJK ideograph, a Latin letter or a digit becomes a space (emoji, punctuation, symbols).
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff%]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_CN_NUMERAL_RUN = re.compile(r"[零〇一二两三四五六七八九十百千万]+")


def clean_display(text: str) -> str:
    """Text fit for logs and the console: control characters removed, whitespace tidied, NFC."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=4096)
def _numeral(run: str) -> str:
    """One run of Chinese numerals as Arabic digits (三 -> 3, 十五 -> 15, 两 -> 2); unchanged when cn2an can't."""
    try:
        with warnings.catch_warnings():  # cn2an warns on odd numerals such as a bare 千
            warnings.simplefilter("ignore")
            return str(cn2an.cn2an(run, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return run


def _numerals(text: str) -> str:
    # Converting runs (not the whole sentence with cn2an.transform) is ~20x faster on long messages. Words such as
    # 一次性 become 1次性 on both sides of every comparison, which is harmless.
    return _CN_NUMERAL_RUN.sub(lambda m: _numeral(m.group(0)), text)


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The comparable form of a question: simplified, half width, lower case, no punctuation or emoji. Cached: the
    matcher and the analyzer both normalise each message, and zhconv is most of the cost on a long one."""
    text = unicodedata.normalize("NFKC", text or "")
    text = zhconv.convert(text, "zh-cn").lower()
    text = _NON_WORD.sub(" ", text)
    text = _numerals(text)
    return _SPACES.sub(" ", text).strip()
