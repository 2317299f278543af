"""Small linear text classifiers (logistic regression over character 1–2-grams), scored with numpy.

They are trained by bench/text_models.py (scikit-learn, a development dependency) and shipped as .npz files of
weights: the vocabulary, each feature's idf, and one row of weights per class. The bot only reads the weights;
scoring a message is a dictionary lookup per character pair and one small matrix product (tens of microseconds).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from faq.normalize import normalize

_IDEOGRAPHS = re.compile(r"[\u3400-\u9fff]")


def ideographs(text: str) -> int:
    """How many Chinese characters a message has: what the classifiers read (too few, and their guess is noise)."""
    return len(_IDEOGRAPHS.findall(text))


def featurise(text: str) -> list[str]:
    """Character unigrams and bigrams of the normalised text, with clause breaks kept as "，"."""
    t = normalize(text).replace(" ", "，")
    return list(t) + [t[i : i + 2] for i in range(len(t) - 1)]


class TextModel:
    """TF-IDF (sublinear tf, L2 norm) + multinomial logistic regression, as scikit-learn computes them."""

    def __init__(self, path: Path):
        data = np.load(path, allow_pickle=False)
        self.index = {str(t): i for i, t in enumerate(data["vocab"])}
        self.idf = data["idf"].astype(np.float64)
        self.coef = data["coef"].astype(np.float64)
        self.intercept = data["intercept"].astype(np.float64)
        self.classes = tuple(str(c) for c in data["classes"])

    def probabilities(self, text: str) -> dict[str, float]:
        counts: dict[int, int] = {}
        for feature in featurise(text):
            i = self.index.get(feature)
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
        logits = self.intercept.copy()
        if counts:
            idx = np.fromiter(counts, dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))
            x = tf * self.idf[idx]
            x /= np.sqrt((x * x).sum())
            logits += self.coef[:, idx] @ x
        if len(self.classes) == 2 and logits.shape[0] == 1:  # binary: one row of weights for the second class
            p1 = 1.0 / (1.0 + np.exp(-logits[0]))
            return {self.classes[0]: 1.0 - p1, self.classes[1]: p1}
        e = np.exp(logits - logits.max())
        p = e / e.sum()
        return dict(zip(self.classes, p.tolist(), strict=True))
