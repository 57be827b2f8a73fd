"""A report as text, JSON or CSV (SPEC §8), in full or public form.

Every format goes through `row_values`, so they show the same figures. The public form holds
no personal field (the report holds none: no names, hashes or case numbers, only places and
sums) and shows any count below 3 as "<3"; a median over fewer than 3 payments is left out
(it would tell how long one person waited).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal
from typing import Any

from ledger.report_rows import CENT
from ledger.report_rows import Report
from ledger.report_rows import Row

#: Counts below this are shown as "<3" in the public form.
PUBLIC_MIN_COUNT = 3
SMALL_COUNT = "<3"

#: (JSON/CSV key, Chinese header) of every column after the place columns.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("allocated", "拨付"),
    ("returned", "退回"),
    ("small", "小额"),
    ("general", "一般"),
    ("emergency", "紧急"),
    ("paid", "支出合计"),
    ("advances", "预付未结"),
    ("in_transit", "在途"),
    ("balance", "余额"),
    ("used", "使用额"),
    ("use_percent", "使用率%"),
    ("disbursed", "救助金额"),
    ("person_times", "人次"),
    ("recipients", "人数"),
    ("median_days", "中位天数"),
)
PLACE_KEYS: tuple[str, ...] = ("level", "county", "township", "name")
COUNT_KEYS = frozenset({"person_times", "recipients"})
MONEY_KEYS = frozenset(
    {"allocated", "returned", "small", "general", "emergency", "paid", "advances",
     "in_transit", "balance", "used", "disbursed"}
)


def money(number: Decimal) -> str:
    """Return an amount as written in the books' reports: two decimals, no grouping."""
    return str(number.quantize(CENT))


def count(value: int, public: bool) -> int | str:
    """Return a count, or "<3" for a small count in the public form."""
    return SMALL_COUNT if public and value < PUBLIC_MIN_COUNT else value


def row_values(row: Row, public: bool) -> dict[str, Any]:
    """Return a row's fields: money as strings, counts as int (or "<3"), None when empty."""
    values: dict[str, Any] = {
        "level": row.level,
        "county": row.county,
        "township": row.township,
        "name": row.name,
    }
    for key, _ in COLUMNS:
        if key in MONEY_KEYS:
            values[key] = money(getattr(row, key))
        elif key in COUNT_KEYS:
            values[key] = count(getattr(row, key), public)
    percent = row.use_percent
    values["use_percent"] = str(percent) if percent is not None else None
    hide_median = public and row.median_count < PUBLIC_MIN_COUNT
    median = None if hide_median or row.median_days is None else str(row.median_days)
    values["median_days"] = median
    values["summary"] = summary(row, public)
    return values


def summary(row: Row, public: bool) -> str:
    """Return "N 人次，X 万元" (N as "<3" when small in the public form)."""
    return f"{count(row.person_times, public)} 人次，{row.wan} 万元"


def title(report: Report, public: bool) -> str:
    """Return the report's title line."""
    mark = "（公开版）" if public else ""
    return (
        f"临时救助备用金报表 {report.label}{mark}"
        f"（{report.start.isoformat()} 至 {report.end.isoformat()}，单位：{report.currency}）"
    )


def as_json(report: Report, public: bool) -> str:
    """Return the report as one JSON object."""
    payload = {
        "period": report.label,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "currency": report.currency,
        "public": public,
        "townships": [row_values(r, public) for r in report.townships],
        "counties": [row_values(r, public) for r in report.counties],
        "city": row_values(report.city, public),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def as_csv(report: Report, public: bool) -> str:
    """Return every row (townships, county totals, city) as CSV with the JSON keys."""
    out = io.StringIO()
    fields = [*PLACE_KEYS, *(key for key, _ in COLUMNS), "summary"]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in report.rows():
        writer.writerow(row_values(row, public))
    return out.getvalue()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, left: bool) -> str:
    space = " " * (width - _width(text))
    return text + space if left else space + text


def as_text(report: Report, public: bool) -> str:
    """Return the report as an aligned table with the city and county summaries."""
    header = ["乡镇(街道)", *(label for _, label in COLUMNS)]
    lines: list[list[str]] = []
    for row in report.rows():
        values = row_values(row, public)
        name = row.name if row.level == "township" else f"{row.name}合计"
        cells = [name]
        for key, _ in COLUMNS:
            value = values[key]
            cells.append("-" if value is None else str(value))
        lines.append(cells)
    widths = [max(_width(r[i]) for r in [header, *lines]) for i in range(len(header))]
    out = [title(report, public), ""]
    for cells in [header, *lines]:
        padded = [_pad(c, widths[i], i == 0) for i, c in enumerate(cells)]
        out.append("  ".join(padded).rstrip())
    out.append("")
    out.append(f"全市：{summary(report.city, public)}")
    for county in report.counties:
        out.append(f"{county.name}：{summary(county, public)}")
    return "\n".join(out) + "\n"


def render(report: Report, fmt: str, public: bool) -> str:
    """Return the report in a text format ("text", "json" or "csv")."""
    if fmt == "json":
        return as_json(report, public)
    if fmt == "csv":
        return as_csv(report, public)
    return as_text(report, public)
