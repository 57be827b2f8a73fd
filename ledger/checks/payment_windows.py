"""SPLIT-PAYMENT and RECIPIENT-REPEAT: payments to one recipient close together (SPEC §5).

The payments are the disbursements in effect, an advance and its settlement counted once: as
the settlement (which carries the approval), dated on the advance's date (when the money
reached the recipient). An advance not settled has no approval level: it counts for
RECIPIENT-REPEAT only. Payments are sorted per recipient by (date, file, line); for a payment
P the earlier ones Q with 0 ≤ date(P) − date(Q) < `split-window` (in force for P's county on
P's date) are its window, found by bisection (or, for RECIPIENT-REPEAT, only its latest payment
made elsewhere): the work is the size of each window, never all pairs.

SPLIT-PAYMENT groups by (recipient, county, level). Payments of P's own case are one approval
(instalments, an advance and its settlement) and are summed with P; each other case in the
window is summed on its own. The ceiling is P's level's for P's county and procedure on P's
`approved` date. P is a split when its case and the cases within the ceiling, together, exceed
it, while each is within it (a case over the ceiling is OVER-AUTHORITY, not a split).
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Final
from typing import NamedTuple

from ledger import recipients
from ledger.books import Books
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.payment_finding import finding
from ledger.checks.payment_finding import money
from ledger.disbursement import Disbursement
from ledger.findings import Finding
from ledger.findings import location

ZERO: Final = Decimal(0)


class Payment(NamedTuple):
    """One payment to a recipient: a disbursement, or an advance with its settlement."""

    d: Disbursement
    date: datetime.date
    level: str

    @property
    def order(self) -> tuple[datetime.date, str, int]:
        """Return the sort key (date, file, line)."""
        return (self.date, *location(self.d.meta))


def payments(books: Books) -> dict[str, list[Payment]]:
    """Return the recipients paid more than once, each with its payments in effect.

    The payments are sorted by date, file and line. A recipient with one disbursement can
    raise neither SPLIT-PAYMENT nor RECIPIENT-REPEAT: it is left out before its metadata is
    read (most recipients are paid once, and each look at a payment's metadata is a cache
    miss on large books). A group whose dates rise strictly is in (date, file, line) order
    already: only the others are sorted, and only their files and lines are read.
    """
    view = cases.view(books)
    disbursements = view.disbursements
    times: dict[str, int] = {}  # A loop, not a `Counter`: compiled, it is twice as fast.
    for d in disbursements:
        times[d.recipient] = times.get(d.recipient, 0) + 1
    repeated = [d for d in disbursements if times[d.recipient] > 1]
    found: dict[str, list[Payment]] = defaultdict(list)
    unsorted: set[str] = set()  # Recipients whose dates do not rise strictly.
    skip = view.reversed | view.undone | view.settled
    advance_of = view.advance_of
    level_of = cases.level_of
    new = tuple.__new__  # Payment(...) without the NamedTuple's Python-level constructor.
    for d in repeated:
        key = id(d.entry)  # The id alone: the transaction is not looked at.
        if key in skip:
            continue
        recipient = d.recipient
        if not recipients.is_hash(recipient, "r-"):
            continue  # A recipient missing or not hashed is APPROVAL-MISSING's.
        advance = advance_of.get(key)
        on = d.date if advance is None else advance.date
        group = found[recipient]
        if group and group[-1][1] >= on:  # Payment.date
            unsorted.add(recipient)
        group.append(new(Payment, (d, on, level_of(d))))
    for recipient in unsorted:
        found[recipient].sort(key=lambda p: p.order)
    return found


def _cutoff(books: Books, county: str, on: datetime.date) -> datetime.date:
    """Return the day after which a payment's window opens: `on` less the split-window."""
    return on - datetime.timedelta(days=books.policy.days("split-window", county, on))


