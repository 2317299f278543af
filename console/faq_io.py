"""The whole FAQ as a YAML or Excel file, and back: parse (within console/import_limits.py's bounds), validate row
by row, import as one batch (storage/faq_imports.py; the plan is faq/changes.py).

Pure Python (no Flask), shared by the console and `bot.py faq export|import`. An export followed by an import
of the same file changes nothing: every field is written, including `enabled` and `position`. Rows without an
编号 are new entries and get one generated; an import adds and updates, and deletes only in REPLACE mode.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from console import import_limits as limits
from faq.changes import FIELDS, MERGE, ImportPlan
from faq.loader import TOPICS, clean_entry, collection_problems
from faq.yamlio import SafeLoader
from knowledge import KnowledgeBase

FORMATS = ("yaml", "xlsx")
# Excel columns: (field, header). Lists are one item per line inside the cell.
COLUMNS = (
    ("id", "编号"),
    ("topic", "主题"),
    ("question", "标准问题"),
    ("variants", "口语问法（每行一条）"),
    ("answer", "答复"),
    ("legal_basis", "法律依据（每行一条）"),
    ("enabled", "启用"),
    ("position", "排序"),
    ("hub", "主题总入口"),
    ("followups", "追问（每行一条：类型: 条目编号）"),
)
_HEADER_TO_FIELD = {h.split("（")[0]: f for f, h in COLUMNS} | {f: f for f, _ in COLUMNS}
_TOPIC_BY_NAME = {name: key for key, name in TOPICS.items()}
_NO = ("0", "false", "no", "否", "停用")


class ImportFormatError(ValueError):
    """The file can't be read at all (not YAML / not a workbook / no header / over a limit); Chinese message."""


@dataclass
class ParsedFile:
    entries: list[dict]
    labels: list[str]  # where each entry came from, for error messages: 第3条 / 第4行


def file_format(filename: str) -> str | None:
    name = (filename or "").lower()
    if name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.endswith(".xlsx"):
        return "xlsx"
    return None


def _export_record(entry: dict) -> dict:
    return {
        "id": entry["id"],
        "topic": entry["topic"],
        "question": entry["question"],
        "variants": list(entry.get("variants") or []),
        "answer": entry["answer"],
        "legal_basis": list(entry.get("legal_basis") or []),
        "enabled": bool(entry.get("enabled", True)),
        "position": int(entry.get("position") or 0),
        **({"hub": True} if entry.get("hub") else {}),
        **({"followups": dict(entry["followups"])} if entry.get("followups") else {}),
    }


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data: str):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(entries: list[dict]) -> str:
    """The FAQ as one YAML list (answers as block text), in the database's order: easy to diff."""
    header = "# 普法小助手 FAQ 导出。可编辑后在控制台「导入」或用 python bot.py faq import 导入。\n"
    body = yaml.dump(
        [_export_record(e) for e in entries],
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )
    return header + body


def _normalise(raw: dict) -> dict:
    """A clean row; `enabled` and `position` only when the file gives them (else the entry keeps its own)."""
    entry = clean_entry(raw)
    position = raw.get("position")
    if position not in (None, ""):
        try:
            entry["position"] = int(float(position))
        except (TypeError, ValueError):
            entry["position_error"] = f"排序号不是整数：{position}"
    return entry


def load_yaml(data: bytes) -> ParsedFile:
    try:  # bytes straight to libyaml (it reads UTF-8 and the BOM itself): no decoded copy of the whole file
        limits.scan_yaml(data, SafeLoader)
        doc = yaml.load(data, Loader=SafeLoader)  # noqa: S506 - a safe loader
    except limits.FileTooLarge as exc:
        raise ImportFormatError(str(exc)) from exc
    except yaml.reader.ReaderError as exc:
        raise ImportFormatError("文件不是 UTF-8 编码的文本") from exc
    except yaml.YAMLError as exc:
        raise ImportFormatError(_yaml_error(exc)) from exc
    if isinstance(doc, dict) and isinstance(doc.get("entries"), list):
        doc = doc["entries"]
    if not isinstance(doc, list):
        raise ImportFormatError("YAML 文件应当是条目列表（每条以 - id: 开头）")
    if len(doc) > limits.MAX_ENTRIES:
        raise ImportFormatError(f"文件里有 {len(doc)} 条，最多只能导入 {limits.MAX_ENTRIES} 条")
    entries, labels = [], []
    for n, raw in enumerate(doc, start=1):
        labels.append(f"第{n}条")
        if not isinstance(raw, dict):
            entries.append({"id": "", "row_error": "这一条不是“字段: 值”的形式"})
            continue
        entries.append(_normalise(raw))
    return ParsedFile(entries, labels)


