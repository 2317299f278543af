"""`bot.py bench scale`: a year of consultations (1,000,000 by default), then every console page, the exports and
`bot.py stats`, timed through the real server (`bot.py serve`, production settings) over HTTP.

Each page is fetched once to warm up and then `repeat` times; the median and the slowest are reported. Exports
are timed to the first byte of the body and to the last, with the serving worker's peak resident memory sampled
while they stream. `bot.py stats` is timed as a user runs it: a new process, start-up included.
"""

from __future__ import annotations

import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import requests

from bench.procs import ROOT, CpuMeter, ServerProcess, bot_command, free_port, memory_mb, process_cpu_s
from bench.scale_data import build

TARGETS = {"page_ms": 300.0, "ttfb_ms": 300.0, "stats_cli_s": 1.0}
ADMIN = "bench-admin"


def server_env(db_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "WECHAT_"))}
    env.update(DATABASE_PATH=str(db_path), SECRET_KEY="bench-secret-key-" + "x" * 32, WECHAT_TOKEN="bench-token")
    return env


def prepare(db_path: Path, rows: int, days: int, progress) -> tuple[dict, str, dict]:
    """Build the database (unless it is already there), add an admin; (build report, password, facts)."""
    from console.passwords import hash_password
    from faq.loader import load_entries
    from settings import Settings
    from storage import Store

    fresh = not db_path.exists()
    store = Store(db_path)
    entries = load_entries(Settings.from_env().FAQ_DIR)
    store.faq.seed(entries)
    report = {"rows": rows, "days": days, "reused": not fresh}
    if fresh:
        progress(f"building {rows:,} consultations over {days} days in {db_path} ...")
        report = build(store, entries, rows, days, progress)
    password = secrets.token_urlsafe(18) + "-Aa9"
    store.accounts.add(ADMIN, "admin", hash_password(password))
    conn = store.db.get().conn
    facts = {
        "rows": conn.execute("SELECT max(id) FROM consultations").fetchone()[0],
        "db_mb": round(db_path.stat().st_size / 1e6, 1),
        "heavy_user": conn.execute("SELECT user_id FROM users ORDER BY messages DESC LIMIT 1").fetchone()[0],
    }
    facts["conversation"] = conn.execute(
        "SELECT max(id) FROM consultations WHERE user_id = ?", [facts["heavy_user"]]
    ).fetchone()[0]
    facts["entry"] = conn.execute(
        "SELECT faq_id FROM consultations WHERE faq_id IS NOT NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()[0]
    store.close()
    return report, password, facts


def pages(
    today: date, heavy_user: str, conversation: int = 1, entry: str = "wage-complain-where"
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, path) of every console page and of every export measured, in the order of the report."""
    last_month_end = today.replace(day=1) - timedelta(days=1)
    month = f"since={last_month_end.replace(day=1)}&until={last_month_end}"
    year = f"since={today - timedelta(days=364)}&until={today}"
    return [
        ("log: first page", "/admin/logs"),
        ("log: page 5000", "/admin/logs?page=5000"),
        ("log: outcome=unanswered", "/admin/logs?outcome=unanswered"),
        ("log: outcome=emergency (rare)", "/admin/logs?outcome=emergency"),
        ("log: topic=wage_arrears", "/admin/logs?topic=wage_arrears"),
        ("log: kind=voice", "/admin/logs?kind=voice"),
        ("log: last month", f"/admin/logs?{month}"),
        ("log: tentative + work_injury + month", f"/admin/logs?outcome=tentative&topic=work_injury&{month}"),
        ("log: one user", f"/admin/logs?user={heavy_user}"),
        ("log: search 仲裁 (common)", "/admin/logs?q=仲裁"),
        ("log: search 工地塌了 (rare)", "/admin/logs?q=工地塌了"),
        ("log: search, no match", "/admin/logs?q=没有这句话xyz"),
        ("unanswered queue (30 days)", "/admin/unanswered"),
        ("unanswered queue (90 days)", "/admin/unanswered?days=90"),
        ("stats: last month", f"/admin/stats?{month}"),
        ("stats: a year", f"/admin/stats?{year}"),
        ("stats: monthly report, a year", f"/admin/stats/report?{year}"),
        ("stats API: a year", f"/admin/api/stats?{year}"),
        ("FAQ list", "/admin/faq"),
        ("FAQ list by answers (usage)", "/admin/faq?sort=answered"),
        ("FAQ entry page (usage, latest)", f"/admin/faq/{entry}/edit"),
        ("a conversation (busiest user)", f"/admin/c/{conversation}"),
        ("staff inbox", "/admin/inbox"),
        ("model answers", "/admin/llm"),
        ("accounts", "/admin/users"),
    ], [
        ("log CSV, whole log", "/admin/logs/export.csv"),
        ("log Excel, whole log", "/admin/logs/export.xlsx"),
        ("log CSV, last month", f"/admin/logs/export.csv?{month}"),
        ("stats Excel, a year", f"/admin/stats/export.xlsx?{year}"),
    ]


def login(base: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/admin/login", timeout=30).text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    resp = session.post(
        base + "/admin/login",
        data={"name": ADMIN, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=30,
    )
    if resp.status_code != 302:
        raise RuntimeError(f"bench login failed: HTTP {resp.status_code}")
    return session


def time_page(session: requests.Session, url: str, repeat: int, workers: list[int]) -> dict:
    """Wall time per fetch (median, slowest) and the server's CPU time per fetch: on a machine shared with other
    work the wall time includes waiting for a core; the CPU time is what the page costs."""
    timings, status, size, body = [], 0, 0, ""
    cpu = 0.0
    for i in range(repeat + 1):
        before = sum(process_cpu_s(p) for p in workers)
        t = time.perf_counter()
        resp = session.get(url, timeout=120)
        elapsed = (time.perf_counter() - t) * 1000
        status, size, body = resp.status_code, len(resp.content), resp.text
        if i:  # the first fetch warms the caches
            timings.append(elapsed)
            cpu += sum(process_cpu_s(p) for p in workers) - before
    return {
        "status": status,
        "bytes": size,
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "cpu_ms": round(cpu / repeat * 1000, 1),
        "_body": body,
    }


class PeakMemory:
    """Samples the server's workers' VmRSS every 20 ms while a download runs: the peak and the starting value."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.start = {p: memory_mb(p).get("rss_mb", 0.0) for p in pids}
        self.peak = dict(self.start)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            for p in self.pids:
                self.peak[p] = max(self.peak[p], memory_mb(p).get("rss_mb", 0.0))

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def growth_mb(self) -> float:
        return round(max(self.peak[p] - self.start[p] for p in self.pids), 1) if self.pids else 0.0


def time_export(session: requests.Session, url: str, workers: list[int]) -> dict:
    with PeakMemory(workers) as mem:
        t = time.perf_counter()
        resp = session.get(url, stream=True, timeout=600)
        chunks = resp.iter_content(None)  # pieces as the server sends them
        first = next(chunks, b"")
        ttfb = (time.perf_counter() - t) * 1000
        size = len(first) + sum(len(chunk) for chunk in chunks)
        total = time.perf_counter() - t
    return {
        "status": resp.status_code,
        "ttfb_ms": round(ttfb, 1),
        "total_s": round(total, 2),
        "mb": round(size / 1e6, 1),
        "file": resp.headers.get("Content-Disposition", ""),
        "worker_rss_growth_mb": mem.growth_mb,
        "worker_rss_peak_mb": max(mem.peak.values()) if mem.peak else None,
    }


def time_stats_cli(db_path: Path, since: str, until: str, repeat: int, as_json: bool) -> dict:
    """`bot.py stats` as a user runs it (a new process): wall time, and its CPU time (user + system)."""
    env = server_env(db_path)
    cmd = [sys.executable, "bot.py", "stats", "--since", since, "--until", until] + (["--json"] if as_json else [])
    timings, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        timings.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if out.returncode != 0:
            raise RuntimeError(f"bot.py stats failed: {out.stderr[-2000:]}")
    return {
        "median_s": round(statistics.median(timings), 2),
        "max_s": round(max(timings), 2),
        "cpu_s": round(statistics.median(cpu), 2),
    }


def _next_link(body: str) -> str | None:
    match = re.search(r'<a href="([^"]+)"[^>]*>下一页', body)
    return match.group(1).replace("&amp;", "&") if match else None


def run_scale(rows: int, days: int, db: Path | None, keep: bool, repeat: int, progress=print) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="pufa-bench-scale-"))
    db_path = db or workdir / "bot.db"
    try:
        report, password, facts = prepare(db_path, rows, days, progress)
        report["database"] = facts
        port = free_port()
        with ServerProcess(bot_command(port), server_env(db_path), port) as server:
            server.wait_ready(120)
            session = login(server.base, password)
            today = date.today()
            page_list, export_list = pages(today, facts["heavy_user"], facts["conversation"], facts["entry"])
            report["pages"], report["exports"] = [], []
            with CpuMeter(server.workers()) as cpu:
                for label, path in page_list:
                    result = time_page(session, server.base + path, repeat, server.workers())
                    body = result.pop("_body")
                    report["pages"].append(dict(result, label=label, path=path))
                    progress(
                        f"  {label:<40} {result['median_ms']:>8.1f} ms  (max {result['max_ms']:.1f}, server CPU"
                        f" {result['cpu_ms']:.1f} ms, HTTP {result['status']})"
                    )
                    if path == "/admin/logs?page=5000" and (link := _next_link(body)):
                        nxt = time_page(session, server.base + link, repeat, server.workers())
                        nxt.pop("_body")
                        report["pages"].append(dict(nxt, label="log: next page after 5000", path=link))
                        progress(f"  {'log: next page after 5000':<40} {nxt['median_ms']:>8.1f} ms")
                for label, path in export_list:
                    result = time_export(session, server.base + path, server.workers())
                    report["exports"].append(dict(result, label=label, path=path))
                    progress(
                        f"  {label:<40} first byte {result['ttfb_ms']:.0f} ms, {result['total_s']} s, {result['mb']} MB"
                    )
            report["other_cpu_busy"] = round(cpu.other_busy, 2)
        year = ((today - timedelta(days=364)).isoformat(), today.isoformat())
        report["stats_cli"] = time_stats_cli(db_path, *year, repeat=3, as_json=False)
        report["stats_cli_json"] = time_stats_cli(db_path, *year, repeat=3, as_json=True)
        progress(
            f"  bot.py stats, a year: {report['stats_cli']['median_s']} s; --json {report['stats_cli_json']['median_s']} s"
        )
        report["load_average"] = os.getloadavg()
        return report
    finally:
        if keep and db is None:
            progress(f"database kept: {db_path}")
        elif db is None:
            shutil.rmtree(workdir, ignore_errors=True)


