"""`bot.py bench scale`: the year-of-data database is realistic and consistent, and the benchmark runs end to end
(a small database here; the figures of the real one are in docs/benchmarks.md)."""

from __future__ import annotations

import json
from collections import Counter

from click.testing import CliRunner

from bench.scale import format_scale, pages, run_scale
from bench.scale_data import MIX, build
from bot import cli
from faq.loader import load_entries
from settings import Settings
from storage import Store, rollups
from storage.db import now_local
from storage.vocab import Outcome


def test_the_command_is_registered():
    assert "scale" in cli.commands["bench"].commands
    result = CliRunner().invoke(cli, ["bench", "scale", "--help"])
    assert result.exit_code == 0 and "--rows" in result.output


def test_the_database_has_a_year_of_every_outcome_and_its_rollups_agree(tmp_path):
    store = Store(tmp_path / "bot.db")
    entries = load_entries(Settings.from_env().FAQ_DIR)
    store.faq.seed(entries)
    report = build(store, entries, 30_000, 365, progress=lambda m: None)
    db = store.db.get()
    assert report["rows"] == 30_000 and db.execute("SELECT count(*) FROM consultations").fetchone()[0] == 30_000
    outcomes = Counter(dict(db.execute("SELECT outcome, count(*) FROM consultations GROUP BY outcome").fetchall()))
    assert set(outcomes) == {str(o) for o, _, _ in MIX} and str(Outcome.TENTATIVE) in outcomes
    assert outcomes["answered"] > outcomes["tentative"] > outcomes["emergency"] > 0
    days = db.execute("SELECT min(day), max(day), count(DISTINCT day) FROM consultations").fetchone()
    assert days[1] <= now_local().date().isoformat() and days[2] > 300  # spread over the year, nothing ahead
    users, texts = db.execute("SELECT count(DISTINCT user_id), count(DISTINCT text) FROM consultations").fetchone()
    assert 3_000 < users < 20_000 and texts > 1_000  # returning users; repeated and one-off questions
    assert db.execute("SELECT count(*) FROM users").fetchone()[0] == users
    assert rollups.pending(db) == 0 and rollups.verify(db) == []
    store.close()


def test_the_benchmark_times_every_page_through_the_real_server(tmp_path):
    report = run_scale(3_000, 60, tmp_path / "bench.db", keep=True, repeat=1, progress=lambda m: None)
    labels = [p["label"] for p in report["pages"]]
    listed = len(pages(now_local().date(), "u")[0])
    assert len(labels) in (listed, listed + 1)  # and the page after page 5000 when the log has that many
    assert all(p["status"] == 200 for p in report["pages"]), [p for p in report["pages"] if p["status"] != 200]
    assert all(e["status"] == 200 and e["mb"] > 0 for e in report["exports"][:3])
    assert all('filename="' in e["file"] and "start" not in e["file"] for e in report["exports"])
    assert report["stats_cli"]["median_s"] > 0 and "bot.py stats for a year" in format_scale(report)
    json.dumps(report)  # --json can print it
