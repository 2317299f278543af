"""`bot.py bench load`: the real server (python bot.py serve, production gunicorn options) against the bare echo
webhook under the same options, driven by wrk in alternating rounds, in plaintext and safe (AES) mode.

After each bot round the server is stopped (gracefully) and its database is checked: exactly one consultations
row per distinct message it answered.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.procs import CpuMeter, ServerProcess, bot_command, echo_command, free_port
from bench.wrk import run_wrk, write_requests
from wechat.simulator import WeChatSide, build_xml

TOKEN = "bench-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wxbench0123456789"
TARGETS = {"ratio": 0.60, "p99_ms": 50.0}


def server_env(mode: str, db_path: Path) -> dict:
    """The production environment plus a token (and AES key in safe mode); no LLM, so only FAQ matching runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LLM_", "WECHAT_"))}
    env.update(WECHAT_TOKEN=TOKEN, DATABASE_PATH=str(db_path), SECRET_KEY="bench-secret-key-" + "x" * 32)
    if mode == "aes":
        env.update(WECHAT_AES_KEY=AES_KEY, WECHAT_APPID=APPID)
    return env


def probe(url: str, mode: str, text: str) -> str:
    """Send one fresh message the way WeChat does; the reply's Content (decrypted in safe mode)."""
    side = WeChatSide(TOKEN, AES_KEY, APPID) if mode == "aes" else WeChatSide(TOKEN)
    req = side.sign(build_xml("text", "oBenchProbe", Content=text))
    with urllib.request.urlopen(urllib.request.Request(url + "?" + req.query, data=req.body), timeout=10) as r:
        return side.read_reply(r.read().decode())


def db_counts(db_path: Path) -> dict:
    """Rows, distinct message keys, outcomes, and stored replies (one per message), read straight from the SQLite file."""
    with sqlite3.connect(db_path) as conn:
        rows, keys = conn.execute("SELECT count(*), count(DISTINCT msg_key) FROM consultations").fetchone()
        outcomes = dict(conn.execute("SELECT outcome, count(*) FROM consultations GROUP BY outcome").fetchall())
        replies = conn.execute("SELECT count(*) FROM message_replies").fetchone()[0]
    conn.close()
    return {"rows": rows, "distinct_keys": keys, "outcomes": outcomes, "stored_replies": replies}


def one_round(kind: str, mode: str, texts: list[str], duration: float, connections: int, workdir: Path) -> dict:
    """Start one server, warm it up, measure, probe, read worker memory, stop it, check its log rows."""
    port = free_port()
    db_path = workdir / f"{kind}-{mode}-{port}.db"
    cmd = bot_command(port) if kind == "bot" else echo_command(port)
    url = f"http://127.0.0.1:{port}/wechat"
    reqs = workdir / "requests.txt"
    with ServerProcess(cmd, server_env(mode, db_path), port) as server:
        ready_s = server.wait_ready()
        write_requests(reqs, "/wechat", TOKEN, texts, 4000, AES_KEY if mode == "aes" else "", APPID)
        warm = run_wrk(url, reqs, 2, connections)
        # enough distinct requests for the measured run at the warm-up rate, with room to spare
        n = max(5000, int(warm["rps"] * duration * 1.8))
        write_requests(reqs, "/wechat", TOKEN, texts, n, AES_KEY if mode == "aes" else "", APPID)
        with CpuMeter(server.workers()) as cpu:
            res = run_wrk(url, reqs, duration, connections)
        worker_cpu = sum(cpu.per_process.values())
        res["cpu"] = {
            "worker_cpu_s": list(cpu.per_process.values()),  # how the load spread over the workers
            "worker_ms_per_request": round(1000 * worker_cpu / res["requests"], 3) if res["requests"] else None,
            "wrk_cpu_s": round(cpu.children_s, 2),
            "machine_busy_pct": round(100 * cpu.machine_busy, 1),
            "other_busy_pct": round(100 * cpu.other_busy, 1),  # CPU taken by processes outside this benchmark
        }
        reply = probe(url, mode, texts[0])
        res["probe_ok"] = bool(reply) and (reply == "echo" if kind == "echo" else reply != "echo")
        res["workers"] = server.worker_memory()
        log_tail = server.log_tail()
    reqs.unlink(missing_ok=True)
    res.update(kind=kind, mode=mode, ready_s=round(ready_s, 2), generated=n, warm=warm)
    res["errors"] = res["status"] + res["socket_errors"] + warm["status"] + warm["socket_errors"]
    if kind == "bot":
        counts = db_counts(db_path)
        completed = warm["requests"] + res["requests"] + 1  # + the probe
        issued = warm["issued"] + res["issued"] + 1
        res["log"] = dict(counts, completed=completed, issued=issued)
        # every completed request was a distinct MsgId: one row each; requests still in flight when wrk stopped
        # were answered by the server (graceful stop) and logged too, so rows may exceed completed by < issued
        res["log"]["exact"] = (
            counts["rows"] == counts["distinct_keys"]
            and completed <= counts["rows"] <= issued
            and counts["stored_replies"] == counts["rows"]
            and res["wraps"] == 0
            and warm["wraps"] == 0
        )
        if "Traceback" in log_tail:
            res["log"]["server_log_tail"] = log_tail[-1500:]
    return res


