"""A streaming Excel (.xlsx) writer: each sheet's rows are compressed and sent as they are produced, so a workbook of
a million rows starts downloading at once and the server holds one batch of rows at a time.

An .xlsx file is a zip of XML parts; Python's zipfile writes to a stream that cannot seek (each member gets a data
descriptor after its data), and the workbook part, which names the filter ranges, is written last, when every
sheet's length is known. Text cells are inline strings, so user text is never a formula; cells hold real numbers,
dates and percentages; each sheet has a bold, frozen header row, column widths and an autofilter.
"""

from __future__ import annotations

import itertools
import math
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

MAX_CELL = 32_767  # Excel's limit on the characters in one cell
FLUSH_ROWS = 500
_EPOCH = datetime(1899, 12, 30)
# cellXfs below: 0 plain, 1 header, 2 date and time, 3 date, 4 percentage
_HEADER, _DATETIME, _DATE, _PERCENT = 1, 2, 3, 4


class LocalTime(str):
    """A time as the log stores it, "YYYY-MM-DD HH:MM:SS" (China time): text in CSV, a date-and-time cell in Excel
    (read from the string: parsing with strptime would cost more than the rest of a row)."""

    def serial(self) -> float | None:
        try:
            day = date(int(self[0:4]), int(self[5:7]), int(self[8:10])).toordinal() - _EPOCH.toordinal()
            return day + (int(self[11:13]) * 3600 + int(self[14:16]) * 60 + int(self[17:19])) / 86400
        except ValueError:
            return None


class Percent(float):
    """A share (0.25 for 25%): a number in Excel shown as a percentage, "25.0%" in CSV."""

    def __str__(self) -> str:
        return f"{self * 100:.1f}%"


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[float] | None = None  # in characters; None: from the header and the first rows


def column_letter(n: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def text_width(value) -> float:
    """Rough display width in characters: CJK characters count double."""
    text = str(value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text.split("\n")[0][:60])


def _text(ref: str, value: str) -> str:
    text = escape(ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL])
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _cell(ref: str, value) -> str:
    if type(value) is str:  # most cells: checked first
        return _text(ref, value) if value else ""
    if value is None or value == "":
        return ""
    if type(value) is LocalTime and (serial := value.serial()) is not None:
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial:.8f}</v></c>'
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, Percent):
        return f'<c r="{ref}" s="{_PERCENT}"><v>{float(value)!r}</v></c>'
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return ""
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="{_DATETIME}"><v>{serial:.8f}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    return _text(ref, str(value))


def _row(number: int, values: Sequence, letters: list[str], style: int = 0) -> str:
    while len(letters) < len(values):
        letters.append(column_letter(len(letters) + 1))
    if style:
        cells = "".join(
            f'<c r="{letters[i]}{number}" t="inlineStr" s="{style}"><is><t>{escape(str(v))}</t></is></c>'
            for i, v in enumerate(values)
        )
    else:
        cells = "".join(_cell(f"{letters[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


class _Sink:
    """A write-only file for zipfile: collects what was written until it is taken."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_workbook(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    """The .xlsx file, in pieces, as its rows are read from `sheets`."""
    sink = _Sink()
    sizes = []
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, compresslevel=5) as zf:
        zf.writestr("[Content_Types].xml", _content_types(len(sheets)))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        zf.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        yield sink.take()
        for i, sheet in enumerate(sheets, start=1):
            with zf.open(f"xl/worksheets/sheet{i}.xml", "w", force_zip64=True) as part:
                rows = iter(sheet.rows)
                first = list(itertools.islice(rows, 200)) if sheet.widths is None else []
                widths = sheet.widths or _widths(sheet.header, first)
                part.write(_sheet_head(widths).encode())
                letters: list[str] = []
                part.write(_row(1, sheet.header, letters, _HEADER).encode())
                n = 1
                batch: list[str] = []
                for values in _chain(first, rows):
                    n += 1
                    batch.append(_row(n, values, letters))
                    if n % FLUSH_ROWS == 0:  # compressed and sent a batch at a time
                        part.write("".join(batch).encode("utf-8", "replace"))
                        batch.clear()
                        yield sink.take()
                part.write("".join(batch).encode("utf-8", "replace"))
                last = column_letter(max(1, len(sheet.header)))
                part.write(f'</sheetData><autoFilter ref="A1:{last}{n}"/></worksheet>'.encode())
            sizes.append((sheet.title, last, n))
            yield sink.take()
        zf.writestr("xl/workbook.xml", _workbook(sizes))
    yield sink.take()


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def _widths(header: Sequence[str], rows: list[Sequence]) -> list[float]:
    out = []
    for i, title in enumerate(header):
        values = [title] + [r[i] for r in rows if i < len(r)]
        out.append(min(60.0, max(6.0, max(text_width(v) for v in values) + 2)))
    return out


def _sheet_head(widths: Sequence[float]) -> str:
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:.1f}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
        ' state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>{"<cols>" + cols + "</cols>" if cols else ""}<sheetData>'
    )


def _sheet_name(title: str) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\."""
    return "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"


def _workbook(sizes: list[tuple[str, str, int]]) -> str:
    names = [_sheet_name(t) for t, _, _ in sizes]
    sheets = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(names, 1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(_quoted(name))}!$A$1:${last}${n}</definedName>"
        for i, (name, (_, last, n)) in enumerate(zip(names, sizes, strict=True))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets><definedNames>{filters}</definedNames></workbook>"
    )


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _content_types(n: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>"
    )


def _workbook_rels(n: int) -> str:
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
        f' Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, n + 1)
    )
    styles = (
        f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
        ' Target="styles.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}{styles}'
        "</Relationships>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
    ' Target="xl/workbook.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="0.0%"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
