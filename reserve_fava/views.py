"""What the templates show, built from `ledger/` results: no arithmetic of their own.

The dashboard's rows are `ledger.reports` rows with a bar and two highlights; the findings
list is `ledger.audit`'s, filtered by code, township and kind.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Sequence
from decimal import Decimal

from ledger.books import Books
from ledger.findings import Finding
from ledger.report_rows import Report
from ledger.report_rows import Row

ZERO = Decimal(0)
HUNDRED = Decimal(100)

#: At most this many findings are rendered at once (the filter narrows the rest).
FINDINGS_SHOWN = 500


def money(amount: Decimal | None) -> str:
    """Return an amount with thousands separators and two decimals ("45,000.00")."""
    if amount is None:
        return ""
    return f"{amount:,.2f}"


@dataclasses.dataclass(frozen=True)
class DashboardRow:
    """One line of the dashboard.

    Attributes:
      row: the report row (township, county total or city total).
      county_name: the Chinese name of the row's county ("" for the city).
      bar: width of the use bar in per cent (0–100).
      overdrawn: reserve and cash below zero at the period's end.
      idle: the period closes a year (holds a 31 December) and the reserve left at its end
        is above the `reserve-idle` share of the period's allocation (as `RESERVE-IDLE`).
    """

    row: Row
    county_name: str
    bar: Decimal
    overdrawn: bool
    idle: bool

    @functools.cached_property
    def cells(self) -> tuple[str, ...]:
        """Return the money columns as written, formatted once (the lines are cached).

        Allocated, small, general, emergency, paid, advances outstanding, in transit, balance.
        """
        row = self.row
        return tuple(
            money(amount)
            for amount in (
                row.allocated, row.small, row.general, row.emergency, row.paid, row.advances,
                row.in_transit, row.balance,
            )
        )

    @property
    def kind(self) -> str:
        """Return the CSS class of the line."""
        classes = [self.row.level]
        if self.overdrawn:
            classes.append("overdrawn")
        if self.idle:
            classes.append("idle")
        return " ".join(classes)


def dashboard(report: Report, books: Books) -> list[DashboardRow]:
    """Return the dashboard lines: each county's townships, the county total; the city.

    Idleness is only judged over a period that closes a year: in the middle of a year most
    of a reserve is rightly still unspent.
    """
    names = {row.county: row.name for row in report.counties}
    closes_year = report.end >= datetime.date(report.start.year, 12, 31)
    lines = []
    for row in report.rows():
        use = row.use_percent
        bar = min(max(use or ZERO, ZERO), HUNDRED)
        idle = False
        if closes_year and row.level == "township" and row.allocated > 0:
            share = _idle_share(books, row.county, report.end)
            idle = share is not None and row.balance > share * row.allocated
        lines.append(DashboardRow(row, names.get(row.county, ""), bar, row.balance < 0, idle))
    return lines


def _idle_share(books: Books, county: str, on: datetime.date) -> Decimal | None:
    """Return the `reserve-idle` share in force for a county on a date."""
    try:
        value = books.policy.setting("reserve-idle", county, on).value
    except (KeyError, LookupError, ValueError):
        return None
    return Decimal(str(value))


@dataclasses.dataclass(frozen=True)
class FindingFilter:
    """The findings page's filter: code, township ("County:Township") and kind."""

    code: str = ""
    township: str = ""
    kind: str = ""  # "", "error", "warning" or "explained"

    def keeps(self, finding: Finding) -> bool:
        """Return True when the finding passes the filter."""
        if self.code and finding.code != self.code:
            return False
        if self.township and f"{finding.county}:{finding.township}" != self.township:
            return False
        if self.kind == "explained":
            return finding.explained
        if self.kind in ("error", "warning"):
            return finding.severity == self.kind and not finding.explained
        return True


@dataclasses.dataclass(frozen=True)
class FindingsView:
    """The findings page: the choices of the filter and the findings it keeps."""

    shown: list[Finding]
    total: int
    codes: list[tuple[str, int]]
    townships: list[tuple[str, str, int]]
    errors: int
    warnings: int
    explained: int


def findings_view(findings: Sequence[Finding], chosen: FindingFilter) -> FindingsView:
    """Return the findings kept by the filter (at most `FINDINGS_SHOWN`) and the choices."""
    codes: dict[str, int] = {}
    places: dict[str, tuple[str, int]] = {}
    for f in findings:
        codes[f.code] = codes.get(f.code, 0) + 1
        if f.township:
            key = f"{f.county}:{f.township}"
            name, count = places.get(key, (f.township_name or f.township, 0))
            places[key] = (name, count + 1)
    kept = [f for f in findings if chosen.keeps(f)]
    return FindingsView(
        shown=kept[:FINDINGS_SHOWN],
        total=len(kept),
        codes=sorted(codes.items()),
        townships=[(key, name, count) for key, (name, count) in sorted(places.items())],
        errors=sum(1 for f in findings if f.severity == "error" and not f.explained),
        warnings=sum(1 for f in findings if f.severity == "warning" and not f.explained),
        explained=sum(1 for f in findings if f.explained),
    )
