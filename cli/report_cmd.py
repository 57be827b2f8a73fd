"""`reserve report`: per-township figures and city totals of a year (SPEC §8)."""

from __future__ import annotations

from pathlib import Path

import click

from cli.errors import UsageError
from cli.options import books_argument
from ledger import books as books_mod
from ledger import report_format
from ledger import reports
from ledger.plugin import no_gc
from ledger.report_rows import Report


@click.command("report")
@books_argument
@click.option("--year", type=int, metavar="YYYY", help="Calendar year (default: this year).")
@click.option("--public", is_flag=True, help='No personal field; counts below 3 as "<3".')
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv", "xlsx"]), default="text",
    show_default=True, help="Output format.",
)
@click.option(
    "--output", "-o", metavar="FILE", type=click.Path(dir_okay=False),
    help="Write to FILE instead of standard output (xlsx: default report-YYYY.xlsx).",
)
def command(books: str, year: int | None, public: bool, fmt: str, output: str | None) -> None:
    """Report allocations, relief paid, advances, balances and use per township of BOOKS.

    For each township and county, and the whole city: allocated (gross), returned, relief
    paid by procedure, advances outstanding, in transit, balance, use %, person-times
    (人次), distinct recipients and the median days from application to payment; then the
    totals as "N 人次，X 万元". --public leaves out every personal field and shows counts
    below 3 as "<3". A spreadsheet (xlsx) is written to --output, by default to
    report-YYYY.xlsx (-public.xlsx with --public) in the current folder.

    Exit 0 on success, 2 for bad input (unreadable books, a bad option).

    \b
    Examples:
      reserve report books/main.beancount --year 2025
      reserve report books/main.beancount --year 2025 --public --format csv -o 2025.csv
      reserve report books/main.beancount --year 2025 --format xlsx
    """
    today = books_mod.today()
    year = year if year is not None else today.year
    if not 1900 < year < 10000:
        raise UsageError(f"--year {year}: not a calendar year")
    try:
        loaded = books_mod.load(books)
    except books_mod.BooksError as exc:
        raise UsageError(str(exc)) from None
    if loaded.errors:
        click.echo(
            f"reserve: warning: the books have {len(loaded.errors)} Beancount error(s); "
            "run `reserve audit` for details",
            err=True,
        )
    with no_gc():
        report = reports.year_report(loaded, year)
    if fmt == "xlsx":
        _write_xlsx(report, public, output or _default_xlsx(year, public))
        return
    text = report_format.render(report, fmt, public)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"--output {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)


def _default_xlsx(year: int, public: bool) -> str:
    return f"report-{year}{'-public' if public else ''}.xlsx"


def _write_xlsx(report: Report, public: bool, output: str) -> None:
    from ledger import report_xlsx

    if output == "-":
        raise UsageError("--format xlsx needs a file: give --output FILE.xlsx")
    try:
        Path(output).write_bytes(report_xlsx.to_bytes(report, public))
    except OSError as exc:
        raise UsageError(f"--output {output}: {exc.strerror or exc}") from None
    click.echo(f"wrote {output}", err=True)
