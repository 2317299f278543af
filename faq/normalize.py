"""Normalisation of user text and FAQ text, so both sides are compared in the same form.

Full/half width (NFKC), traditional -> simplified (zhconv), lower case, emoji and punctuation -> space,
Chinese numerals -> Arabic (cn2an), runs of spaces collapsed.
"""

from __future__ import annotations

import re
import unicodedata
import warnings

import cn2an
import zhconv

# Anything that is not a CJK ideograph, a Latin letter or a digit becomes a space (emoji, punctuation, symbols).
_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff%]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_HAS_CN_NUMERAL = re.compile(r"[零一二三四五六七八九十百千万两]")


def clean_display(text: str) -> str:
    """Text fit for logs and the console: control characters removed, whitespace tidied, NFC."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))
    return _SPACES.sub(" ", text).strip()


def _numerals(text: str) -> str:
    if not _HAS_CN_NUMERAL.search(text):
        return text
    try:
        with warnings.catch_warnings():  # cn2an warns (and keeps the text) on odd numerals such as a bare 千
            warnings.simplefilter("ignore")
            return cn2an.transform(text, "cn2an")
    except (ValueError, KeyError, IndexError):  # cn2an rejects some odd strings; keep them as they are
        return text


def normalize(text: str) -> str:
    """The comparable form of a question: simplified, half width, lower case, no punctuation or emoji."""
    text = unicodedata.normalize("NFKC", text or "")
    text = zhconv.convert(text, "zh-cn").lower()
    text = _NON_WORD.sub(" ", text)
    text = _numerals(text)
    return _SPACES.sub(" ", text).strip()
