"""SPLIT-PAYMENT and RECIPIENT-REPEAT: payments to one recipient close together (SPEC §5).

The payments are the disbursements in effect, an advance and its settlement counted once: as
the settlement (which carries the approval), dated on the advance's date (when the money
reached the recipient). An advance not settled has no approval level: it counts for
RECIPIENT-REPEAT only. Payments are sorted per recipient by (date, file, line); for a payment
P the earlier ones Q with 0 ≤ date(P) − date(Q) < `split-window` (in force for P's county on
P's date) are found by bisection, so the work is the size of each window, never all pairs.

SPLIT-PAYMENT groups by (recipient, county, level). Payments of P's own case are one approval
(instalments, an advance and its settlement) and are summed with P; each other case in the
window is summed on its own. The ceiling is P's level's for P's county and procedure on P's
`approved` date. P is a split when its case and the cases within the ceiling, together, exceed
it, while each is within it (a case over the ceiling is OVER-AUTHORITY, not a split).
"""

from __future__ import annotations

import bisect
import datetime
from collections import Counter
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from ledger.books import Books
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.cases import finding
from ledger.checks.cases import money
from ledger.findings import Finding
from ledger.findings import location
from ledger.money import Disbursement

ZERO = Decimal(0)


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
    raise neither SPLIT-PAYMENT nor RECIPIENT-REPEAT: it is counted and left out before its
    metadata is read (most recipients are paid once, and each look at a payment's metadata is
    a cache miss on large books).
    """
    view = cases.view(books)
    disbursements = view.disbursements
    times = Counter([d.recipient for d in disbursements])
    found: dict[str, list[Payment]] = defaultdict(list)
    skip = view.reversed | view.undone | view.settled
    advance_of = view.advance_of
    hashed = approval_meta.RECIPIENT_RE.fullmatch
    levels = cases.LEVELS
    new = tuple.__new__  # Payment(...) without the NamedTuple's Python-level constructor.
    for d in disbursements:
        recipient = d.recipient
        if times[recipient] < 2:
            continue
        key = id(d.entry)
        if key in skip:
            continue
        if not hashed(recipient):
            continue  # A recipient missing or not hashed is APPROVAL-MISSING's.
        advance = advance_of.get(key)
        level = d.entry.meta.get("approval")
        found[recipient].append(new(Payment, (
            d, d.date if advance is None else advance.date, level if level in levels else ""
        )))
    for group in found.values():
        if len(group) > 1:
            group.sort(key=lambda p: p.order)
    return found


def _window_start(books: Books, group: list[Payment], dates: list[datetime.date], i: int) -> int:
    p = group[i]
    window = books.policy.days("split-window", p.d.county, p.date)
    return bisect.bisect_right(dates, p.date - datetime.timedelta(days=window), 0, i)


def split_payments(books: Books, by_recipient: dict[str, list[Payment]]) -> list[Finding]:
    """Return SPLIT-PAYMENT at every payment that takes its window over the ceiling."""
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
            for i in range(len(lane)):
                found = _split(books, lane, i, _window_start(books, lane, dates, i))
                if found is not None:
                    findings.append(found)
    return findings


def _split(books: Books, lane: list[Payment], i: int, start: int) -> Finding | None:
    p = lane[i]
    on = approval_meta.date(p.d.meta, "approved") or p.d.date
    ceiling = books.policy.authority(p.level, p.d.county, p.d.procedure, on)
    if ceiling is None or ceiling.currency != p.d.currency:
        return None
    per_case: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for q in lane[start:i]:
        if q.d.currency == p.d.currency:
            per_case[q.d.case] += q.d.amount
    own = per_case.pop(p.d.case, ZERO) + p.d.amount
    others = {case: amount for case, amount in per_case.items() if amount <= ceiling.value}
    total = own + sum(others.values(), ZERO)
    if own > ceiling.value or total <= ceiling.value:
        return None
    window = books.policy.setting("split-window", p.d.county, p.date)
    text = (
        f"{money(p.d.amount, p.d.currency)} to a recipient paid for case(s) "
        f"{', '.join(sorted(others))} within {int(window.value)} days before "
        f"({window.origin}), {money(total, p.d.currency)} together, over the {p.level} "
        f"ceiling {money(ceiling.value, ceiling.currency)} ({ceiling.origin})"
    )
    return finding(books, "SPLIT-PAYMENT", p.d, text, total)


def recipient_repeats(books: Books, by_recipient: dict[str, list[Payment]]) -> list[Finding]:
    """Return RECIPIENT-REPEAT at every payment whose recipient another township paid lately."""
    findings: list[Finding] = []
    for group in by_recipient.values():
        if len(group) < 2:
            continue  # Nobody else paid this recipient.
        dates = [p.date for p in group]
        for i, p in enumerate(group):
            start = _window_start(books, group, dates, i)
            place = (p.d.county, p.d.township)
            other = next(
                (q for q in reversed(group[start:i]) if (q.d.county, q.d.township) != place),
                None,
            )
            if other is None:
                continue
            window = books.policy.setting("split-window", p.d.county, p.date)
            name = books.directory.township_name(other.d.county, other.d.township)
            text = (
                f"{money(p.d.amount, p.d.currency)} to a recipient whom {name} paid "
                f"{money(other.d.amount, other.d.currency)} on {other.date.isoformat()} "
                f"(case {other.d.case or '(no case)'}), within the split-window of "
                f"{int(window.value)} days ({window.origin})"
            )
            findings.append(finding(books, "RECIPIENT-REPEAT", p.d, text))
    return findings
