"""`reserve advances`: the advances outstanding on a date, with due date and age (SPEC §7)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import click

from cli.options import as_of_option
from cli.options import books_argument
from cli.options import books_for_audit
from cli.options import parse_date
from ledger import advances
from ledger.advances import AdvanceRow
from ledger.findings import format_amount

#: (key of `advances.to_dict`, text header) of the table's columns.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("county", "county"),
    ("township_name", "township"),
    ("case", "case"),
    ("date", "advanced on"),
    ("age_days", "age (days)"),
    ("advanced", "advanced"),
    ("settled", "settled"),
    ("recovered", "recovered"),
    ("outstanding", "outstanding"),
    ("due", "due"),
    ("days_overdue", "days overdue"),
)
_NUMERIC = frozenset(
    {"age_days", "advanced", "settled", "recovered", "outstanding", "days_overdue"}
)
#: The CSV columns: the keys of `advances.to_dict`, in its order.
CSV_FIELDS: tuple[str, ...] = advances.FIELDS


def ordered(rows: Sequence[AdvanceRow]) -> list[AdvanceRow]:
    """Return rows overdue first (most days first), then by place, date and case."""
    return sorted(
        rows,
        key=lambda r: (-r.days_overdue, r.county, r.township, r.date or r.as_of, r.case),
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _township(row: AdvanceRow) -> str:
    if row.township_name and row.township_name != row.township:
        return f"{row.township_name} ({row.township})"
    return row.township


def as_text(rows: Sequence[AdvanceRow], as_of: str) -> str:
    """Return a table of the rows, then the outstanding total of each township."""
    if not rows:
        return f"No advance outstanding on {as_of}.\n"
    table = [[header for _, header in COLUMNS]]
    for row in rows:
        values = advances.to_dict(row)
        values["township_name"] = _township(row)
        table.append(["" if values[key] is None else str(values[key]) for key, _ in COLUMNS])
    widths = [max(_width(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = []
    for line in table:
        cells = [
            _pad(cell, widths[i], COLUMNS[i][0] in _NUMERIC) for i, cell in enumerate(line)
        ]
        lines.append("  ".join(cells).rstrip())
    lines += ["", f"Outstanding on {as_of}, per township:"]
    totals: dict[tuple[str, str, str], list[Decimal | int]] = defaultdict(
        lambda: [Decimal(0), 0, 0]
    )
    for row in rows:
        total = totals[(row.county, _township(row), row.currency)]
        total[0] += row.outstanding
        total[1] += 1
        total[2] += 1 if row.days_overdue else 0
    for (county, township, currency), (amount, count, overdue) in sorted(totals.items()):
        lines.append(
            f"  {county} {township}: {format_amount(Decimal(amount))} {currency} in {count} "
            f"advance(s), {overdue} overdue"
        )
    everything = sum((r.outstanding for r in rows), Decimal(0))
    overdue_count = sum(1 for r in rows if r.days_overdue)
    currency = rows[0].currency
    lines.append(
        f"Total: {format_amount(everything)} {currency} in {len(rows)} advance(s), "
        f"{overdue_count} overdue."
    )
    return "\n".join(lines) + "\n"


def as_json(rows: Sequence[AdvanceRow]) -> str:
    """Return the rows as a JSON list of objects (amounts as strings) and nothing else."""
    return (
        json.dumps([advances.to_dict(r) for r in rows], ensure_ascii=False, indent=2) + "\n"
    )


def as_csv(rows: Sequence[AdvanceRow]) -> str:
    """Return the rows as CSV with the JSON keys as columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_FIELDS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(advances.to_dict(row))
    return out.getvalue()


@click.command("advances")
@books_argument
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(books: str, as_of: str | None, fmt: str) -> None:
    """List the emergency advances of BOOKS still outstanding on the audit date.

    One row per advance (its ^adv- link): county, township, case, date advanced, its age
    (whole days from that date to the audit date; age_days in JSON and CSV), amounts
    advanced, settled, recovered and outstanding, the due date (advance date plus the
    advance-deadline in force that day) and the days overdue. Overdue advances come first;
    the text output ends with the outstanding total of each township. Only entries dated on
    or before the audit date count. The audit date is --as-of, else the as_of of the
    project plugins' config in the books, else today.

    Exit 0 on success, 2 for bad input (unreadable books, a bad date).

    \b
    Examples:
      reserve advances books/main.beancount
      reserve advances books/main.beancount --as-of 2025-12-31 --format json
      reserve advances books/main.beancount --format csv > advances.csv
    """
    date = parse_date(as_of, "--as-of")
    loaded = books_for_audit(books, date)
    rows = ordered(advances.outstanding(loaded))
    if fmt == "json":
        click.echo(as_json(rows), nl=False)
    elif fmt == "csv":
        click.echo(as_csv(rows), nl=False)
    else:
        click.echo(as_text(rows, loaded.as_of.isoformat()), nl=False)
