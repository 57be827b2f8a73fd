"""Emergency advances: ADVANCE-OVERDUE, ADVANCE-LATE, ADVANCE-UNLINKED, ADVANCE-OVERSETTLED.

An advance (先行救助) is money paid before the approval is completed; it must be settled into
an expense or recovered within `advance-deadline` days (SPEC §3, §5). An advance never settled
is the key audit finding. Advances are matched by their `^adv-` link (`ledger.advances`), so a
posting to `Assets:Advances` without exactly one such link cannot be followed at all.
"""

from __future__ import annotations

from decimal import Decimal

from beancount.core import data

from ledger import accounts
from ledger import advances
from ledger.advances import AdvanceRow
from ledger.books import Books
from ledger.disbursement import case_of
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location

ZERO = Decimal(0)


def _finding(
    code: str, row: AdvanceRow, entry: data.Transaction, amount: Decimal, message: str
) -> Finding:
    file, line = location(entry.meta)
    return Finding(
        code=code,
        message=f"{code} {row.township_name} case {row.case}: {message}",
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=row.county,
        township=row.township,
        township_name=row.township_name,
        case=row.case,
        amount=amount,
        currency=row.currency,
        entry=entry,
        key=accounts.account_for("advances", row.county, row.township)
        if row.county and row.township
        else "",
    )


def _limit(row: AdvanceRow) -> str:
    return f"advance-deadline {row.deadline} days, {row.policy}"


def _money(amount: Decimal, row: AdvanceRow) -> str:
    return f"{format_amount(amount)} {row.currency}"


def overdue(row: AdvanceRow) -> Finding | None:
    """Return ADVANCE-OVERDUE for an advance outstanding past its due date."""
    if row.due is None or row.date is None or row.days_overdue <= 0:
        return None
    return _finding(
        "ADVANCE-OVERDUE",
        row,
        row.entry,
        row.outstanding,
        f"{_money(row.outstanding, row)} of {_money(row.advanced, row)} advanced on "
        f"{row.date.isoformat()} still outstanding, due {row.due.isoformat()} ({_limit(row)})",
    )


def late(row: AdvanceRow) -> Finding | None:
    """Return ADVANCE-LATE (warning) for an advance cleared after its due date."""
    if row.due is None or row.date is None or row.settled_on is None or row.days_late <= 0:
        return None
    entry = row.cleared_by or row.entry
    return _finding(
        "ADVANCE-LATE",
        row,
        entry,
        row.advanced,
        f"{_money(row.advanced, row)} advanced on {row.date.isoformat()} settled on "
        f"{row.settled_on.isoformat()}, {row.days_late} days after its due date "
        f"{row.due.isoformat()} ({_limit(row)})",
    )


def oversettled(row: AdvanceRow) -> Finding | None:
    """Return ADVANCE-OVERSETTLED when settlements and recoveries exceed the advance."""
    if row.excess <= 0:
        return None
    entry = row.oversettled_by or row.entry
    return _finding(
        "ADVANCE-OVERSETTLED",
        row,
        entry,
        row.excess,
        f"{_money(row.settled, row)} settled and {_money(row.recovered, row)} recovered "
        f"under ^{row.link}, {_money(row.excess, row)} more than the "
        f"{_money(row.advanced, row)} advanced",
    )


def unlinked(books: Books) -> list[Finding]:
    """Return ADVANCE-UNLINKED for postings to `Assets:Advances` without one `^adv-` link."""
    found = []
    directory = books.directory
    view = books.postings
    # The transactions posting to advances, from those accounts' own postings.
    touching = view.touching(
        position
        for account in view.accounts(advances.is_advances_account)
        for position, *_ in view.by_account[account]
    )
    for entry in touching:
        links = advances.adv_links(entry) if entry.links else []
        if len(links) == 1:
            continue
        postings = [p for p in entry.postings if advances.is_advances_account(p.account)]
        numbers = [
            p.units.number for p in postings if p.units and p.units.number is not None
        ]
        positive = sum((n for n in numbers if n > 0), ZERO)
        amount = positive or -sum((n for n in numbers if n < 0), ZERO)
        currency = next((str(p.units.currency) for p in postings if p.units), "")
        info = accounts.parse(postings[0].account)
        county = info.county if info else ""
        township = info.township if info else ""
        name = directory.township_name(county, township) if info else postings[0].account
        case = case_of(entry)
        what = (
            f"{len(links)} ^adv- links ({', '.join(sorted(links))})"
            if links
            else "no ^adv- link"
        )
        file, line = location(entry.meta)
        found.append(
            Finding(
                code="ADVANCE-UNLINKED",
                message=(
                    f"ADVANCE-UNLINKED {name} case {case or '(none)'}: "
                    f"{format_amount(amount)} {currency} posted to {postings[0].account} "
                    f"with {what}; an advance needs exactly one"
                ),
                file=file,
                line=line,
                date=entry.date.isoformat(),
                county=county,
                township=township,
                township_name=name if info else "",
                case=case,
                amount=amount,
                currency=currency,
                entry=entry,
                key=postings[0].account,
            )
        )
    return found


def check(books: Books) -> list[Finding]:
    """Return the advances family's findings as of the books' audit date."""
    found: list[Finding] = []
    for row in advances.all_advances(books):
        for rule in (overdue, late, oversettled):
            finding = rule(row)
            if finding is not None:
                found.append(finding)
    found.extend(unlinked(books))
    return found
