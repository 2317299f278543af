"""/admin/cases/report: the month's case figures (intake/report.py) on a page, and the Excel workbook in the layout
of the monthly report upward (a title, the totals, by kind, by procuratorate, by status, the last twelve months,
and the list of cases without names or phone numbers). Each export is recorded."""

from __future__ import annotations

import io
import re

from flask import Response, render_template, request
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from console.access import services
from console.cases import actor, bp, in_scope
from console.exports import XLSX_MIME
from intake.report import case_report, this_month
from intake.texts import day
from storage.vocab import CASE_KIND_LABELS, CASE_STATUS_LABELS

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
GROUP_HEADER = ("类别", "登记件数", "涉及金额（元）", "已联系", "超期未联系", "按期联系率", "首次联系中位用时（工作日）")


def _month() -> str:
    month = request.args.get("month", "")
    return month if _MONTH.match(month) else this_month()


def _report(month: str) -> dict:
    return case_report(in_scope(personal=False), services().casework, month)


@bp.get("/report")
def report():
    month = _month()
    return render_template("case_report.html", r=_report(month), month=month, title=_title(month))


@bp.get("/report.xlsx")
def report_xlsx():
    month = _month()
    data = workbook(_report(month), _title(month))
    services().store.case_access.record(actor(), "export", None, {"month": month, "format": "xlsx"})
    return Response(
        data, mimetype=XLSX_MIME, headers={"Content-Disposition": f'attachment; filename="cases-{month}.xlsx"'}
    )


def _title(month: str) -> str:
    name = services().settings.procuratorates.main
    year, mon = month.split("-")
    return f"{name}支持起诉和欠薪线索登记月报（{year}年{int(mon)}月）"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _group_row(g: dict) -> list:
    return [g["label"], g["cases"], g["amount"], g["contacted"], g["overdue"], _pct(g["within_share"]),
            g["median_days"] if g["median_days"] is not None else "—"]  # fmt: skip


def workbook(r: dict, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "月报"
    bold = Font(bold=True)
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(GROUP_HEADER))
    ws["A1"].alignment = Alignment(horizontal="center")
    t = r["total"]
    ws.append([f"统计口径：{r['month']} 月内登记的案件；承诺 {r['promise_days']} 个工作日内电话联系。"])
    sections = [
        ("一、总体情况", [("登记件数", t["cases"]), ("涉及金额（元）", t["amount"]), ("已联系", t["contacted"]),
                         ("超期未联系", t["overdue"]), ("按期联系率", _pct(t["within_share"])),
                         ("首次联系中位用时（工作日）", t["median_days"] if t["median_days"] is not None else "—"),
                         ("首次联系中位用时（小时）", t["median_hours"] if t["median_hours"] is not None else "—")]),
    ]  # fmt: skip
    for heading, pairs in sections:
        ws.append([])
        ws.append([heading])
        ws.cell(ws.max_row, 1).font = bold
        for label, value in pairs:
            ws.append([label, value])
    for heading, key, first in (("二、按类别", "by_kind", "类别"), ("三、按检察院", "by_procuratorate", "检察院"),
                                ("四、按办理状态", "by_status", "状态"), ("五、近十二个月", "by_month", "月份")):  # fmt: skip
        ws.append([])
        ws.append([heading])
        ws.cell(ws.max_row, 1).font = bold
        ws.append([first, *GROUP_HEADER[1:]])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for g in r[key]:
            ws.append(_group_row(g))
    ws.column_dimensions["A"].width = 30
    for col in "BCDEFG":
        ws.column_dimensions[col].width = 16
    detail = wb.create_sheet("案件明细")
    detail.append(["登记编号", "登记日期", "类别", "县（区）", "检察院", "状态", "金额（元）", "首次联系", "按期联系"])
    for c in r["cases"]:
        within = services().casework.within_promise(c)
        detail.append([
            c["number"], day(c["created"]), CASE_KIND_LABELS.get(c["kind"], c["kind"]), c["county"] or "",
            c["procuratorate"], CASE_STATUS_LABELS.get(c["status"], c["status"]), c["amount"],
            day(c["first_contact"]) if c["first_contact"] else "", {True: "是", False: "否", None: ""}[within],
        ])  # fmt: skip
    for cell in detail[1]:
        cell.font = bold
    detail.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