def format_scale(report: dict) -> str:
    ok = lambda good: "ok" if good else "MISSED"  # noqa: E731
    build_s = report.get("build_s")
    lines = [
        f"database: {report['database']['rows']:,} consultations, {report['database']['db_mb']} MB"
        + (f", built in {build_s} s" if build_s else " (reused)"),
        f"{'page':<42}{'median ms':>10}{'max ms':>9}{'CPU ms':>8}  HTTP",
    ]
    for p in report["pages"]:
        flag = "" if p["median_ms"] < TARGETS["page_ms"] else "  > target"
        lines.append(
            f"{p['label']:<42}{p['median_ms']:>10.1f}{p['max_ms']:>9.1f}{p.get('cpu_ms', 0):>8.1f}  {p['status']}{flag}"
        )
    lines.append(f"{'export':<42}{'1st byte ms':>12}{'total s':>9}{'MB':>7}{'RSS +MB':>9}")
    for e in report["exports"]:
        lines.append(
            f"{e['label']:<42}{e['ttfb_ms']:>12.0f}{e['total_s']:>9.2f}{e['mb']:>7.1f}{e['worker_rss_growth_mb']:>9.1f}"
        )
    worst = max(p["median_ms"] for p in report["pages"])
    lines.append(
        f"slowest page {worst:.0f} ms (target < {TARGETS['page_ms']:.0f} ms: {ok(worst < TARGETS['page_ms'])})"
    )
    s = report["stats_cli"]["median_s"]
    lines.append(
        f"bot.py stats for a year: {s} s (CPU {report['stats_cli']['cpu_s']} s), --json"
        f" {report['stats_cli_json']['median_s']} s "
        f"(target < {TARGETS['stats_cli_s']} s: {ok(s < TARGETS['stats_cli_s'])})"
    )
    lines.append(
        f"other processes kept the machine {report['other_cpu_busy'] * 100:.0f}% busy; load average "
        + " ".join(f"{x:.1f}" for x in report["load_average"])
    )
    return "\n".join(lines)
