"""Driving a webhook with wrk: a file of distinct, correctly signed pushes, and a Lua script that cycles through it.

Each line of the request file is `path?query<TAB>body`. Every request has its own MsgId and nonce and a
timestamp inside the bot's window, so neither MsgId de-duplication nor a replay check short-circuits the
pipeline. Each wrk thread takes its own slice of the file; the script counts the requests it issued and
how often a thread ran out of requests and started over (which would resend MsgIds), and prints one JSON
line with the figures at the end.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

from wechatpy.crypto import PrpCrypto

from wechat.simulator import build_xml

LUA = r"""
local threads = {}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  local tid = tonumber(wrk.thread:get("tid")) or 1
  local nthreads = tonumber(os.getenv("WRK_THREADS")) or 1
  local lines = {}
  for line in io.lines(os.getenv("REQ_FILE")) do lines[#lines + 1] = line end
  local lo = math.floor((tid - 1) * #lines / nthreads) + 1
  local hi = math.floor(tid * #lines / nthreads)
  reqs = {}
  for i = lo, hi do
    local line = lines[i]
    local tab = line:find("\t", 1, true)
    reqs[#reqs + 1] = wrk.format("POST", line:sub(1, tab - 1), {["Content-Type"] = "text/xml"}, line:sub(tab + 1))
  end
  idx, issued, wraps = 0, 0, 0
end
function request()
  idx = idx + 1
  if idx > #reqs then idx, wraps = 1, wraps + 1 end
  issued = issued + 1
  return reqs[idx]
end
function done(summary, latency, requests)
  local issued_all, wraps_all = 0, 0
  for _, t in ipairs(threads) do
    issued_all = issued_all + (tonumber(t:get("issued")) or 0)
    wraps_all = wraps_all + (tonumber(t:get("wraps")) or 0)
  end
  local e = summary.errors
  io.write(string.format('BENCH {"requests": %d, "duration_s": %.3f, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"issued": %d, "wraps": %d}\n',
    summary.requests, summary.duration / 1e6, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, issued_all, wraps_all))
end
"""

_msg_ids = itertools.count(random.randint(10**17, 10**18) * 8)


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _sign(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def write_requests(
    path: Path, url_path: str, token: str, texts: list[str], n: int, aes_key: str = "", appid: str = ""
) -> None:
    """`n` signed text pushes (encrypted, safe mode, when `aes_key` is set) from 5,000 users, one per line."""
    crypto = PrpCrypto(base64.b64decode(aes_key + "=")) if aes_key else None
    ts = str(int(time.time()))
    rng = random.Random()
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            openid = f"oBench{i % 5000:022d}"
            text = " ".join(rng.choice(texts).split())
            xml = build_xml("text", openid, msg_id=next(_msg_ids), create_time=int(ts), Content=text)
            nonce = str(rng.randrange(10**8, 10**10))
            q = {"signature": _sign(token, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": openid}
            body = xml
            if crypto is not None:
                enc = crypto.encrypt(xml, appid).decode()
                q.update(encrypt_type="aes", msg_signature=_sign(token, ts, nonce, enc))
                body = f"<xml><ToUserName>{_cdata('gh_pufa_demo')}</ToUserName><Encrypt>{_cdata(enc)}</Encrypt></xml>"
            out.write(url_path + "?" + urllib.parse.urlencode(q) + "\t" + body + "\n")


def run_wrk(url: str, req_file: Path, duration: float, connections: int, threads: int = 1) -> dict:
    """Run wrk against `url` with the requests in `req_file`; the figures of its closing JSON line."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA)
    try:
        env = dict(os.environ, REQ_FILE=str(req_file), WRK_THREADS=str(threads))
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "5s",
            "-s",
            lua.name,
            url,
        ]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
    finally:
        os.unlink(lua.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stderr or out.stdout}")
    res = json.loads(line[6:])
    res["rps"] = round(res["requests"] / res["duration_s"], 1) if res["duration_s"] else 0.0
    res["socket_errors"] = res["connect"] + res["read"] + res["write"] + res["timeout"]
    return res
