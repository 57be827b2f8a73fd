"""The three reading pages: reserve dashboard, outstanding advances, findings.

Each is a Fava extension (`FavaExtensionBase` subclass) with a template of its class name in
`templates/`. Every number comes from `ledger/` through the shared `State`, so Fava shows what
`reserve report`, `reserve advances` and `reserve audit` print.
"""

from __future__ import annotations

import datetime
from typing import Any

from fava.context import g
from flask import request

from ledger.advances import AdvanceRow
from reserve_fava import views
from reserve_fava.base import ReservePage


class ReserveDashboard(ReservePage):
    """Per county and township, for Fava's selected time range: allocated, paid, balance, use."""

    title = "Reserve"

    def period(self, as_of: datetime.date) -> tuple[datetime.date, datetime.date]:
        """Return the first and last day of Fava's time filter, else of the whole books.

        Without a time filter the range runs from the first entry to the audit date (or the
        last entry, if that is later).
        """
        date_range = g.filtered.date_range
        if date_range is not None:
            return date_range.begin, date_range.end_inclusive
        entries = self.ledger.all_entries
        if not entries:
            return as_of, as_of
        return min(entries[0].date, as_of), max(entries[-1].date, as_of)

    def content(self) -> dict[str, Any]:
        """Return the period and the dashboard lines (townships, county totals, the city)."""
        as_of = self.as_of()
        start, end = self.period(as_of)

        def make() -> dict[str, Any]:
            report = self.state.report_for(self.ledger, start, end, as_of)
            return {
                "rows": self.state.dashboard_for(self.ledger, start, end, as_of),
                "currency": report.currency,
            }

        return {"as_of": as_of, "start": start, "end": end, **self.safely(make)}


class ReserveAdvances(ReservePage):
    """Outstanding emergency advances with age, due date and days overdue."""

    title = "Advances"

    def content(self) -> dict[str, Any]:
        """Return the advances outstanding on the audit date, most overdue first."""
        as_of = self.as_of()

        def make() -> dict[str, Any]:
            found = self.state.advances(self.ledger, as_of)
            rows = sorted(
                found, key=lambda r: (-r.days_overdue, r.date or datetime.date.min, r.case)
            )
            directory = self.state.books(self.ledger, as_of).directory
            return {
                "rows": rows,
                "total": sum((r.outstanding for r in rows), views.ZERO),
                "county_names": {c: directory.county_name(c) for c in directory.counties},
            }

        return {"as_of": as_of, **self.safely(make)}

    def age(self, row: AdvanceRow) -> int | None:
        """Return the days since the advance was paid, on the audit date."""
        return (row.as_of - row.date).days if row.date is not None else None


class ReserveFindings(ReservePage):
    """Every finding, warnings and explained ones included, filterable, linked to its line."""

    title = "Findings"

    def chosen(self) -> views.FindingFilter:
        """Return the filter asked for in the URL (`code`, `township`, `kind`)."""
        kind = request.args.get("kind", "")
        return views.FindingFilter(
            code=request.args.get("code", ""),
            township=request.args.get("township", ""),
            kind=kind if kind in ("error", "warning", "explained") else "",
        )

    def content(self) -> dict[str, Any]:
        """Return the audit as of the audit date (computed once per date), filtered."""
        as_of = self.as_of()
        chosen = self.chosen()

        def make() -> dict[str, Any]:
            result = self.state.findings(self.ledger, as_of)
            return {
                "view": views.findings_view(result.findings, chosen),
                "failed": result.failed,
            }

        return {"as_of": as_of, "chosen": chosen, **self.safely(make)}


__all__ = ["ReserveAdvances", "ReserveDashboard", "ReserveFindings"]
