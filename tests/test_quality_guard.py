"""Accuracy regression guards: pass rates on the question sets may not fall below what was reached.

Floors are the figures of 2026-12-06 rounded down a little (about one question of slack), measured through the
full answering path (greetings, menu, matcher, numbered choices) exactly as `python bot.py eval` does. Raise them
when the bot gets better; never lower them to make a change pass. (They were re-measured on 2026-12-06 because
the measurement changed, not the bot: out-of-scope items are scored on the outcome since the evaluation change of
that day, and 62 held-out questions that were near-copies of FAQ variants or tuning questions were reworded.)

Out-of-scope items get a check of their own, independent of the evaluation code: the reply must be the fallback
(outcome `unanswered`, never an answer, a tentative answer or choices) and carry none of the marks of an answer
(an FAQ answer always ends with its legal basis, 【依据】《…》). A bot that always sends the menu, or an FAQ answer
that mentions 12309, used to pass the old word check (12309 present, four words absent); it fails this one.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.evaluation import Answer, dialogue_responder, evaluate, load_questions, outcome_of, passes
from dialogue.texts import MENU_TEXT, SUGGEST_HEAD, TENTATIVE_HEAD
from faq.loader import load_entries
from faq.render import BASIS_PREFIX, render_answer
from settings import Settings
from storage.vocab import Outcome

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
DEV = ROOT.parent / "shared" / "eval" / "dev_questions.yaml"
HELD_OUT = DATA / "heldout_questions.yaml"

# (file, strict floor %, two-turn floor %, out-of-scope fallback floor %)
FLOORS = [
    # 96.3 until the sixteenth round, which took it from 96.7 to 96.0: FAQ variants written for that round's tuning
    # sets (+33 items there) lost three of these items and gained one, while other held-out sets gained (fresh9 +1
    # from them). Not reverted one by one: picking which to revert by this set would be tuning on it.
    # 95.9 until the eighteenth round: its new entry on penalty clauses (违约金) took one item (96.0 → 95.7) while a
    # fresh set written on leaving a job (tune28_contract) went from 44.0 to 60.0 untuned and heldout_head gained one.
    # 96.0 in the nineteenth round (entries on non-compete, training and mutual termination; variants): back to 95.9.
    # 96.4 in the twentieth round: a near-tie's runner-up shows its brief answer under choice 1 (one item).
    (HELD_OUT, 96.3, 98.4, 86.0),
    (DATA / "tune_questions.yaml", 99.0, 99.0, 100.0),
    (DATA / "tune2_questions.yaml", 99.0, 99.0, 100.0),
    (DATA / "tune3_questions.yaml", 98.2, 98.2, 80.0),
    (DATA / "tune4_questions.yaml", 97.6, 98.4, 87.0),
    (DATA / "tune5_questions.yaml", 97.0, 98.8, 94.0),
    (DATA / "tune6_questions.yaml", 96.8, 97.4, 80.0),
    (DATA / "tune7_questions.yaml", 90.9, 92.5, 58.0),
    (DATA / "tune8_questions.yaml", 99.0, 99.0, 90.0),
    (DATA / "tune9_questions.yaml", 94.5, 97.0, 0.0),
    (DATA / "tune10_questions.yaml", 95.5, 97.5, 0.0),
    (DATA / "tune11_questions.yaml", 95.0, 98.0, 0.0),
    (DATA / "tune12_questions.yaml", 88.0, 97.0, 0.0),
    (DATA / "tune13_questions.yaml", 94.0, 96.5, 0.0),
    (DATA / "tune14_questions.yaml", 96.0, 97.0, 0.0),
    (DATA / "tune15_questions.yaml", 95.0, 97.5, 0.0),
    (DATA / "tune16_questions.yaml", 95.0, 95.5, 0.0),
    (DATA / "tune17_questions.yaml", 95.0, 96.0, 0.0),  # 89.5 / 94.1 when it was first measured
    (DATA / "tune18_questions.yaml", 90.0, 96.0, 0.0),  # 90.9 / 96.5 when it was first measured
    (DATA / "tune19_questions.yaml", 93.5, 97.0, 0.0),  # 90.6 / 95.0 when it was first measured
    (DATA / "tune20_questions.yaml", 93.0, 97.0, 0.0),  # 91.6 / 95.8 when it was first measured
    (DATA / "tune28_contract.yaml", 81.0, 87.0, 0.0),  # 44.0 / 52.0 on the eighteenth round's starting FAQ, 66.0 at its end
    (DATA / "tune21_questions.yaml", 92.5, 94.5, 0.0),  # 87.1 / 92.5 when it was first measured
    (DATA / "tune22_questions.yaml", 92.0, 97.5, 0.0),  # 91.3 / 96.7 when it was first measured
    (DATA / "tune23_questions.yaml", 99.0, 99.5, 0.0),  # 95.0 / 100.0 when it was first measured
    (DATA / "tune24_questions.yaml", 94.0, 98.0, 0.0),  # 94.4 / 98.1 when it was first measured (93.8 on the round's start)
    (DATA / "tune25_questions.yaml", 95.5, 98.5, 0.0),  # 96.2 / 98.8 when it was first measured
    (DATA / "tune26_questions.yaml", 97.5, 98.5, 0.0),  # 95.9 / 97.6 when it was first measured (94.7 on the round's start)
    (DATA / "tune27_questions.yaml", 92.0, 94.5, 0.0),  # 91.9 / 95.0 when it was first measured, 92.5 at the end
    (DATA / "tune28_questions.yaml", 96.0, 98.0, 0.0),  # 96.0 / 98.7 when it was first measured, 96.7 at the end
    (DATA / "tune30_questions.yaml", 93.0, 98.0, 0.0),  # 92.0 / 98.7 when it was first measured (the same on the round's starting code), 94.0 at the end
    (DATA / "tune29_questions.yaml", 93.0, 96.0, 0.0),  # 93.3 / 96.0 when it was first measured, 94.0 / 96.7 at the end
    (DATA / "tune31_questions.yaml", 96.0, 98.5, 0.0),  # 96.7 / 99.3 when it was first measured
    (DATA / "tune32_questions.yaml", 92.0, 96.0, 0.0),  # 92.7 / 96.7 when it was first measured, the same at the end
    (DATA / "tune33_questions.yaml", 94.5, 97.0, 0.0),  # 95.0 / 97.5 when it was first measured
    (DEV, 98.0, 98.0, 100.0),
]
# What a wrong reply to an out-of-scope question shows: an FAQ answer's legal basis, a law's title, a tentative
# answer's or the choices' opening words.
WRONG_ANSWER_MARKS = (BASIS_PREFIX, "《", TENTATIVE_HEAD, SUGGEST_HEAD)


@dataclass
class Miss:
    id: str
    text: str
    outcome: str
    marks: list[str]

    def __str__(self) -> str:
        return f"{self.id} {self.text!r}: {self.outcome} {self.marks}"


def out_of_scope_misses(items: list[dict], respond, prefix: str) -> tuple[int, list[Miss]]:
    """(number of out-of-scope items, those that did not get the fallback)."""
    n, misses = 0, []
    for k, item in enumerate(items):
        if item.get("topic") != "out_of_scope" or item.get("kind"):
            continue
        n += 1
        uid = f"{prefix}-oos-{k}"
        for earlier in item.get("before") or []:
            respond(uid, str(earlier))
        got = respond(uid, str(item["text"]))
        got = got if isinstance(got, Answer) else Answer(got or "")
        outcome = outcome_of(got)
        marks = [m for m in WRONG_ANSWER_MARKS if m in got.text]
        if outcome != Outcome.UNANSWERED or marks or not passes(got.text, item):
            misses.append(Miss(str(item.get("id")), str(item["text"]), outcome, marks))
    return n, misses


def guard_problems(path: Path, strict: float, two_turn: float, oos: float, respond) -> list[str]:
    """Everything in one file that is below its floors (empty: the guard passes)."""
    items = load_questions(path)
    res = evaluate(items, respond, prefix=path.stem)
    problems = []
    if res.pct(res.strict) < strict:
        problems.append(f"strict {res.pct(res.strict):.1f} < {strict}")
    if res.pct(res.two_turn) < two_turn:
        problems.append(f"two-turn {res.pct(res.two_turn):.1f} < {two_turn}")
    n, misses = out_of_scope_misses(items, respond, path.stem)
    if n and 100.0 * (n - len(misses)) / n < oos:
        problems.append(f"out-of-scope fallback {100.0 * (n - len(misses)) / n:.1f} < {oos}")
    confident = [m for m in misses if m.outcome == Outcome.ANSWERED]
    if confident:  # never acceptable, whatever the floor
        problems.append("confident answers to out-of-scope questions")
    if problems:
        problems += [f"  miss {m}" for m in misses] + [f"  fail {f['id']} {f['text']}" for f in res.failures]
    return problems


@pytest.fixture(scope="module")
def respond():
    return dialogue_responder()


@pytest.mark.parametrize("path, strict, two_turn, oos", FLOORS, ids=lambda v: getattr(v, "stem", None))
def test_pass_rates_do_not_fall(respond, path, strict, two_turn, oos):
    if path == DEV and not path.exists():
        pytest.skip(f"{path} is not here (the dev set lives in ../shared, which a bare clone lacks)")
    assert guard_problems(path, strict, two_turn, oos, respond) == []


def test_the_floors_cover_every_question_file():
    guarded = {p.name for p, *_ in FLOORS}
    assert {p.name for p in DATA.glob("tune*_questions.yaml")} | {HELD_OUT.name} <= guarded


def test_a_bot_that_always_sends_the_menu_fails_the_guard():
    def menu(uid: str, text: str) -> Answer:
        return Answer(MENU_TEXT, Outcome.MENU)

    oos = FLOORS[0][3]
    n, misses = out_of_scope_misses(load_questions(HELD_OUT), menu, "menu")
    assert n >= 10 and len(misses) == n
    assert any("out-of-scope fallback" in p for p in guard_problems(HELD_OUT, 0.0, 0.0, oos, menu))
    # read off the webhook (outcome unknown), the menu is still not the fallback
    assert len(out_of_scope_misses(load_questions(HELD_OUT), lambda u, t: MENU_TEXT, "menu-text")[1]) == n


def test_no_faq_answer_passes_for_the_fallback():
    """Even a bot that labels its replies `unanswered` cannot pass an FAQ answer off as the fallback: every answer
    carries its legal basis (the old check let 86 of the 275 answers through)."""
    entries = load_entries(Settings().FAQ_DIR)
    item = {"id": "x", "text": "讲个笑话", "topic": "out_of_scope", "must_include": [["12309"]]}
    for entry in entries:
        text = render_answer(entry)
        n, misses = out_of_scope_misses([item], lambda u, t, text=text: Answer(text, Outcome.UNANSWERED), "faq")
        assert n == 1 and misses and misses[0].marks, entry["id"]
