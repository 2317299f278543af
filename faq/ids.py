"""Entry ids (编号) are made by the program, never typed by staff: the topic's short prefix and a number.

`wage-1`, `wage-2`, `dv-1` … The prefixes are the ones the shipped FAQ already uses for each topic, so a new entry
sits beside its neighbours in an export. Numbers are never reused: an id that belonged to a deleted entry stays
taken (its history still hangs on it), so `taken` should include every id the revision history knows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TOPIC_PREFIX = {
    "wage_arrears": "wage",
    "criminal_wage": "crime",
    "labor_contract": "contract",
    "work_injury": "injury",
    "social_insurance": "si",
    "arbitration_litigation": "arb",
    "support_prosecution": "sp",
    "legal_aid": "aid",
    "judicial_relief": "relief",
    "procuratorate_service": "proc",
    "women": "women",
    "domestic_violence": "dv",
    "minors": "minor",
    "elderly": "elder",
    "disabled": "disab",
}
FALLBACK_PREFIX = "faq"


def new_id(topic: str, taken: Iterable[str]) -> str:
    """The next free `prefix-N` for `topic` (N one more than the largest N in use with that prefix)."""
    prefix = TOPIC_PREFIX.get(topic, FALLBACK_PREFIX)
    taken = set(taken)
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
    numbers = [int(m.group(1)) for t in taken if (m := pattern.match(t))]
    n = max(numbers, default=0) + 1
    while f"{prefix}-{n}" in taken:  # pragma: no cover - max+1 is free by construction
        n += 1
    return f"{prefix}-{n}"
