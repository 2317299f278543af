"""CSV and Excel downloads of tables (the log, the statistics): streamed as their rows are read, safe to open in
Excel, named after the dates they cover."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, stream_with_context

from console.xlsx import Percent, Sheet, stream_workbook

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_FLUSH_ROWS = 1000

Table = tuple[str, Sequence[str], Iterable[Sequence]]  # (sheet title, header, rows)


def csv_safe(value):
    """User text that Excel would run as a formula (=, +, -, @ ...) gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_stream(tables: Sequence[Table]) -> Iterator[bytes]:
    """One CSV file, in pieces; several tables are separated by a blank line, each under its title."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")  # the BOM makes Excel read UTF-8 Chinese correctly
    for i, (title, header, rows) in enumerate(tables):
        if len(tables) > 1:
            if i:
                writer.writerow([])
            writer.writerow([f"【{title}】"])
        writer.writerow(header)
        for n, row in enumerate(rows, start=1):
            writer.writerow([csv_safe(v) for v in row])
            if n % CSV_FLUSH_ROWS == 0:
                yield _take(out)
    yield _take(out)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8", "replace")
    buffer.seek(0)
    buffer.truncate()
    return data


def csv_bytes(tables: Sequence[Table]) -> bytes:
    return b"".join(csv_stream(tables))


def xlsx_bytes(tables: Sequence[Table], widths: dict[str, Sequence[float]] | None = None) -> bytes:
    return b"".join(stream_workbook(sheets(tables, widths)))


def sheets(tables: Sequence[Table], widths: dict[str, Sequence[float]] | None = None) -> list[Sheet]:
    return [Sheet(title, header, rows, (widths or {}).get(title)) for title, header, rows in tables]


def disposition(filename: str) -> str:
    """An attachment header with the ASCII name, and the same name percent-encoded for browsers that read it."""
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def table_response(
    tables: Sequence[Table], fmt: str, basename: str, widths: dict[str, Sequence[float]] | None = None
) -> Response:
    """A download of `tables` as CSV or Excel; the body is produced while it is sent (the first byte at once)."""
    if fmt == "csv":
        body, mime = csv_stream(tables), "text/csv; charset=utf-8"
    else:
        body, mime = stream_workbook(sheets(tables, widths)), XLSX_MIME
    response = Response(stream_with_context(body), mimetype=mime)
    response.headers["Content-Disposition"] = disposition(f"{basename}.{fmt}")
    response.headers["X-Accel-Buffering"] = "no"  # nginx: pass the stream on as it comes
    return response
