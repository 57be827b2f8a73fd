"""Bank payments in transit: TRANSIT-OVERDUE and REISSUE-OVERDUE (SPEC §3, §5).

A payment sent to the bank in a batch file (报盘) waits in `Assets:InTransit` until the bank's
result file (回盘) moves it on. Money of a (`batch`, `case`) left there longer than
`transit-deadline` days means a result file was never imported or a row was lost. A failed or
returned payment (or a `custom "payout-failed"` record) must be paid again within the same
deadline: otherwise the household approved for relief never received it.

Money in transit for a case is resolved by a later entry with the same `batch` and `case`:
the InTransit postings are summed per (account, batch, case), never matched by amount
(`ledger.in_transit`). The deadline is the policy in force on the day the money went in (or
failed). Both checks read the shared view `books.postings`, not the full index. Each finding
can be explained by its case or by the township's in-transit account (its `key`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from typing import NamedTuple

from beancount.core.amount import Amount

from ledger import accounts
from ledger import in_transit
from ledger.books import Books
from ledger.checks.vouch import one_of
from ledger.disbursement import case_of
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location

ZERO = Decimal(0)
FAILED = ("failed", "returned")
_PAYMENT_ROLES = frozenset(
    {"relief", "advances", "intransit", "reserve", "cash", "treasury"}
)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


class _Place(NamedTuple):
    county: str
    township: str
    name: str


def _place(books: Books, info: accounts.AccountInfo | None) -> _Place:
    if info is None:
        return _Place("", "", "")
    return _Place(
        info.county,
        info.township,
        books.directory.township_name(info.county, info.township),
    )


def _finding(
    books: Books,
    code: str,
    entry: Any,
    place: _Place,
    case: str,
    amount: Decimal,
    currency: str,
    text: str,
    key: str,
) -> Finding:
    file, line = location(getattr(entry, "meta", None))
    return Finding(
        code=code,
        message=f"{code} {place.name or '(unknown township)'} case {case or '(none)'}: {text}",
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=place.county,
        township=place.township,
        township_name=place.name,
        case=case,
        amount=amount,
        currency=currency,
        entry=entry,
        key=key,
    )


def _deadline(books: Books, county: str, on: datetime.date) -> tuple[int, str]:
    setting = books.policy.setting("transit-deadline", county, on)
    return int(setting.value), setting.origin


def transit_overdue(books: Books) -> list[Finding]:
    """Return TRANSIT-OVERDUE for money of a (batch, case) in transit past the deadline."""
    found = []
    for account, currency, batch, case, balance, start in in_transit.waiting(books):
        place = _place(books, accounts.parse(account))
        days, origin = _deadline(books, place.county, start.date)
        waited = (books.as_of - start.date).days
        if waited <= days:
            continue
        found.append(
            _finding(
                books,
                "TRANSIT-OVERDUE",
                start,
                place,
                case,
                balance,
                currency,
                f"{format_amount(balance)} {currency} of batch {batch or '(none)'} in "
                f"{account} since {start.date.isoformat()}, {waited} days on "
                f"{books.as_of.isoformat()} (transit-deadline {days} days, {origin})",
                account,
            )
        )
    return found


class _Failure(NamedTuple):
    entry: Any
    case: str
    place: _Place
    amount: Decimal
    currency: str
    batch: str
    what: str
    account: str


def _failures(books: Books) -> list[_Failure]:
    """Return the failed and returned payments and the `payout-failed` records."""
    found = []
    view = books.postings
    transactions = view.transactions
    statuses = view.columns(*in_transit.COLUMNS)[0]
    for position in [i for i, status in enumerate(statuses) if one_of(status, FAILED)]:
        entry = transactions[position]
        status = statuses[position]
        amount = ZERO
        currency = ""
        place_info = None
        transit_account = ""
        for posting in entry.postings:
            info = accounts.parse(posting.account)
            units = posting.units
            if info is None or units is None or units.number is None:
                continue
            if info.role in _PAYMENT_ROLES and info.township and place_info is None:
                place_info = info
            if info.role == "intransit" and not transit_account:
                transit_account = info.account
            if info.role in ("relief", "advances", "intransit") and units.number < 0:
                amount -= units.number
                currency = units.currency
        reason = _text(entry.meta.get("fail-reason"))
        what = f"{status} on {entry.date.isoformat()}" + (f" ({reason})" if reason else "")
        place = _place(books, place_info)
        found.append(
            _Failure(
                entry,
                case_of(entry),
                place,
                amount,
                currency,
                _text(entry.meta.get("batch")),
                what,
                transit_account or _transit_account(place),
            )
        )
    records = view.customs("payout-failed")
    approvals = (
        {}
        if not records
        else {
            case: (county, record)
            for (county, case), record in books.index.approvals.items()
        }
    )
    for custom in records:
        values = [v.value for v in custom.values]
        case = _text(values[0]) if values else ""
        case = case or _text(custom.meta.get("case"))
        money = next((v for v in values if isinstance(v, Amount)), None)
        amount = getattr(money, "number", None) or ZERO
        currency = str(getattr(money, "currency", "") or "")
        place = _record_place(books, custom, approvals.get(case, ("", None)))
        reason = _text(custom.meta.get("fail-reason"))
        what = f"failed on {custom.date.isoformat()}" + (f" ({reason})" if reason else "")
        batch = _text(custom.meta.get("batch"))
        found.append(
            _Failure(
                custom, case, place, amount, currency, batch, what, _transit_account(place)
            )
        )
    return found


def _record_place(books: Books, custom: Any, approved: tuple[str, Any]) -> _Place:
    """Return the place of a `payout-failed` record (it names no account).

    Its `township:` (account component, or Chinese name) gives the township and, through the
    directory, its county; else its approval record's county and township.
    """
    county, record = approved
    written = _text(custom.meta.get("township"))
    found = books.directory.township_by_name(None, written) if written else None
    if found is not None:
        county, township = found.county, found.township
    else:
        township = written or _text(getattr(record, "meta", {}).get("township"))
        if county and township:
            found = books.directory.township_by_name(county, township)
            township = found.township if found is not None else township
    return _Place(county, township, books.directory.township_name(county, township))


def _transit_account(place: _Place) -> str:
    """Return the in-transit account of a failure's township ("" when not known)."""
    if not (place.county and place.township):
        return ""
    return accounts.account_for("intransit", place.county, place.township)


