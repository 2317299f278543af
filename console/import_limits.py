"""Limits on an uploaded FAQ file, checked before the real parsers run, so a hostile file is refused in well under
a second with little memory (see tests/test_import_bombs.py and `python bot.py bench bombs`).

- YAML: the libyaml event stream is scanned first, counting every alias (`*name`) as the subtree it stands for:
  an 800-byte "billion laughs" file expands to billions of nodes and is refused after a few hundred events.
  Nesting, node count, characters and scalar length are capped.
- Excel: an .xlsx is a zip of XML files. The declared unpacked sizes are checked without unpacking (zipfile stops
  a member at its declared size, and a short member fails its CRC, so the declaration cannot lie), then the sheets
  and the shared strings are scanned with expat, stopping at the first row, cell or text over a limit: openpyxl
  would otherwise build every cell of a million-cell row in memory. DTDs (entity bombs) are refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.parsers import expat

import yaml

# Parsing costs about six times the file in memory at its peak; 4 MB keeps a worker (about 150 MB with the shipped
# FAQ) under 200 MB. The shipped FAQ exports to 0.65 MB of YAML or 0.22 MB of Excel.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 2000  # rows / list items; the shipped FAQ has under 300
MAX_CELL_CHARS = 20_000  # one answer is at most ~680 characters; a cell of 40 variants ~2,000
MAX_YAML_DEPTH = 6  # [ {field: [item]} ] is 3 deep; {entries: [...]} adds one
MAX_YAML_EVENTS = 100 * MAX_ENTRIES  # an entry with 40 variants is about 60 nodes
MAX_SHEET_ROWS = 2 * MAX_ENTRIES  # blank rows included
MAX_ROW_CELLS = 64  # the FAQ sheet has 8 columns
MAX_SHARED_STRINGS = 10 * MAX_ENTRIES  # 8 columns of 5,000 rows, each text once
MAX_UNPACKED_BYTES = 40 * 1024 * 1024  # all members together; the 275-entry export unpacks to 0.8 MB
MAX_OTHER_MEMBER_BYTES = 4 * 1024 * 1024  # styles, theme, workbook …
MAX_MEMBERS = 200
MAX_PROBLEMS_SHOWN = 100


class FileTooLarge(ValueError):
    """The file is over a limit; the message (Chinese) says which."""


def check_size(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLarge(f"文件太大（{len(data) // 1024 // 1024} MB），最多 {MAX_FILE_BYTES // 1024 // 1024} MB")


def scan_yaml(text: str | bytes, loader) -> None:
    """Refuse a YAML text whose nodes, nesting or characters, counted with every alias expanded, are over the
    limits, before anything is built. Aliases are counted, not refused: PyYAML writes them for shared lists."""
    anchors: dict[str, tuple[int, int, int]] = {}  # anchor -> (nodes, characters, depth) of its expanded subtree
    stack: list[list] = []  # open collections: [anchor, nodes, characters, depth below]
    total_nodes = total_chars = 0

    entries = 0
    aliases = ("*" if isinstance(text, str) else b"*") in text
    alias_note = "（别名 * 按展开后计算）" if aliases else ""

    def add(nodes: int, chars: int, depth: int, anchor: str | None) -> None:
        nonlocal total_nodes, total_chars
        if anchor:
            anchors[anchor] = (nodes, chars, depth)
        if stack:
            parent = stack[-1]
            parent[1] += nodes
            parent[2] += chars
            parent[3] = max(parent[3], depth)
        else:
            total_nodes += nodes
            total_chars += chars
        if len(stack) + depth > MAX_YAML_DEPTH:
            note = "；别名 * 按展开后计算" if aliases else ""
            raise FileTooLarge(f"YAML 文件嵌套太深（超过 {MAX_YAML_DEPTH} 层{note}），不是导出的问答库格式")
        if total_nodes + sum(c[1] for c in stack) > MAX_YAML_EVENTS:
            raise FileTooLarge(f"YAML 文件内容太多{alias_note}，不是导出的问答库格式")
        if total_chars + sum(c[2] for c in stack) > MAX_FILE_BYTES:
            raise FileTooLarge(f"YAML 文件里的文字太多{alias_note}，不能导入")

    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) == 1:  # an item of the top-level list (or of the {entries: ...} mapping's key/value)
                entries += 1
                if entries > MAX_ENTRIES + 1:
                    raise FileTooLarge(f"文件里的条目太多，最多只能导入 {MAX_ENTRIES} 条")
            stack.append([event.anchor, 1, 0, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, nodes, chars, depth = stack.pop()
            add(nodes, chars, depth + 1, anchor)
        elif isinstance(event, yaml.ScalarEvent):
            if len(event.value) > MAX_CELL_CHARS:
                line = event.start_mark.line + 1
                raise FileTooLarge(f"YAML 文件里有一段文字超过 {MAX_CELL_CHARS} 字（第 {line} 行）")
            add(1, len(event.value), 0, event.anchor)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise FileTooLarge("YAML 文件里的别名 * 指向了不存在或尚未结束的 & 锚点")
            add(*anchors[event.anchor], None)


def _scan_xml(source, name: str, shared_strings: bool) -> None:
    """Stream one XML member through expat, stopping at the first limit crossed."""
    state = {"rows": 0, "cells": 0, "strings": 0, "text": 0}
    parser = expat.ParserCreate()

    def refuse_dtd(*_args):
        raise FileTooLarge("Excel 文件里有 DTD 声明（可能是恶意文件），不能导入")

    def start(tag, _attrs):
        local = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        if local == "row":
            state["rows"] += 1
            state["cells"] = 0
            if state["rows"] > MAX_SHEET_ROWS:
                raise FileTooLarge(f"表格行数太多（最多 {MAX_ENTRIES} 条问答）")
        elif local == "c":
            state["cells"] += 1
            if state["cells"] > MAX_ROW_CELLS:
                raise FileTooLarge(f"表格第 {state['rows']} 行的单元格太多（最多 {MAX_ROW_CELLS} 列）")
        elif local == "si" and shared_strings:
            state["strings"] += 1
            if state["strings"] > MAX_SHARED_STRINGS:
                raise FileTooLarge("表格里的文字太多，不像是问答库文件")
        if local in ("c", "si"):
            state["text"] = 0

    def text(data):
        state["text"] += len(data)
        if state["text"] > MAX_CELL_CHARS:
            raise FileTooLarge(f"表格里有一个单元格超过 {MAX_CELL_CHARS} 字")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.CharacterDataHandler = text
    try:
        while chunk := source.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise FileTooLarge(f"Excel 文件里的 {name} 不是正确的 XML，文件可能已损坏") from exc


def scan_xlsx(data: bytes) -> None:
    """Refuse a workbook whose unpacked size, rows, cells or texts are over the limits (before openpyxl opens it)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise FileTooLarge("无法读取 Excel 文件（需要 .xlsx 格式）") from exc
    if len(members) > MAX_MEMBERS:
        raise FileTooLarge("Excel 文件里的部件太多，不像是问答库文件")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise FileTooLarge(f"Excel 文件解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB（可能是压缩炸弹），不能导入")
    for member in members:
        name = member.filename
        big = name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        if not big and member.file_size > MAX_OTHER_MEMBER_BYTES:
            raise FileTooLarge(f"Excel 文件里的 {name} 太大，不像是问答库文件")
        if big and name.endswith(".xml"):
            try:
                with archive.open(member) as source:
                    _scan_xml(source, name, shared_strings=name == "xl/sharedStrings.xml")
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
                # a bad CRC, a truncated or encrypted member, an unknown compression method ...
                raise FileTooLarge("Excel 文件已损坏，无法读取") from exc
