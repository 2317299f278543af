"""Answer-quality evaluation on question files in the format of ../shared/eval/dev_questions.yaml.

An item passes when the reply contains at least one string of every `must_include` group and none of
`must_not_include` (whitespace ignored). `strict`: the first reply passes. `two_turn`: strict, or the first
reply offers numbered choices and answering 1, 2 or 3 (each from a fresh user) gives a passing reply.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faq.yamlio import load_yaml

Respond = Callable[[str, str], str]  # (user id, text) -> reply text

_CHOICE1 = re.compile(r"(^|\n)\s*[【\[(（]?\s*[1１①]\s*[】\])）.．、:：\s]")
_CHOICE2 = re.compile(r"(^|\n)\s*[【\[(（]?\s*[2２②]\s*[】\])）.．、:：\s]")


def load_questions(path: str | Path) -> list[dict]:
    data = load_yaml(path)
    return data if isinstance(data, list) else data.get("questions", [])


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def passes(reply: str, item: dict) -> bool:
    text = _squash(reply)
    groups = item.get("must_include") or []
    if any(not any(_squash(str(x)) in text for x in group) for group in groups):
        return False
    return not any(_squash(str(x)) in text for x in item.get("must_not_include") or [])


def offers_choices(reply: str) -> bool:
    return bool(_CHOICE1.search(reply or "") and _CHOICE2.search(reply or ""))


@dataclass
class EvalResult:
    n: int = 0
    strict: int = 0
    two_turn: int = 0
    by_topic: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    oos_total: int = 0
    oos_fallback: int = 0

    def pct(self, k: int) -> float:
        return 100.0 * k / self.n if self.n else 0.0


def evaluate(items: list[dict], respond: Respond, prefix: str = "eval") -> EvalResult:
    res = EvalResult()
    for k, item in enumerate(items):
        text = str(item["text"])
        first = respond(f"{prefix}-{k}", text) or ""
        ok = passes(first, item)
        ok2 = ok
        if not ok and offers_choices(first):
            for choice in ("1", "2", "3"):
                uid = f"{prefix}-{k}-c{choice}"
                respond(uid, text)
                if passes(respond(uid, choice) or "", item):
                    ok2 = True
                    break
        topic = item.get("topic", "?")
        t = res.by_topic.setdefault(topic, [0, 0, 0])
        t[0] += 1
        t[1] += ok
        t[2] += ok2
        res.n += 1
        res.strict += ok
        res.two_turn += ok2
        if topic == "out_of_scope":
            res.oos_total += 1
            res.oos_fallback += ok
        if not ok:
            res.failures.append(
                {"id": item.get("id"), "topic": topic, "text": text, "two_turn": ok2, "reply": first[:300]}
            )
    return res


def dialogue_responder(faq_dir: str | None = None) -> Respond:
    """The project's full answering path (menu, greetings, matcher) on a temporary database."""
    from dialogue import Dialogue
    from faq.loader import load_entries
    from pufa.services import shared_analyzer
    from settings import Settings
    from storage import Store

    settings = Settings()
    store = Store(Path(tempfile.mkdtemp(prefix="pufa-eval")) / "eval.db")
    store.faq.seed(load_entries(faq_dir or settings.FAQ_DIR))
    dialogue = Dialogue(store, shared_analyzer())
    return lambda uid, text: dialogue.respond(uid, text).text or ""


def format_result(name: str, res: EvalResult) -> str:
    lines = [f"== {name}: n={res.n}"]
    for topic, (n, s, t) in sorted(res.by_topic.items()):
        lines.append(f"  {topic:<24} n={n:<3} strict={100.0 * s / n:5.1f}%  two_turn={100.0 * t / n:5.1f}%")
    lines.append(
        f"  overall strict={res.pct(res.strict):.1f}% two_turn={res.pct(res.two_turn):.1f}%"
        + (f" out_of_scope_fallback={100.0 * res.oos_fallback / res.oos_total:.1f}%" if res.oos_total else "")
    )
    return "\n".join(lines)


def print_eval(files: list[str], show_failures: int = 0) -> int:
    respond = dialogue_responder()
    for path in files:
        res = evaluate(load_questions(path), respond, prefix=Path(path).stem)
        print(format_result(path, res))
        for f in res.failures[:show_failures]:
            print("  FAIL " + json.dumps(f, ensure_ascii=False))
    return 0