def split_payments(books: Books, by_recipient: dict[str, list[Payment]]) -> list[Finding]:
    """Return SPLIT-PAYMENT at every payment that takes its window over the ceiling.

    The first payment of a lane, and any whose window holds no earlier payment, is summed
    with nothing: within its ceiling or OVER-AUTHORITY's, it is not looked at further.
    """
    findings: list[Finding] = []
    for group in by_recipient.values():
        if len(group) < 2:
            continue  # A payment alone is within its ceiling or OVER-AUTHORITY's.
        lanes: dict[tuple[str, str], list[Payment]] = defaultdict(list)
        for p in group:
            if p.level in ("township", "county"):
                lanes[(p.d.county, p.level)].append(p)
        for lane in lanes.values():
            if len(lane) < 2:
                continue  # A payment alone is within its ceiling or OVER-AUTHORITY's.
            dates = [p.date for p in lane]
            for i in range(1, len(lane)):
                p = lane[i]
                start = bisect.bisect_right(dates, _cutoff(books, p.d.county, p.date), 0, i)
                if start < i:
                    found = _split(books, lane, i, start)
                    if found is not None:
                        findings.append(found)
    return findings


def _split(books: Books, lane: list[Payment], i: int, start: int) -> Finding | None:
    """Return SPLIT-PAYMENT at `lane[i]` if the window `lane[start:i]` takes it over.

    The cases of the window are summed first: with no other case, or all of them together
    with P's within the lowest ceiling of P's level anywhere, P cannot be a split, and its
    `approved` date and ceiling are not looked up.
    """
    p = lane[i]
    d = p.d
    per_case: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for q in lane[start:i]:
        if q.d.currency == d.currency:
            per_case[q.d.case] += q.d.amount
    own = per_case.pop(d.case, ZERO) + d.amount
    if not per_case:
        return None  # Only P's own case: its total is its own, within the ceiling or over.
    lowest = books.policy.lowest_ceiling.get(p.level)
    if lowest is not None and own + sum(per_case.values(), ZERO) <= lowest:
        return None  # Within every ceiling of the level that can be in force.
    on = approval_meta.date(d.meta, "approved") or d.date
    ceiling = books.policy.authority(p.level, d.county, d.procedure, on)
    if ceiling is None or ceiling.currency != d.currency:
        return None
    others = {case: amount for case, amount in per_case.items() if amount <= ceiling.value}
    total = own + sum(others.values(), ZERO)
    if own > ceiling.value or total <= ceiling.value:
        return None
    window = books.policy.setting("split-window", d.county, p.date)
    text = (
        f"{money(d.amount, d.currency)} to a recipient paid for case(s) "
        f"{', '.join(sorted(others))} within {int(window.value)} days before "
        f"({window.origin}), {money(total, d.currency)} together, over the {p.level} "
        f"ceiling {money(ceiling.value, ceiling.currency)} ({ceiling.origin})"
    )
    return finding(books, "SPLIT-PAYMENT", d, text, total)


def recipient_repeats(books: Books, by_recipient: dict[str, list[Payment]]) -> list[Finding]:
    """Return RECIPIENT-REPEAT at every payment whose recipient another township paid lately.

    The finding names the latest earlier payment made by another township, if it is in the
    window. That payment is found without a search: it is the one just before P, or, when
    that one was made where P was, the one just before the run of payments made there (the
    run's start is carried along). Only then is the window (a policy lookup) asked for, and
    most recipients paid twice were paid by one township.
    """
    findings: list[Finding] = []
    for group in by_recipient.values():
        if len(group) < 2:
            continue  # Nobody else paid this recipient.
        run = 0  # Where the run of payments made at one place, ending just before P, begins.
        county, township = group[0].d.county, group[0].d.township
        for i in range(1, len(group)):
            p = group[i]
            before = county, township
            county, township = p.d.county, p.d.township
            if (county, township) != before:
                other, run = i - 1, i
            else:
                other = run - 1
            if other < 0 or group[other].date <= _cutoff(books, county, p.date):
                continue
            findings.append(_repeat(books, p, group[other]))
    return findings


def _repeat(books: Books, p: Payment, other: Payment) -> Finding:
    window = books.policy.setting("split-window", p.d.county, p.date)
    name = books.directory.township_name(other.d.county, other.d.township)
    text = (
        f"{money(p.d.amount, p.d.currency)} to a recipient whom {name} paid "
        f"{money(other.d.amount, other.d.currency)} on {other.date.isoformat()} "
        f"(case {other.d.case or '(no case)'}), within the split-window of "
        f"{int(window.value)} days ({window.origin})"
    )
    return finding(books, "RECIPIENT-REPEAT", p.d, text)
