"""`bot.py bench quality`: the project's matcher against BM25 and fuzzy baselines, through the same dialogue.

Every matcher answers through the project's Dialogue (greetings, menu, numbered choices and fallback texts are
identical); only the ranking differs. The baselines' answer/suggest/margin thresholds (and the fuzzy scorer) are
calibrated by a grid search on the calibration set (the dev set), maximising strict, then two_turn.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from bench.evaluation import Answer, EvalResult, evaluate, load_questions
from bench.rankers import Bm25Ranker, FuzzyRanker, RankerDialogue, Thresholds
from dialogue import Dialogue
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "eval" / "dev_questions.yaml"
MATCHERS = ("matcher", "bm25", "fuzzy")
# where the baselines' thresholds are calibrated: the dev set, or (in a clone without ../shared) the tuning set
CALIBRATION_SETS = (DEV_SET, ROOT / "tests" / "data" / "tune_questions.yaml")
QUANTILES = np.linspace(0, 100, 21)  # threshold candidates: every 5th percentile of the top scores
MARGINS = (0.0, 0.05, 0.1, 0.2, 0.3)


def is_question_file(path: Path) -> bool:
    """A YAML list of items with `text` and `must_include` (the dev_questions.yaml format)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    items = data if isinstance(data, list) else (data or {}).get("questions") if isinstance(data, dict) else None
    return bool(items) and all(
        isinstance(i, dict) and "text" in i and ("must_include" in i or "kind" in i) for i in items
    )


def default_files() -> list[Path]:
    """The dev set (when ../shared is there), the held-out set, then every other evaluation set in tests/data
    (held-out and tuning sets; not the classifiers' training-only files everyday.yaml and contrast.yaml)."""
    files = [DEV_SET] if DEV_SET.exists() else []
    data_dir = ROOT / "tests" / "data"
    heldout = data_dir / "heldout_questions.yaml"
    files += [heldout] if heldout.exists() else []
    files += [
        p
        for p in sorted(data_dir.glob("*.yaml"))
        if p != heldout and p.stem.startswith(("heldout_", "tune")) and is_question_file(p)
    ]
    return files


@dataclass
class Contender:
    """One matcher wrapped in the project's dialogue."""

    name: str
    dialogue: Dialogue

    def respond(self, uid: str, text: str) -> Answer:
        reply = self.dialogue.respond(uid, text)
        return Answer(reply.text or "", reply.outcome)


def _store(entries: list[dict] | None = None) -> Store:
    store = Store(":memory:")
    if entries is not None:
        store.faq.seed(entries)
    return store


def build_contenders(entries: list[dict], analyzer, ranker_for: dict[str, object]) -> list[Contender]:
    """The project's matcher (over a seeded store) and each baseline ranker, each in its own dialogue."""
    out = [Contender("matcher", Dialogue(_store(entries), analyzer))]
    for name, ranker in ranker_for.items():
        out.append(Contender(name, RankerDialogue(_store(), analyzer, ranker)))
    return out


def calibrate(ranker, items: list[dict], analyzer) -> dict:
    """Grid-search the ranker's thresholds on `items`, maximising (strict, two_turn); sets and returns the best."""
    contender = Contender(ranker.name, RankerDialogue(_store(), analyzer, ranker))
    tops = [c[0].score for c in (ranker.rank(str(i["text"])) for i in items) if c] or [0.0]
    cands = sorted({round(float(q), 4) for q in np.percentile(tops, QUANTILES)} | {max(tops) + 1.0})
    memo: dict = {}
    best, best_key, counter = None, None, itertools.count()

    def outcome_of(k: int, item: dict) -> tuple[int, int]:
        d = ranker.decide(str(item["text"]))
        sig = (k, d.outcome, tuple(c.entry_id for c in d.choices), d.best.entry_id if d.best else None)
        if sig not in memo:
            r = evaluate([item], contender.respond, prefix=f"cal{next(counter)}")
            memo[sig] = (r.strict, r.two_turn)
        return memo[sig]

    for answer, suggest, margin in itertools.product(cands, [0.0, *cands], MARGINS):
        if suggest > answer:
            continue
        ranker.thresholds = Thresholds(answer, suggest, margin)
        scored = [outcome_of(k, item) for k, item in enumerate(items)]
        key = (sum(s for s, _ in scored), sum(t for _, t in scored))
        if best_key is None or key > best_key:
            best, best_key = ranker.thresholds, key
    ranker.thresholds = best
    n = len(items) or 1
    return {
        "answer": best.answer,
        "suggest": best.suggest,
        "margin": best.margin,
        "strict": round(100.0 * best_key[0] / n, 1),
        "two_turn": round(100.0 * best_key[1] / n, 1),
        "grid": len(cands) * (len(cands) + 1) * len(MARGINS),
    }


def calibrated_baselines(entries: list[dict], analyzer, calibration_items: list[dict]) -> tuple[dict, dict]:
    """BM25 and the best fuzzy scorer, each with thresholds calibrated on `calibration_items`."""
    bm25 = Bm25Ranker(entries)
    info = {"bm25": calibrate(bm25, calibration_items, analyzer)}
    best_fuzzy, best_info = None, None
    for scorer in FuzzyRanker.SCORERS:
        fuzzy = FuzzyRanker(entries, scorer=scorer)
        cal = calibrate(fuzzy, calibration_items, analyzer)
        if best_info is None or (cal["strict"], cal["two_turn"]) > (best_info["strict"], best_info["two_turn"]):
            best_fuzzy, best_info = fuzzy, dict(cal, scorer=scorer)
    info["fuzzy"] = best_info
    return {"bm25": bm25, "fuzzy": best_fuzzy}, info


