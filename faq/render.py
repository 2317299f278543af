"""Turning an FAQ entry into the text a user sees (answer + its legal basis)."""

from __future__ import annotations

import re

BASIS_PREFIX = "【依据】"


def render_answer(entry: dict) -> str:
    answer = entry["answer"].strip()
    basis = entry.get("legal_basis") or []
    if basis:
        answer += "\n\n" + BASIS_PREFIX + "；".join(basis)
    return answer


PRACTICE = "实践中"  # a statement of practice, which no article governs (实践中，检察院办理支持起诉不收取费用)
BRIEF_MAX_CHARS = 110  # a brief longer than this is no brief: the number leads to the whole answer instead
_CITATION = re.compile(r"（[^（）]*第[\d一二三四五六七八九十百]+条[^（）]*）")


_SENTENCE_END = re.compile(r"(?<=。)|\n")
_LIST_MARK = re.compile(r"^(?:\d+[.、．]|[-·•])\s*")


def brief_answer(entry: dict, about: re.Pattern | None = None) -> str | None:
    """The answer's opening sentence that states the rule with its source (不收费……（调解仲裁法第53条）。), for
    showing a second question's answer in a line under the main one; None when the answer does not open that way
    (a list, a question back, a rule without its article on the first line). The brief is the curated answer's own
    words, so it is exactly as right as the answer. `about`: words of what was asked (要钱吗 → 收费|免费|…): the first
    sentence of the answer that has them and its source answers instead of the opening (申请保护令不收费……)."""
    if about is not None:
        for sentence in _SENTENCE_END.split(entry["answer"]):
            sentence = _LIST_MARK.sub("", sentence.strip())
            if (
                about.search(sentence)
                and (_CITATION.search(sentence) or sentence.startswith(PRACTICE))
                and len(sentence) <= BRIEF_MAX_CHARS
                and not sentence.endswith("：")
            ):
                return sentence
    first = entry["answer"].strip().split("\n", 1)[0].strip()
    if first[:1].isdigit():
        return None
    cited = _CITATION.search(first)
    if cited is None and not first.startswith(PRACTICE):
        return None
    end = first.find("。", cited.end() - 1 if cited else 0)
    brief = first if end < 0 else first[: end + 1]
    return brief if len(brief) <= BRIEF_MAX_CHARS and not brief.endswith("：") else None