def _yaml_error(exc: yaml.YAMLError) -> str:
    """libyaml's English message, said in Chinese with the place it points at."""
    mark = getattr(exc, "problem_mark", None)
    where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列附近" if mark is not None else "文件里"
    if "nesting depth" in str(exc):
        return f"YAML 格式错误：{where}括号嵌套太深，不是导出的问答库格式"
    return f"YAML 格式错误：{where}写法不对（常见原因：缩进不齐、冒号后缺空格、引号或括号没有配对）"


def _cell_lines(value) -> list[str]:
    if value is None:
        return []
    return [line.strip() for line in str(value).replace("\r\n", "\n").split("\n") if line.strip()]


def load_xlsx(data: bytes) -> ParsedFile:
    try:
        limits.scan_xlsx(data)
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except limits.FileTooLarge as exc:
        raise ImportFormatError(str(exc)) from exc
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...: not a workbook we can read
        raise ImportFormatError("无法读取 Excel 文件（需要 .xlsx 格式）") from exc
    try:
        return _read_sheet(wb["FAQ"] if "FAQ" in wb.sheetnames else wb.worksheets[0])
    finally:
        wb.close()


def _read_sheet(ws) -> ParsedFile:
    # max_col: a declared dimension of A1:XFD… would otherwise pad every row to 16,384 cells
    rows = ws.iter_rows(max_col=limits.MAX_ROW_CELLS, values_only=True)
    header = next(rows, None) or ()
    columns = {i: _HEADER_TO_FIELD.get(str(h or "").strip().split("（")[0]) for i, h in enumerate(header)}
    missing = [f for f in ("topic", "question", "answer") if f not in columns.values()]
    if missing:
        raise ImportFormatError("第 1 行缺少表头：" + "、".join(dict(COLUMNS)[f] for f in missing))
    entries, labels = [], []
    for n, row in enumerate(rows, start=2):
        if n > limits.MAX_SHEET_ROWS:  # openpyxl makes up empty rows for a gap before row 1,048,576
            raise ImportFormatError(f"表格行数太多（最多 {limits.MAX_ENTRIES} 条问答）")
        if not any(v not in (None, "") for v in row):
            continue  # blank rows
        if len(entries) >= limits.MAX_ENTRIES:
            raise ImportFormatError(f"表格超过 {limits.MAX_ENTRIES} 条问答，不能一次导入")
        raw = {f: row[i] for i, f in columns.items() if f and i < len(row)}
        for key in ("variants", "legal_basis"):
            raw[key] = _cell_lines(raw.get(key))
        if "hub" in raw:
            hub = raw.pop("hub")
            if hub not in (None, ""):
                raw["hub"] = str(hub).strip().lower() not in (*_NO, "")
        if "followups" in raw:
            lines = _cell_lines(raw.pop("followups"))
            raw["followups"] = dict(
                (part.strip() for part in line.replace("：", ":").split(":", 1)) for line in lines if ":" in line.replace("：", ":")
            )
        topic = str(raw.get("topic") or "").strip()
        raw["topic"] = _TOPIC_BY_NAME.get(topic, topic)
        enabled = raw.get("enabled")
        if enabled is None or enabled == "":
            raw.pop("enabled", None)
        elif isinstance(enabled, str):
            raw["enabled"] = enabled.strip().lower() not in _NO
        entries.append(_normalise(raw))
        labels.append(f"第{n}行")
    return ParsedFile(entries, labels)


