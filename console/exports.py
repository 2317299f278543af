"""CSV and Excel downloads of tables (the log, the statistics), safe to open in Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Table = tuple[str, Sequence[str], Iterable[Sequence]]  # (sheet title, header, rows)


def csv_safe(value):
    """User text that Excel would run as a formula (=, +, -, @ ...) gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_bytes(tables: Sequence[Table]) -> bytes:
    """One CSV file; several tables are separated by a blank line, each under its title."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for i, (title, header, rows) in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([f"【{title}】"])
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_safe(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 Chinese correctly


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """One workbook with a sheet per table; text cells are always text, never formulas."""
    wb = Workbook(write_only=False)
    wb.remove(wb.active)
    for title, header, rows in tables:
        ws = wb.create_sheet(title[:31])
        ws.append(list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def table_response(tables: Sequence[Table], fmt: str, basename: str) -> Response:
    tables = [(t, h, list(rows)) for t, h, rows in tables]
    if fmt == "csv":
        data, mime = csv_bytes(tables), "text/csv; charset=utf-8"
    else:
        data, mime = xlsx_bytes(tables), XLSX_MIME
    return Response(data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{basename}.{fmt}"'})
