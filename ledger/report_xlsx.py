"""A report as an Excel workbook (xlsxwriter): title, frozen header, number formats, totals.

One sheet "报表": the title in row 1, the header in row 3 (frozen with the place column),
then each county's townships followed by the county's total (bold) and the city total (bold,
top border), then the summaries "N 人次，X 万元". Money cells are numbers formatted
`#,##0.00`, use % a fraction formatted `0.0%`, counts integers; in the public form a small
count is the text "<3" (SPEC §8).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import xlsxwriter

from ledger.report_format import COLUMNS
from ledger.report_format import MONEY_KEYS
from ledger.report_format import row_values
from ledger.report_format import summary
from ledger.report_format import title
from ledger.report_rows import Report
from ledger.report_rows import Row

SHEET = "报表"
HEADER_ROW = 2  # 0-based: row 3 in Excel.


def _formats(book: Any) -> dict[str, Any]:
    base = {"font_name": "SimSun", "font_size": 10}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14}),
        "header": book.add_format(
            {**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
             "align": "center", "valign": "vcenter"}
        ),
        "text": book.add_format(base),
        "money": book.add_format({**base, "num_format": "#,##0.00"}),
        "percent": book.add_format({**base, "num_format": "0.0%"}),
        "count": book.add_format({**base, "num_format": "0", "align": "right"}),
        "days": book.add_format({**base, "num_format": "0.0"}),
        "total_text": book.add_format({**base, "bold": True, "top": 1}),
        "total_money": book.add_format({**base, "bold": True, "top": 1, "num_format": "#,##0.00"}),
        "total_percent": book.add_format({**base, "bold": True, "top": 1, "num_format": "0.0%"}),
        "total_count": book.add_format(
            {**base, "bold": True, "top": 1, "num_format": "0", "align": "right"}
        ),
        "total_days": book.add_format({**base, "bold": True, "top": 1, "num_format": "0.0"}),
    }


def _cell(key: str, value: Any) -> tuple[Any, str]:
    """Return the value to write and the kind of format for one column."""
    if value is None:
        return None, "text"
    # Excel stores numbers as doubles: the Decimal becomes a float only here, at the edge.
    if key in MONEY_KEYS:
        return float(Decimal(value)), "money"
    if key == "use_percent":
        return float(Decimal(value) / 100), "percent"
    if key == "median_days":
        return float(Decimal(value)), "days"
    return value, "count"


def _write_row(sheet: Any, formats: dict[str, Any], at: int, row: Row, public: bool) -> None:
    values = row_values(row, public)
    total = row.level != "township"
    prefix = "total_" if total else ""
    name = row.name if not total else f"{row.name}合计"
    sheet.write_string(at, 0, name, formats[f"{prefix}text"])
    for column, (key, _) in enumerate(COLUMNS, start=1):
        value, kind = _cell(key, values[key])
        fmt = formats[f"{prefix}{kind}"]
        if value is None:
            sheet.write_blank(at, column, None, fmt)
        elif isinstance(value, str):
            sheet.write_string(at, column, value, fmt)
        else:
            sheet.write_number(at, column, value, fmt)


def to_bytes(report: Report, public: bool) -> bytes:
    """Return the report as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    try:
        formats = _formats(book)
        sheet = book.add_worksheet(SHEET)
        sheet.write_string(0, 0, title(report, public), formats["title"])
        headers = ["乡镇(街道)", *(label for _, label in COLUMNS)]
        for column, label in enumerate(headers):
            sheet.write_string(HEADER_ROW, column, label, formats["header"])
        sheet.set_row(HEADER_ROW, 30)
        sheet.set_column(0, 0, 20)
        sheet.set_column(1, len(COLUMNS), 12)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        at = HEADER_ROW + 1
        for row in report.rows():
            _write_row(sheet, formats, at, row, public)
            at += 1
        at += 1
        sheet.write_string(at, 0, f"全市：{summary(report.city, public)}", formats["text"])
        for county in report.counties:
            at += 1
            sheet.write_string(at, 0, f"{county.name}：{summary(county, public)}", formats["text"])
    finally:
        book.close()
    return buffer.getvalue()
