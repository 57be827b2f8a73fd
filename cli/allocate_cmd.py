"""`reserve allocate`: the year's (or quarters') reserve allocations (SPEC §1, §3, §7)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from decimal import InvalidOperation

import click

from cli.errors import UsageError
from cli.options import books_argument
from cli.options import parse_date
from ledger import allocation
from ledger import bookfile
from ledger import books as books_mod

HEADER = "; Reserve allocations (备用金拨付), written by `reserve allocate`.\n"


#: No allocation or city total comes near it (and Decimal's quantize fails far above it).
_TOO_LARGE = Decimal("1e12")


def _amount(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value.replace(",", "").strip())
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():  # NaN and Infinity are no amounts.
        raise UsageError(f"{option} {value!r} is not an amount")
    if abs(amount) >= _TOO_LARGE:
        raise UsageError(f"{option} {value!r} is too large for a reserve allocation")
    return amount


def _plan(books: str, year: int, **options: object) -> allocation.Plan:
    try:
        loaded = books_mod.load(books, datetime.date(year, 12, 31))
    except books_mod.BooksError as exc:
        raise UsageError(str(exc)) from None
    try:
        return allocation.plan(loaded, year, **options)  # type: ignore[arg-type]
    except allocation.AllocationError as exc:
        raise UsageError(f"{books}: {exc}") from None


def _summary(plan: allocation.Plan) -> list[str]:
    currency = plan.allocations[0].currency if plan.allocations else "CNY"
    townships = len({a.township.reserve for a in plan.allocations})
    lines = [
        f"{len(plan.allocations)} allocation(s) of {plan.year} to {townships} township(s): "
        f"{plan.allocated:.2f} {currency}"
    ]
    if plan.total is not None and plan.remainder is not None:
        lines.append(
            f"population split of {plan.total:.2f} {currency}: remainder "
            f"{plan.remainder:.2f} {currency} (the total less the shares, which are kept "
            "within the policy range)"
        )
    return lines


@click.command("allocate")
@books_argument
@click.option("--year", required=True, type=int, metavar="YYYY", help="Year allocated.")
@click.option("--amount", metavar="A", help="Yearly amount for every township.")
@click.option(
    "--by-population", "by_population", metavar="TOTAL",
    help="Split a yearly total by the townships' population.",
)
@click.option("--quarterly", is_flag=True, help="Four transfers, on each quarter's first day.")
@click.option("--date", "on", metavar="YYYY-MM-DD", help="Date of a yearly allocation.")
@click.option(
    "--county", "counties", multiple=True, metavar="C",
    help="Only this county's townships (repeatable; default: every county).",
)
@click.option("--dry-run", is_flag=True, help="Print the entries; write nothing.")
def command(
    books: str, year: int, amount: str | None, by_population: str | None, quarterly: bool,
    on: str | None, counties: tuple[str, ...], dry_run: bool,
) -> None:
    """Book the reserve allocations of a year from each county treasury to its townships.

    One transaction per township (or per quarter with --quarterly), tagged #allocation with
    `period: "YYYY"` (or "YYYYQn"), dated 1 January (each quarter's first day) unless
    --date. The amount is --amount, a population share of --by-population (rounded to the
    fen and kept within the policy's reserve-allocation range, the remainder reported), or
    by default the range's minimum. The entries go to YYYY/allocations.beancount beside the
    main file, which gets its include line. Refuses a year already allocated to any chosen
    township, and dates on or before the latest seal.

    Exit 0 on success, 2 for bad input (nothing written).

    \b
    Examples:
      reserve allocate books/main.beancount --year 2025 --amount 40000 --dry-run
      reserve allocate books/main.beancount --year 2025 --by-population 1200000
      reserve allocate books/main.beancount --year 2025 --quarterly --county Yingze
    """
    options = {
        "amount": _amount(amount, "--amount"),
        "by_population": _amount(by_population, "--by-population"),
        "quarterly": quarterly,
        "on": parse_date(on, "--date"),
        "counties": counties,
    }
    if not 1900 < year < 10000:
        raise UsageError(f"--year {year}: not a calendar year")
    if dry_run:
        plan = _plan(books, year, **options)
        click.echo(plan.text(), nl=False)
        for line in _summary(plan):
            click.echo(f"; {line} (dry run: nothing written)")
        return
    with bookfile.Transaction(books) as change:
        # Planned under the lock, so that two runs cannot both allocate the year.
        plan = _plan(books, year, **options)
        change.append(plan.path, plan.text(), header=HEADER)
        change.commit()
    for line in _summary(plan):
        click.echo(line)
    click.echo(f"written to {plan.path.as_posix()}")