def _set(ws, row: int, col: int, value) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would turn a text starting with "=" into a formula


def dump_xlsx(entries: list[dict], kb: KnowledgeBase | None = None) -> bytes:
    """The FAQ as a workbook: sheet FAQ (one row per entry), plus reference sheets of topics and citations."""
    wb = Workbook()
    ws = wb.active
    ws.title = "FAQ"
    for col, (_, header) in enumerate(COLUMNS, start=1):
        _set(ws, 1, col, header)
        ws.cell(row=1, column=col).font = Font(bold=True)
    for r, entry in enumerate(entries, start=2):
        rec = _export_record(entry)
        values = [
            rec["id"],
            TOPICS.get(rec["topic"], rec["topic"]),
            rec["question"],
            "\n".join(rec["variants"]),
            rec["answer"],
            "\n".join(rec["legal_basis"]),
            "是" if rec["enabled"] else "否",
            rec["position"],
            "是" if rec.get("hub") else "",
            "\n".join(f"{kind}: {target}" for kind, target in (rec.get("followups") or {}).items()),
        ]
        for col, value in enumerate(values, start=1):
            _set(ws, r, col, value)
            ws.cell(row=r, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJ", (22, 14, 30, 36, 60, 32, 6, 6, 8, 28), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    topics = wb.create_sheet("主题")
    for r, (key, name) in enumerate([("代码", "名称"), *TOPICS.items()], start=1):
        _set(topics, r, 1, key)
        _set(topics, r, 2, name)
    if kb is not None:
        cites = wb.create_sheet("法律依据")
        _set(cites, 1, 1, "引用写法")
        _set(cites, 1, 2, "条文要点")
        for r, article in enumerate(kb.articles, start=2):
            _set(cites, r, 1, article.citation)
            _set(cites, r, 2, article.title)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_file(filename: str, data: bytes) -> ParsedFile:
    """The rows of an uploaded file; ImportFormatError (Chinese) when it can't be read or is over a limit."""
    fmt = file_format(filename)
    if fmt is None:
        raise ImportFormatError("只能导入 .yaml / .yml 或 .xlsx 文件")
    try:
        limits.check_size(data)
    except limits.FileTooLarge as exc:
        raise ImportFormatError(str(exc)) from exc
    return load_yaml(data) if fmt == "yaml" else load_xlsx(data)


def validate(parsed: ParsedFile, kb: KnowledgeBase, existing_ids: Iterable[str] = ()) -> list[tuple[str, str, str]]:
    """(where, question, problem) for every problem, in file order; empty when the file can be imported.

    Rows are named by their standard question (staff know entries by it), or by their 编号 when it has none.
    `existing_ids`: the FAQ's entries now, which a row's 追问 may name without the file containing them.
    """
    out = []
    for i, entry in enumerate(parsed.entries):
        for key in ("row_error", "position_error"):
            if key in entry:
                out.append((parsed.labels[i], _name(entry), entry[key]))
    if not parsed.entries:
        out.append(("文件", "", "文件里没有任何条目"))
    for row, _entry_id, problem in collection_problems(
        parsed.entries, kb, parsed.labels, id_optional=True, known_ids=existing_ids
    ):
        out.append((parsed.labels[row - 1], _name(parsed.entries[row - 1]), problem))
    order = {label: i for i, label in enumerate(parsed.labels)}
    return sorted(out, key=lambda p: order.get(p[0], -1))


def _name(entry: dict) -> str:
    name = entry.get("question") or entry.get("id") or ""
    return name if len(name) <= 60 else name[:60] + "…"


def prepared(parsed: ParsedFile) -> list[dict]:
    """Rows ready for faq.changes.plan_import: the fields the file gives (id "" for a new entry)."""
    return [{k: entry[k] for k in ("id", *FIELDS) if k in entry} for entry in parsed.entries]


def import_entries(store, parsed: ParsedFile, author: str, mode: str = MERGE, filename: str = "") -> ImportPlan:
    """Import validated rows as one batch (all or nothing); the plan applied (new entries have their ids)."""
    return store.faq_imports.apply(prepared(parsed), author, mode, filename)[1]