def run_load(
    texts: list[str], rounds: int, duration: float, connections: int, modes: tuple[str, ...], progress
) -> dict:
    """Alternate bot and echo rounds in each mode; per-round figures and per-mode medians."""
    workdir = Path(tempfile.mkdtemp(prefix="pufa-bench-load-"))
    report: dict = {"rounds": rounds, "duration_s": duration, "connections": connections, "modes": {}}
    try:
        _run_modes(report, workdir, texts, rounds, duration, connections, modes, progress)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _run_modes(report, workdir, texts, rounds, duration, connections, modes, progress) -> None:
    for mode in modes:
        runs: dict[str, list] = {"bot": [], "echo": []}
        for r in range(rounds):
            for kind in ("bot", "echo"):
                res = one_round(kind, mode, texts, duration, connections, workdir)
                runs[kind].append(res)
                progress(
                    f"  {mode:<5} round {r + 1} {kind:<4} {res['rps']:8.1f} req/s  p50 {res['p50_ms']:.1f} ms  "
                    f"p99 {res['p99_ms']:.1f} ms  errors {res['errors']}"
                    + (f"  rows {res['log']['rows']}/{res['log']['completed']}" if kind == "bot" else "")
                )
                time.sleep(0.5)
        report["modes"][mode] = {"runs": runs, "summary": summarise(runs)}


def summarise(runs: dict) -> dict:
    out = {}
    for kind, rs in runs.items():
        out[kind] = {
            "rps": statistics.median(x["rps"] for x in rs),
            "p50_ms": statistics.median(x["p50_ms"] for x in rs),
            "p99_ms": statistics.median(x["p99_ms"] for x in rs),
            "max_ms": max(x["max_ms"] for x in rs),
            "errors": sum(x["errors"] for x in rs),
            "non2xx": sum(x["status"] + x["warm"]["status"] for x in rs),
            "socket_errors": sum(x["socket_errors"] + x["warm"]["socket_errors"] for x in rs),
            "probe_ok": all(x["probe_ok"] for x in rs),
            "worker_rss_mb": max((w.get("rss_mb", 0) for x in rs for w in x["workers"]), default=None),
            "cpu_ms_per_request": statistics.median(x["cpu"]["worker_ms_per_request"] or 0 for x in rs),
            "other_busy_pct": statistics.median(x["cpu"]["other_busy_pct"] for x in rs),
            "worker_split": [x["cpu"]["worker_cpu_s"] for x in rs],
        }
    ratios = [b["rps"] / e["rps"] for b, e in zip(runs["bot"], runs["echo"], strict=True) if e["rps"]]
    out["ratio"] = round(statistics.median(ratios), 3) if ratios else None
    # the same ratio from CPU per request: what the throughput ratio would be with the whole machine to itself
    bot_cpu, echo_cpu = out["bot"]["cpu_ms_per_request"], out["echo"]["cpu_ms_per_request"]
    out["cpu_ratio"] = round(echo_cpu / bot_cpu, 3) if bot_cpu else None
    out["log_exact"] = all(x["log"]["exact"] for x in runs["bot"])
    out["rows_vs_completed"] = [(x["log"]["rows"], x["log"]["completed"], x["log"]["issued"]) for x in runs["bot"]]
    return out


def format_load(report: dict) -> str:
    lines = [
        f"wrk: {report['rounds']} rounds x {report['duration_s']} s per server, {report['connections']} connections, "
        "1 wrk thread; bot and echo alternate; figures are medians over rounds"
    ]
    for mode, data in report["modes"].items():
        s = data["summary"]
        lines.append(f"== {mode} mode")
        lines.append(
            f"  {'server':<6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'non2xx':>8}{'sockerr':>8}"
            f"{'CPU ms/req':>11}  RSS/worker  worker CPU s per round"
        )
        for kind in ("bot", "echo"):
            k = s[kind]
            lines.append(
                f"  {kind:<6}{k['rps']:>9.1f}{k['p50_ms']:>9.2f}{k['p99_ms']:>9.2f}{k['max_ms']:>9.1f}"
                f"{k['non2xx']:>8}{k['socket_errors']:>8}{k['cpu_ms_per_request']:>11.2f}  {k['worker_rss_mb']} MB"
                f"  {k['worker_split']}"
            )
        lines.append(
            f"  bot/echo throughput ratio {s['ratio']:.2f} (target >= {TARGETS['ratio']:.2f}: "
            f"{'ok' if s['ratio'] >= TARGETS['ratio'] else 'MISSED'}); bot p99 {s['bot']['p99_ms']:.1f} ms (target < "
            f"{TARGETS['p99_ms']:.0f}: {'ok' if s['bot']['p99_ms'] < TARGETS['p99_ms'] else 'MISSED'}); errors "
            f"{s['bot']['errors']} ({'ok' if s['bot']['errors'] == 0 else 'MISSED'})"
        )
        lines.append(
            f"  CPU-per-request ratio echo/bot {s['cpu_ratio']:.2f}; other processes used a median "
            f"{s['bot']['other_busy_pct']:.0f}% (bot rounds) / {s['echo']['other_busy_pct']:.0f}% (echo rounds) of the machine"
        )
        lines.append(
            f"  log rows (rows, completed, issued) per round: {s['rows_vs_completed']} -> "
            f"{'one row per message' if s['log_exact'] else 'MISMATCH'}"
        )
    lines.append(
        "completed = requests wrk counted (warm-up + measured + 1 probe); issued = requests wrk sent, including those"
        " still in flight when it stopped, which the server still answers and logs."
    )
    return "\n".join(lines)
