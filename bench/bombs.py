"""Hostile FAQ import files, and how the console copes with each: `python bot.py bench bombs`.

Each bomb is built in memory (small on disk, huge once expanded). `measure(name)` runs one in a fresh Python
process through the real console: create_app with the shipped FAQ, an admin session, POST /admin/faq/import,
and reports the status, the message, the seconds the request took and the process's peak memory (VmHWM), so
one bomb's memory never hides another's. The tests (tests/test_import_bombs.py) use the same builders.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent


def yaml_alias_bomb() -> bytes:
    """ "Billion laughs": nine levels of nine aliases each, about 800 bytes, 9**9 strings once expanded."""
    lines = ['- a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  {name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    lines.append("  id: bomb\n  question: *i")
    return ("\n".join(lines) + "\n").encode()


def yaml_deep_nesting() -> bytes:
    return b"- question: " + b"[" * 200_000 + b"]" * 200_000 + b"\n"


def yaml_huge_scalar() -> bytes:
    return b"- id: big\n  answer: " + b"x" * (4 * 1024 * 1024 - 100) + b"\n"


def yaml_many_entries() -> bytes:
    return b"- {}\n" * 600_000


def _workbook_bytes(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


HEADER = ["编号", "主题", "标准问题", "口语问法（每行一条）", "答复", "法律依据（每行一条）", "启用", "排序"]


def _with_member(base: bytes, name: str, chunks, compresslevel: int = 9) -> bytes:
    """A copy of the workbook `base` whose member `name` is replaced by the concatenated `chunks` (streamed)."""
    src = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as dst:
        for item in src.infolist():
            if item.filename == name:
                continue
            dst.writestr(item, src.read(item.filename))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as member:
            for chunk in chunks:
                member.write(chunk)
    return out.getvalue()


def _sheet(rows) -> object:
    yield b'<?xml version="1.0" encoding="UTF-8"?>'
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    yield from rows
    yield b"</sheetData></worksheet>"


def xlsx_zip_bomb() -> bytes:
    """A 200 MB sheet of short rows, deflated to well under a megabyte."""
    row = b'<row><c t="inlineStr"><is><t>lol</t></is></c></row>' * 20_000
    return _with_member(_workbook_bytes([HEADER]), "xl/worksheets/sheet1.xml", _sheet([row] * 190))


def xlsx_wide_row() -> bytes:
    """One row of two million empty cells (8 MB unpacked): openpyxl would build every cell."""
    row = b"<row>" + b"<c/>" * 2_000_000 + b"</row>"
    return _with_member(_workbook_bytes([HEADER]), "xl/worksheets/sheet1.xml", _sheet([row]))


def xlsx_row_gap() -> bytes:
    """One row numbered 1,048,576: openpyxl makes up a million empty rows before it."""
    header = (
        b'<row r="1">'
        + b"".join(
            f'<c r="{col}1" t="inlineStr"><is><t>{h}</t></is></c>'.encode()
            for col, h in zip("ABCDEFGH", HEADER, strict=True)
        )
        + b"</row>"
    )
    row = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return _with_member(_workbook_bytes([HEADER]), "xl/worksheets/sheet1.xml", _sheet([header, row]))


def xlsx_shared_strings() -> bytes:
    """A million shared strings (Excel's own files keep cell texts there), 20 MB unpacked."""
    body = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">']
    body += [b"<si><t>lol</t></si>" * 10_000] * 100 + [b"</sst>"]
    return _with_member(_workbook_bytes([HEADER]), "xl/sharedStrings.xml", body)


def xlsx_entity_bomb() -> bytes:
    """XML entity expansion ("billion laughs") inside the sheet."""
    dtd = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "lol">'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        dtd += f'<!ENTITY {name} "{("&" + prev + ";") * 10}">'.encode()
    dtd += b"]>"
    sheet = dtd + (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row><c t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>'
    )
    return _with_member(_workbook_bytes([HEADER]), "xl/worksheets/sheet1.xml", [sheet])


def xlsx_many_problems() -> bytes:
    """2,000 rows (the most an import takes), each wrong in several ways with long texts: the problem list must stay short."""
    long = "很长的文字" * 60
    rows = [HEADER] + [[f"Bad ID {i}", long, long, "", long, long, "否", "x"] for i in range(2000)]
    return _workbook_bytes(rows)


BOMBS = {
    "yaml-alias": ("bomb.yaml", yaml_alias_bomb),
    "yaml-nesting": ("bomb.yaml", yaml_deep_nesting),
    "yaml-long-text": ("bomb.yaml", yaml_huge_scalar),
    "yaml-many-entries": ("bomb.yaml", yaml_many_entries),
    "xlsx-zip-bomb": ("bomb.xlsx", xlsx_zip_bomb),
    "xlsx-wide-row": ("bomb.xlsx", xlsx_wide_row),
    "xlsx-row-gap": ("bomb.xlsx", xlsx_row_gap),
    "xlsx-shared-strings": ("bomb.xlsx", xlsx_shared_strings),
    "xlsx-entity-bomb": ("bomb.xlsx", xlsx_entity_bomb),
    "xlsx-many-problems": ("bomb.xlsx", xlsx_many_problems),
}

# Runs in the child process: the real app, a signed-in admin, one upload.
_CHILD = r"""
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from bench.bombs import BOMBS
from pufa.app import create_app
from settings import Settings

def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss would include the parent's, which it inherits through fork
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
tmp = Path(tempfile.mkdtemp())
import os
settings = Settings.from_env({**os.environ, "DATABASE_PATH": str(tmp / "bot.db"), "SECRET_KEY": "bench-" + "x" * 40})
app = create_app(settings)
store = app.extensions["pufa"].store
from argon2 import PasswordHasher
store.accounts.add("bench", "admin", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("benchpass1"))
client = app.test_client()
page = client.get("/admin/login").get_data(as_text=True)
import re
token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
client.post("/admin/login", data={"name": "bench", "password": "benchpass1", "csrf_token": token})
page = client.get("/admin/faq/import").get_data(as_text=True)  # a new session after login: a new token
token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
import io
for name in sys.argv[2:]:
  filename, build = BOMBS[name]
  data = build()
  before = peak_mb()
  start = time.perf_counter()
  resp = client.post("/admin/faq/import", data={"file": (io.BytesIO(data), filename), "action": "check",
                     "csrf_token": token}, content_type="multipart/form-data")
  seconds = time.perf_counter() - start
  html = resp.get_data(as_text=True)
  message = re.search(r'class="flash flash-error" role="alert">(.*?)</div>', html, re.S)
  problems = re.search(r'有 (\d+) 处问题', html)
  print(json.dumps({"bomb": name, "file_bytes": len(data), "status": resp.status_code, "seconds": round(seconds, 3),
                    "rss_before_mb": round(before, 1),
                    "peak_rss_mb": round(peak_mb(), 1),
                    "page_bytes": len(html.encode()),
                    "message": re.sub(r"<[^>]+>", "", message.group(1)).strip() if message else
                               (f"{problems.group(1)} 处问题（列出前 100 处）" if problems else "")},
                   ensure_ascii=False))
"""


def measure(*names: str) -> list[dict]:
    """Bombs through the console, one after another in one fresh process (peak memory is the process's so far:
    measure one at a time to see each bomb's own)."""
    from settings import SETTINGS

    # production defaults (the shipped FAQ, no model), whatever the calling process has set
    env = {k: v for k, v in os.environ.items() if k not in {s.name for s in SETTINGS}}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), *names],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
        env=env,
        cwd=ROOT,
    )
    return [json.loads(line) for line in out.stdout.strip().splitlines() if line.startswith("{")]


def format_bombs(results: list[dict]) -> str:
    lines = [f"{'文件':<22}{'大小':>10}{'状态':>6}{'耗时 s':>9}{'峰值内存 MB':>13}{'页面 KB':>9}  说明"]
    for r in results:
        lines.append(
            f"{r['bomb']:<22}{r['file_bytes']:>10}{r['status']:>6}{r['seconds']:>9.3f}{r['peak_rss_mb']:>13.1f}"
            f"{r['page_bytes'] / 1024:>9.1f}  {r['message']}"
        )
    return "\n".join(lines)
