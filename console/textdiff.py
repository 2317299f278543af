"""Word-level differences between two texts, for the revision history: Chinese is cut into words (jieba, with
the FAQ's own dictionary), other text into words, numbers, spaces and punctuation, so a changed phone number or
one changed word shows as exactly that, inside the unchanged text around it.

Long unchanged stretches are shortened to their ends (CONTEXT characters each side), so a one-word change in a
600-character answer reads as one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

CONTEXT = 24
_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,:]\d+)*|\s+|.", re.S)


@dataclass(frozen=True)
class Segment:
    kind: str  # "same", "add", "del", "gap" (unchanged text left out)
    text: str


def tokens(text: str, cut: Callable[[str], list[str]] | None = None) -> list[str]:
    """Words, numbers, spaces and single punctuation marks; `cut` splits runs of Chinese (jieba)."""
    out: list[str] = []
    for piece in re.split(r"([\u3400-\u9fff]+)", text):
        if not piece:
            continue
        if cut is not None and "\u3400" <= piece[0] <= "\u9fff":
            out.extend(cut(piece))
        elif "\u3400" <= piece[0] <= "\u9fff":
            out.extend(piece)  # without a tokenizer: character by character
        else:
            out.extend(_TOKEN.findall(piece))
    return out


def diff_words(old: str, new: str, cut: Callable[[str], list[str]] | None = None) -> list[Segment]:
    """The segments that turn `old` into `new`: unchanged text, deletions and insertions, in reading order."""
    a, b = tokens(old or "", cut), tokens(new or "", cut)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("add", "".join(b[j1:j2])))
    return _shorten(segments)


def _shorten(segments: list[Segment]) -> list[Segment]:
    """Keep CONTEXT characters of unchanged text around each change; the rest becomes a "gap"."""
    if all(s.kind == "same" for s in segments):
        return segments
    out: list[Segment] = []
    last = len(segments) - 1
    for i, seg in enumerate(segments):
        keep_head = i > 0  # text after a change
        keep_tail = i < last  # text before a change
        if seg.kind != "same" or len(seg.text) <= 2 * CONTEXT + 8:
            out.append(seg)
            continue
        head = seg.text[:CONTEXT] if keep_head else ""
        tail = seg.text[-CONTEXT:] if keep_tail else ""
        if head:
            out.append(Segment("same", head))
        out.append(Segment("gap", ""))
        if tail:
            out.append(Segment("same", tail))
    return out