def summarise(res: EvalResult) -> dict:
    pct = lambda a, b: round(100.0 * a / b, 1) if b else None  # noqa: E731
    return {
        "n": res.n,
        "strict": pct(res.strict, res.n),
        "two_turn": pct(res.two_turn, res.n),
        "oos_n": res.oos_total,
        "oos_fallback": pct(res.oos_fallback, res.oos_total),
        "oos_confident_answers": res.oos_confident,
        "oos_tentative_answers": res.oos_tentative,
        "danger_n": res.danger_total,
        "danger_caught": pct(res.danger_caught, res.danger_total),
        "ordinary_n": res.ordinary_total,
        "false_alarms": pct(res.false_alarms, res.ordinary_total),
        "ordinary_answered": pct(res.ordinary_answered, res.ordinary_total),
        "by_topic": {
            t: {"n": n, "strict": pct(s, n), "two_turn": pct(tt, n)} for t, (n, s, tt) in res.by_topic.items()
        },
    }


def run_quality(
    files: list[Path], entries: list[dict], analyzer, calibration: Path | None, progress: Callable = print
) -> dict:
    """Evaluate every file with the three matchers; returns a JSON-able report."""
    cal_path = calibration or next((p for p in CALIBRATION_SETS if p.exists()), files[0])
    entries = _store(entries).faq.all(include_disabled=False)  # the order and shape the live matcher sees
    progress(f"calibrating baselines on {cal_path} ...")
    rankers, cal_info = calibrated_baselines(entries, analyzer, load_questions(cal_path))
    contenders = build_contenders(entries, analyzer, rankers)
    report = {"entries": len(entries), "calibration_file": str(cal_path), "calibration": cal_info, "files": []}
    for path in files:
        items = load_questions(path)
        per = {}
        for c in contenders:
            prefix = f"{Path(path).stem}-{c.name}"
            per[c.name] = summarise(evaluate(items, c.respond, prefix=prefix))
        report["files"].append({"file": str(path), "n": len(items), "matchers": per})
    return report


def format_report(report: dict) -> str:
    cal = report["calibration"]
    lines = [
        f"FAQ entries: {report['entries']}.  Baselines calibrated on {report['calibration_file']} "
        "(grid search over answer/suggest thresholds at every 5th percentile of the top scores and relative "
        f"margins {MARGINS}, maximising strict then two_turn):",
        "  bm25 : answer>={answer:.3f} suggest>={suggest:.3f} margin={margin} (dev strict {strict}%)".format(
            **cal["bm25"]
        ),
        "  fuzzy: {scorer} answer>={answer:.1f} suggest>={suggest:.1f} margin={margin} (dev strict {strict}%)".format(
            **cal["fuzzy"]
        ),
    ]
    cell = lambda d: f"{d['strict']:5.1f} {d['two_turn']:5.1f}"  # noqa: E731
    for f in report["files"]:
        m = f["matchers"]
        lines.append("")
        lines.append(f"== {f['file']} (n={f['n']})   columns: strict% two_turn%")
        lines.append(f"  {'topic':<24}{'n':>4}   " + "".join(f"{name:<15}" for name in MATCHERS))
        for topic in sorted(m["matcher"]["by_topic"]):
            row = [m[name]["by_topic"][topic] for name in MATCHERS]
            lines.append(f"  {topic:<24}{row[0]['n']:>4}   " + "".join(f"{cell(r):<15}" for r in row))
        lines.append(f"  {'OVERALL':<24}{f['n']:>4}   " + "".join(f"{cell(m[name]):<15}" for name in MATCHERS))
        if m["matcher"]["danger_n"]:
            # a mixed set may hold danger items and no ordinary ones: no false-alarm rate to show then
            alarms = lambda d: "   —" if d["false_alarms"] is None else f"{d['false_alarms']:4.1f}%"  # noqa: E731
            cells = "".join(f"{m[name]['danger_caught']:5.1f}% / {alarms(m[name])}".ljust(15) for name in MATCHERS)
            lines.append(f"  {'danger caught / false alarms':<24}{m['matcher']['danger_n']:>4}   " + cells)
        if m["matcher"]["ordinary_n"]:
            answered = "".join(f"{m[name]['ordinary_answered']:5.1f}%".ljust(15) for name in MATCHERS)
            lines.append(f"  {'look-alikes answered':<24}{m['matcher']['ordinary_n']:>4}   " + answered)
        if m["matcher"]["oos_n"]:
            oos = "".join(
                f"{m[name]['oos_fallback']:5.1f}% ({m[name]['oos_confident_answers']} ans) ".ljust(15)
                for name in MATCHERS
            )
            lines.append(f"  {'out-of-scope fallback':<24}{m['matcher']['oos_n']:>4}   " + oos)
    lines.append("")
    lines.append("strict: first reply has every required fact; two_turn: or one of the numbered choices does;")
    lines.append(
        "out-of-scope fallback: share of out-of-scope questions that got the fallback (ans = confident answers)."
    )
    lines.append(
        "danger caught: emergency reply with the number on its first line; false alarms: on ordinary messages;"
    )
    lines.append("look-alikes answered: ordinary messages in safety sets given no alarm and every required fact.")
    return "\n".join(lines)
