"""An idf-weighted index over one kind of feature (jieba words or character bigrams), for the matcher.

Three views of the same data, all CSR-style (one flat array plus offsets) so that a question costs a few numpy
calls whatever its length:
- term -> entries, for every entry's coverage of a question;
- term -> documents (the FAQ questions and variants) and document -> terms, to score the documents of the few
  entries worth a closer look (whichever is cheaper for the question, see `doc_overlap`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def _csr(rows: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    ptr = np.zeros(len(rows) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    flat = np.fromiter((x for r in rows for x in r), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def _expand(ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the flat array of every element of `rows`, each element's row number in `rows`)."""
    starts = ptr[rows]
    lengths = ptr[rows + 1] - starts
    ends = np.cumsum(lengths)
    total = int(ends[-1]) if len(ends) else 0
    positions = np.arange(total) + np.repeat(starts - (ends - lengths), lengths)
    return positions, np.repeat(np.arange(len(rows)), lengths)


class FeatureIndex:
    def __init__(
        self,
        docs: list[tuple[str, ...]],
        doc_entry: np.ndarray,
        n_entries: int,
        idf_power: float = 1.0,
        max_df: float = 1.0,
    ):
        owners: dict[str, set[int]] = {}
        for d, terms in enumerate(docs):
            for t in terms:
                owners.setdefault(t, set()).add(int(doc_entry[d]))
        # Terms in more than `max_df` of the entries say almost nothing (工资 in a wage FAQ): treat as stopwords.
        limit = max(max_df * n_entries, 2)
        self.common = frozenset(t for t, o in owners.items() if len(o) > limit)
        self.vocab = {t: i for i, t in enumerate(t for t in owners if t not in self.common)}
        df = np.zeros(len(self.vocab))
        for t, i in self.vocab.items():
            df[i] = len(owners[t])
        self.idf = np.power(np.log((n_entries + 1) / (df + 0.5)), idf_power)
        self.unknown_weight = math.log((n_entries + 1) / 0.5) ** idf_power

        doc_terms = [[self.vocab[t] for t in terms if t in self.vocab] for terms in docs]
        term_docs: list[list[int]] = [[] for _ in self.vocab]
        term_entries: list[list[int]] = [[] for _ in self.vocab]
        for d, terms in enumerate(doc_terms):
            for i in terms:
                term_docs[i].append(d)
        for t, i in self.vocab.items():
            term_entries[i] = sorted(owners[t])
        self.doc_terms_ptr, self.doc_terms = _csr(doc_terms)
        self.term_docs_ptr, self.term_docs = _csr(term_docs)
        self.term_entries_ptr, self.term_entries = _csr(term_entries)
        self.doc_mass = np.array([self.idf[terms].sum() if terms else 0.0 for terms in doc_terms])
        self.doc_mass[self.doc_mass == 0] = 1.0
        entry_mass = np.zeros(n_entries)
        np.add.at(entry_mass, self.term_entries, np.repeat(self.idf, np.diff(self.term_entries_ptr)))
        self.entry_mass = np.where(entry_mass > 0, entry_mass, 1.0)
        self.n_docs, self.n_entries = len(docs), n_entries

    def query(self, terms: Sequence[str]) -> tuple[np.ndarray, float]:
        """(known term ids, the question's total mass including unknown terms)."""
        terms = [t for t in terms if t not in self.common]
        known = np.array([self.vocab[t] for t in terms if t in self.vocab], dtype=np.int64)
        mass = float(self.idf[known].sum()) + self.unknown_weight * (len(terms) - len(known))
        return known, mass

    def entry_overlap(self, known: np.ndarray) -> np.ndarray:
        """Overlap mass between the question and each entry's whole vocabulary."""
        if not len(known):
            return np.zeros(self.n_entries)
        return self._posting_mass(self.term_entries_ptr, self.term_entries, known, self.n_entries)

    def _posting_mass(self, ptr: np.ndarray, postings: np.ndarray, known: np.ndarray, n: int) -> np.ndarray:
        """For each of `n` ids, the idf mass of the question's terms whose postings (`ptr`, `postings`) list it."""
        positions, row = _expand(ptr, known)
        return np.bincount(postings[positions], weights=self.idf[known][row], minlength=n)

    def doc_overlap(self, known: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """Overlap mass between the question and each of `docs`, by whichever way touches fewer numbers: the
        postings of the question's few terms (term -> documents, then picked out for `docs`), or the terms of each
        of `docs`. On the shipped FAQ the first is usually cheaper; with tens of thousands of documents, scanning
        them all costs more than reading the shortlist's terms."""
        if not len(known) or not len(docs):
            return np.zeros(len(docs))
        postings = int((self.term_docs_ptr[known + 1] - self.term_docs_ptr[known]).sum())
        doc_terms = int((self.doc_terms_ptr[docs + 1] - self.doc_terms_ptr[docs]).sum())
        if postings + self.n_docs // 8 < doc_terms:
            return self._posting_mass(self.term_docs_ptr, self.term_docs, known, self.n_docs)[docs]
        weight = np.zeros(len(self.vocab))
        weight[known] = self.idf[known]
        positions, row = _expand(self.doc_terms_ptr, docs)
        return np.bincount(row, weights=weight[self.doc_terms[positions]], minlength=len(docs))