def _paid_county(entry: Any) -> str | None:
    """Return the county of a payment's first positive relief or advance posting, if any."""
    for posting in entry.postings:
        info = accounts.parse(posting.account)
        if (
            info is not None
            and info.role in ("relief", "advances")
            and posting.units is not None
            and posting.units.number is not None
            and posting.units.number > 0
        ):
            return info.county
    return None


def reissue_overdue(books: Books) -> list[Finding]:
    """Return REISSUE-OVERDUE for failed payments not paid again within the deadline."""
    failures = _failures(books)
    # Only the cases that failed need their payments (usually a handful of the books).
    # A failure without a case cannot be matched to a re-issue: it stays a finding.
    paid: dict[str, list[tuple[datetime.date, str, str, Any]]] = {
        f.case: [] for f in failures if f.case
    }
    # A walk over the transactions of those cases only, not the whole disbursement index.
    view = books.postings
    cases = view.columns(*in_transit.COLUMNS)[2] if paid else []
    for position in [i for i, case in enumerate(cases) if case in paid]:
        entry = view.transactions[position]
        case = cases[position]
        if "reversal" in (entry.tags or ()):
            continue
        county = _paid_county(entry)
        if county is None:
            continue
        status = entry.meta.get("bank-status")
        if status not in ("failed", "returned", "pending"):
            batch = _text(entry.meta.get("batch"))
            paid[case].append((entry.date, county, batch, entry))
    found = []
    for failure in failures:
        start = failure.entry.date
        days, origin = _deadline(books, failure.place.county, start)
        due = start + datetime.timedelta(days=days)
        if due >= books.as_of:
            continue
        if any(
            start <= date <= due
            and entry is not failure.entry
            and (not failure.place.county or county == failure.place.county)
            and (date > start or batch != failure.batch)
            for date, county, batch, entry in paid.get(failure.case, ())
        ):
            continue
        found.append(
            _finding(
                books,
                "REISSUE-OVERDUE",
                failure.entry,
                failure.place,
                failure.case,
                failure.amount,
                failure.currency,
                f"{format_amount(failure.amount)} {failure.currency} {failure.what}, not paid "
                f"again by {due.isoformat()} (transit-deadline {days} days, {origin})",
                failure.account,
            )
        )
    return found


def check(books: Books) -> list[Finding]:
    """Return the transit family's findings as of the books' audit date."""
    return transit_overdue(books) + reissue_overdue(books)
