"""Starting a server command in its own process group, waiting for /healthz, reading its workers' memory."""

from __future__ import annotations

import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bot_command(port: int) -> list[str]:
    return [sys.executable, "bot.py", "serve", "--host", "127.0.0.1", "--port", str(port)]


def echo_command(port: int) -> list[str]:
    return [sys.executable, "-m", "bench.echo_app", "--host", "127.0.0.1", "--port", str(port)]


def children(pid: int) -> list[int]:
    """Direct child processes of `pid` (gunicorn workers of a master), from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may contain spaces: the ppid is the 2nd field after the closing ')'
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append(int(entry))
    return sorted(out)


def memory_mb(pid: int) -> dict:
    """VmRSS (resident, shared pages counted in full) and Pss (shared pages divided among sharers), in MB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                out["rss_mb"] = round(int(line.split()[1]) / 1024, 1)
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                out["pss_mb"] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return out


class ServerProcess:
    """`with ServerProcess(cmd, env) as s:` starts the command, `s.wait_ready()`, stops it (SIGTERM) on exit."""

    def __init__(self, cmd: list[str], env: dict, port: int):
        self.cmd, self.env, self.port = cmd, env, port
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-server-", suffix=".log", delete=False)
        self.started = 0.0

    def __enter__(self) -> ServerProcess:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.cmd, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def wait_ready(self, timeout: float = 60.0) -> float:
        """Seconds from launch until GET /healthz answers 200; RuntimeError (with the log tail) if it never does."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.01)
        raise RuntimeError(f"server not ready: {' '.join(self.cmd)}\n{self.log_tail()}")

    def workers(self) -> list[int]:
        return children(self.proc.pid)

    def worker_memory(self) -> list[dict]:
        return [dict(pid=pid, **memory_mb(pid)) for pid in self.workers()]

    def log_tail(self, n: int = 3000) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-n:]

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()

    def __exit__(self, *exc) -> None:
        self.stop()
        self.log.close()
        os.unlink(self.log.name)


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds used so far by one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(total, idle) CPU seconds of the whole machine since boot, summed over cores, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(values) / tick, (values[3] + values[4]) / tick


class CpuMeter:
    """CPU used by given processes, by this process's finished children (wrk) and by the whole machine."""

    def __init__(self, pids: list[int]):
        self.pids = pids

    def __enter__(self) -> CpuMeter:
        self._procs = {p: process_cpu_s(p) for p in self.pids}
        self._machine = machine_cpu()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self._children = usage.ru_utime + usage.ru_stime
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self._wall
        total, idle = (a - b for a, b in zip(machine_cpu(), self._machine, strict=True))
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.per_process = {p: round(process_cpu_s(p) - c, 2) for p, c in self._procs.items()}
        self.children_s = usage.ru_utime + usage.ru_stime - self._children
        cores = os.cpu_count() or 1
        self.machine_busy = (1 - idle / total) if total else 0.0
        ours = (sum(self.per_process.values()) + self.children_s) / (wall * cores) if wall else 0.0
        self.other_busy = max(0.0, self.machine_busy - ours)
