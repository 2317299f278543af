"""`bot.py bench safety` and `bot.py bench scope`: train and measure the two small text classifiers.

Both are logistic regressions over character 1–2-grams (TF-IDF, sublinear tf, L2 norm; dialogue/textmodel.py
scores them at run time) trained only on tuning data, never on a held-out set:

- safety (dialogue/safety_model.npz), six classes none / violence / injury / suicide / child / self_help:
  danger items of tests/data/tune*_safety.yaml (several blind writers) against their ordinary items, every other
  tuning question, the FAQ's wording, the out-of-scope examples and tests/data/everyday.yaml;
- scope (dialogue/scope_model.npz), two classes in / out: every tuning question on a covered topic and the FAQ's
  wording against the out-of-scope items of the tuning sets, faq/out_of_scope.yaml and the everyday chat.

`check` measures leave-one-writer-out: train without one writer's set, test on it (the closest thing to a new
writer's messages); `write` trains on everything and writes the weights. scikit-learn is needed for both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.evaluation import load_questions
from dialogue.intents import MODEL_FILE as HANDOFF_FILE
from dialogue.safety import CATEGORIES
from dialogue.safety import MODEL_FILE as SAFETY_FILE
from dialogue.scope import MODEL_FILE as SCOPE_FILE
from dialogue.textmodel import featurise
from faq.loader import load_entries
from faq.matcher import load_out_of_scope

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
EVERYDAY = DATA / "everyday.yaml"
CONTRAST = DATA / "contrast.yaml"  # ordinary messages that look like dangerous ones (lawful plans, figurative anger)
MIN_DF = 2


@dataclass
class Example:
    text: str
    label: str
    group: str  # the writer's set it came from (held out together in `check`)


def _tuning_files(suffix: str) -> list[Path]:
    return sorted(p for p in DATA.glob("tune*.yaml") if p.stem.endswith(suffix))


def _questions(exclude_suffixes: tuple[str, ...]) -> list[tuple[dict, str]]:
    out = []
    for path in sorted(DATA.glob("tune*.yaml")):
        if path.stem.endswith(exclude_suffixes):
            continue
        out += [(item, path.stem) for item in load_questions(path)]
    return out


def _texts(item: dict) -> list[str]:
    return [str(t) for t in [*(item.get("before") or []), item["text"]]]


def _faq_texts(faq_dir: Path) -> list[str]:
    return [t for e in load_entries(faq_dir) for t in (e["question"], *e["variants"])]


def _everyday() -> list[dict]:
    return load_questions(EVERYDAY) if EVERYDAY.exists() else []


def safety_examples(faq_dir: Path) -> list[Example]:
    out = []
    for path in _tuning_files("_safety"):
        for item in load_questions(path):
            label = item["category"] if item.get("kind") == "danger" else "none"
            out.append(Example(str(item["text"]), label, path.stem))
    for item, _ in _questions(("_safety",)):
        out += [Example(t, "none", "questions") for t in _texts(item)]
    out += [Example(t, "none", "faq") for t in _faq_texts(faq_dir)]
    out += [Example(t, "none", "faq") for t in load_out_of_scope()]
    out += [Example(str(i["text"]), "none", "everyday") for i in _everyday()]
    out += [Example(str(i["text"]), "none", "contrast") for i in load_questions(CONTRAST)] if CONTRAST.exists() else []
    return out


# Tuning sets the scope model is trained without: with them in, it lost more out-of-scope and in-scope items than it
# gained on the sets it was not trained on (measured in the sixteenth to eighteenth rounds; docs/benchmarks.md). They
# stay tuning sets for everything else.
SCOPE_LEFT_OUT = frozenset(
    {
        "tune18_questions",
        "tune19_followups",
        "tune20_followups",
        "tune19_questions",
        "tune21_followups",
        # eighteenth round: trained without them it gained 4 items and lost none; with them, the held-out sets lost one
        "tune17_oos",
        "tune20_questions",
        "tune22_followups",
        "tune28_contract",
        # twenty-first round: written after its retrain (retrained with the first two, 7 items gained and 7 lost, none held out)
        "tune26_questions",
        "tune28_followups",
        "tune29_followups",
        # twenty-second round: retrained with these four, 10 items gained and 35 lost (2 held out): withdrawn
        "tune24_oos",
        "tune27_questions",
        "tune30_followups",
        "tune28_questions",
        "tune31_followups",
        # twenty-third round: written after it, kept out so the shipped model stays the one measured
        "tune25_oos",
        "tune29_questions",
        "tune32_followups",
        "tune30_questions",
        "tune33_followups",
        # twenty-fourth round: written in it, kept out for the same reason
        "tune26_oos",
        "tune31_questions",
        "tune34_followups",
        # twenty-fifth round: written in it, kept out for the same reason
        "tune27_oos",
        "tune32_questions",
        "tune35_followups",
        # twenty-sixth round: written in it, kept out for the same reason
        "tune28_oos",
        "tune33_questions",
        "tune36_followups",
        "tune37_followups",
    }
)


def scope_examples(faq_dir: Path) -> list[Example]:
    out = []
    for item, stem in _questions(("_safety", "_handoff")):
        if stem in SCOPE_LEFT_OUT:
            continue
        label = "out" if item.get("topic") == "out_of_scope" else "in"
        if item.get("topic") in ("greeting", "menu"):
            continue
        out += [Example(t, label, stem) for t in _texts(item)[-1:]]
        out += [Example(t, "in", stem) for t in _texts(item)[:-1] if label == "in"]
    out += [Example(t, "in", "faq") for t in _faq_texts(faq_dir)]
    out += [Example(t, "out", "faq") for t in load_out_of_scope()]
    out += [Example(str(i["text"]), "out", "everyday") for i in _everyday() if i.get("category") in ("chat", "hyperbole")]
    return out


def handoff_examples(faq_dir: Path) -> list[Example]:
    out = []
    for path in _tuning_files("_handoff"):
        for item in load_questions(path):
            out.append(Example(str(item["text"]), "handoff" if item.get("kind") == "handoff" else "other", path.stem))
    for item, _ in _questions(("_handoff",)):
        out += [Example(t, "other", "questions") for t in _texts(item)]
    out += [Example(t, "other", "faq") for t in _faq_texts(faq_dir)]
    out += [Example(str(i["text"]), "other", "everyday") for i in _everyday()]
    return out


MODELS: dict[str, tuple[Callable[[Path], list[Example]], Path, tuple[str, ...], str, float]] = {
    # name: (examples, weights file, classes in order, the negative class, C: inverse regularisation chosen by
    # leave-one-writer-out on the tuning sets: recall at 1% false alarms on ordinary questions). For safety, 60 was
    # tried in the eleventh round (at the .5 threshold 2085/2188 caught, 44/2893 false alarms, against 2093 and 56 for
    # 30): fewer false alarms, but missed danger costs more.
    "safety": (safety_examples, SAFETY_FILE, CATEGORIES, "none", 30.0),
    "scope": (scope_examples, SCOPE_FILE, ("in", "out"), "in", 10.0),
    "handoff": (handoff_examples, HANDOFF_FILE, ("other", "handoff"), "other", 10.0),
}


def fit(examples: list[Example], classes: tuple[str, ...], c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=featurise, min_df=MIN_DF, sublinear_tf=True)
    matrix = vec.fit_transform([e.text for e in examples])
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    clf.fit(matrix, [classes.index(e.label) for e in examples])
    return vec, clf


def check(name: str, faq_dir: Path, thresholds=(0.3, 0.4, 0.5, 0.6, 0.7)) -> str:
    """Leave-one-writer-out: for each tuning set, train without it and report on it, per threshold."""
    build, _, classes, negative, c = MODELS[name]
    examples = build(faq_dir)
    groups = sorted({e.group for e in examples if e.group.startswith("tune")})
    lines = []
    for held in groups:
        train = [e for e in examples if e.group != held]
        test = [e for e in examples if e.group == held]
        if not any(e.label != negative for e in test):
            continue
        vec, clf = fit(train, classes, c)
        proba = clf.predict_proba(vec.transform([e.text for e in test]))
        neg = list(clf.classes_).index(classes.index(negative))
        p = 1.0 - proba[:, neg]  # probability of "not the negative class" (danger / out of scope)
        pos = np.array([e.label != negative for e in test])
        cells = [
            f"th {th}: caught {((p >= th) & pos).sum()}/{pos.sum()} false {((p >= th) & ~pos).sum()}/{(~pos).sum()}"
            for th in thresholds
        ]
        lines.append(f"{held}: " + " | ".join(cells))
    return "\n".join(lines)


def write(name: str, faq_dir: Path) -> str:
    """Train on every tuning example and write the weights; returns a one-line summary."""
    build, path, classes, _, c = MODELS[name]
    examples = build(faq_dir)
    vec, clf = fit(examples, classes, c)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    digest = hashlib.sha256(json.dumps([(e.text, e.label) for e in examples], ensure_ascii=False).encode())
    np.savez_compressed(
        path,
        vocab=np.array(vocab),
        idf=vec.idf_.astype(np.float32),
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        classes=np.array([classes[int(c)] for c in clf.classes_]),
        meta=np.array(json.dumps({"examples": len(examples), "data": digest.hexdigest()[:16], "C": c})),
    )
    return f"wrote {path} ({len(vocab)} features, {len(examples)} examples, data {digest.hexdigest()[:16]})"
