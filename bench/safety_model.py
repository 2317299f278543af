"""`bot.py bench safety`: train and measure the danger classifier used by dialogue/safety.py.

The classifier is a multinomial logistic regression over character 1–2-grams (TF-IDF, sublinear tf, L2 norm) with
six classes: none, violence, injury, suicide, child, self_help. It is trained only on tuning data, never on a
held-out set:
- danger examples: the `kind: danger` items of tests/data/tune*_safety.yaml (three sets by three blind writers);
- none examples: their `kind: ordinary` items, every question of the other tuning sets (tests/data/tune*.yaml),
  the FAQ's questions and variants and the out-of-scope examples.
scikit-learn does the fitting (a development dependency); the bot only needs the weights, written as a compact
.npz file (dialogue/safety_model.npz) and scored with numpy at run time.

`--check` measures leave-one-writer-out (train on two safety sets, test on the third), the measure that comes
closest to a new writer's messages; `--write` trains on everything and writes the model.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from bench.evaluation import load_questions
from dialogue.safety import CATEGORIES, MODEL_FILE, featurise
from faq.loader import load_entries
from faq.matcher import load_out_of_scope

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
C = 10.0  # inverse regularisation, chosen by leave-one-writer-out on the tuning sets
MIN_DF = 2


def safety_sets() -> list[Path]:
    return sorted(p for p in DATA.glob("tune*_safety.yaml"))


def ordinary_texts(faq_dir: Path) -> list[str]:
    """Messages that are not about danger: the tuning questions, the FAQ's wording, the out-of-scope examples."""
    out: list[str] = []
    for path in sorted(DATA.glob("tune*.yaml")):
        if path.name.endswith("_safety.yaml"):
            continue
        for item in load_questions(path):
            out += [str(t) for t in [*(item.get("before") or []), item["text"]]]
    for entry in load_entries(faq_dir):
        out += [entry["question"], *entry["variants"]]
    out += list(load_out_of_scope())
    return out


def labelled(paths: list[Path]) -> tuple[list[str], list[int], list[str]]:
    """(texts, class index, source file) of the safety items."""
    texts, labels, sources = [], [], []
    for path in paths:
        for item in load_questions(path):
            texts.append(str(item["text"]))
            labels.append(CATEGORIES.index(item["category"]) if item.get("kind") == "danger" else 0)
            sources.append(path.stem)
    return texts, labels, sources


def fit(texts: list[str], labels: list[int]):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer=featurise, min_df=MIN_DF, sublinear_tf=True)
    matrix = vec.fit_transform(texts)
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    clf.fit(matrix, labels)
    return vec, clf


def danger_probability(vec, clf, texts: list[str]) -> np.ndarray:
    return 1.0 - clf.predict_proba(vec.transform(texts))[:, 0]


def check(faq_dir: Path, thresholds=(0.3, 0.4, 0.5, 0.6)) -> str:
    """Leave-one-writer-out recall and false alarms per threshold (the text printed)."""
    paths = safety_sets()
    texts, labels, sources = labelled(paths)
    ordinary = ordinary_texts(faq_dir)
    y = np.array(labels)
    src = np.array(sources)
    lines = []
    for held in sorted(set(sources)):
        train = src != held
        vec, clf = fit([t for t, k in zip(texts, train, strict=True) if k] + ordinary, [*y[train], *[0] * len(ordinary)])
        test = [t for t, k in zip(texts, ~train, strict=True) if k]
        p = danger_probability(vec, clf, test)
        yy = y[~train] > 0
        cells = [f"th {th}: caught {((p >= th) & yy).sum()}/{yy.sum()} false {((p >= th) & ~yy).sum()}/{(~yy).sum()}" for th in thresholds]
        lines.append(f"{held}: " + " | ".join(cells))
    return "\n".join(lines)


def write(faq_dir: Path, path: Path = MODEL_FILE) -> str:
    """Train on every tuning set and write the weights; returns a one-line summary."""
    paths = safety_sets()
    texts, labels, _ = labelled(paths)
    ordinary = ordinary_texts(faq_dir)
    vec, clf = fit(texts + ordinary, labels + [0] * len(ordinary))
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    digest = hashlib.sha256(json.dumps([texts, labels, ordinary], ensure_ascii=False).encode()).hexdigest()[:16]
    np.savez_compressed(
        path,
        vocab=np.array(vocab),
        idf=vec.idf_.astype(np.float32),
        coef=clf.coef_.astype(np.float32),
        intercept=clf.intercept_.astype(np.float32),
        classes=np.array([CATEGORIES[int(c)] for c in clf.classes_]),
        meta=np.array(json.dumps({"trained_on": [p.name for p in paths], "examples": len(texts) + len(ordinary), "data": digest, "C": C})),
    )
    return f"wrote {path} ({len(vocab)} features, {len(texts)} safety items + {len(ordinary)} ordinary texts, data {digest})"
