"""`python bot.py bench mask`: how well storage.privacy.mask_pii masks, and how fast.

Quality on the annotated sets (tests/data/pii_messages.yaml; pii_messages_heldout.yaml, first measured blind: see its
header): the share
of secrets (names, numbers, address parts) that vanish, messages without personal information that are changed
anyway (false positives), and kept parts (amounts, dates, places above the county) that were lost. False positives
again on every message of the FAQ evaluation's tuning sets (tests/data/tune*.yaml: ordinary questions, no
personal information). Speed: microseconds per message over all of them, as the webhook calls it.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from storage.privacy import mask_pii

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"development": DATA / "pii_messages.yaml", "second": DATA / "pii_messages_heldout.yaml"}


def load_set(path: Path) -> list[dict]:
    return [
        {
            "text": str(m["text"]),
            "secrets": [str(s) for s in m.get("secrets") or []],
            "keep": [str(k) for k in m.get("keep") or []],
        }
        for m in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def score_set(messages: list[dict]) -> dict:
    """Recall of secrets, false positives and lost kept parts, with the failing messages."""
    secrets = masked = with_pii = fully = clean = false_pos = kept_lost = 0
    failures = []
    for m in messages:
        out = mask_pii(m["text"])
        missed = [s for s in m["secrets"] if s in out]
        lost = [k for k in m["keep"] if k not in out]
        secrets += len(m["secrets"])
        masked += len(m["secrets"]) - len(missed)
        kept_lost += len(lost)
        if m["secrets"]:
            with_pii += 1
            fully += not missed
        else:
            clean += 1
            false_pos += out != m["text"]
        if missed or lost or (not m["secrets"] and out != m["text"]):
            failures.append({"text": m["text"], "masked": out, "missed": missed, "lost": lost})
    return {
        "messages": len(messages),
        "with_pii": with_pii,
        "secrets": secrets,
        "secrets_masked": masked,
        "recall": round(masked / secrets, 4) if secrets else None,
        "messages_fully_masked": fully,
        "clean": clean,
        "false_positives": false_pos,
        "kept_parts_lost": kept_lost,
        "failures": failures,
    }


def ordinary_questions() -> list[str]:
    """Every message of the tuning sets (questions, follow-ups and what came before, out of scope), except the safety
    and handoff sets: a person in danger gives their address (地址是石头沟村三社), one asking to be called back their
    phone number, and both must be masked."""
    texts = []
    for path in sorted(DATA.glob("tune*.yaml")):
        if path.stem.endswith(("_safety", "_handoff")):
            continue
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts += [str(t) for t in [*(item.get("before") or []), item.get("text")] if t]
    return texts


def timing(texts: list[str], repeat: int = 5) -> dict:
    """Per-message times: each text timed `repeat` times, its fastest kept (the machine is shared)."""
    per_message = []
    for text in texts:
        best = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            mask_pii(text)
            best = min(best, time.perf_counter() - started)
        per_message.append(best * 1e6)
    per_message.sort()
    return {
        "messages": len(texts),
        "mean_us": round(statistics.fmean(per_message), 1),
        "p50_us": round(per_message[len(per_message) // 2], 1),
        "p99_us": round(per_message[int(len(per_message) * 0.99)], 1),
        "max_us": round(per_message[-1], 1),
    }


def run_masking(repeat: int = 5) -> dict:
    sets = {name: load_set(path) for name, path in SETS.items()}
    questions = ordinary_questions()
    changed = [{"text": q, "masked": mask_pii(q)} for q in questions if mask_pii(q) != q]
    all_texts = [m["text"] for s in sets.values() for m in s] + questions
    return {
        "sets": {name: score_set(messages) for name, messages in sets.items()},
        "ordinary_questions": {"messages": len(questions), "false_positives": len(changed), "changed": changed},
        "timing": timing(all_texts, repeat),
    }


def format_masking(report: dict) -> str:
    lines = ["遮蔽个人信息（storage.privacy.mask_pii）", ""]
    for name, s in report["sets"].items():
        lines.append(
            f"{name:12} {s['messages']:4} 条（含个人信息 {s['with_pii']}）：要遮的 {s['secrets_masked']}/{s['secrets']}"
            f"（{s['recall']:.1%}），整条遮干净 {s['messages_fully_masked']}/{s['with_pii']}；"
            f"无个人信息的 {s['clean']} 条里误改 {s['false_positives']} 条；该保留的丢了 {s['kept_parts_lost']} 处"
        )
        for f in s["failures"]:
            lines.append(f"    {f['text']}  ->  {f['masked']}")
    q = report["ordinary_questions"]
    lines.append(f"普通消息（调参问题集）{q['messages']} 条：误改 {q['false_positives']} 条")
    for c in q["changed"]:
        lines.append(f"    {c['text']}  ->  {c['masked']}")
    t = report["timing"]
    lines.append(
        f"速度：{t['messages']} 条消息，平均 {t['mean_us']} µs/条，p50 {t['p50_us']} µs，p99 {t['p99_us']} µs，"
        f"最慢 {t['max_us']} µs"
    )
    return "\n".join(lines)
