"""RESERVE-MISUSE: where money leaving a township's reserve or cash box may go (SPEC §5).

A township's reserve (备用金) exists to pay relief. Money may leave its reserve or cash only to
that township's relief expenses, advances, in-transit, suspense, cash, reserve or bank fees,
or back to its own county's treasury. Every other receiving account is a misuse, including
accounts outside the project (an office's `Expenses:Admin:…`, `Equity:…`): this is the one
reserve check that looks at every account of the books.

A transaction pays out of a reserve or cash account when it has a negative posting there; its
receivers are its positive postings. Each township that pays must have its own outflow covered
by receivers allowed for it: first its own accounts (no other township may use them), then its
county's treasury, shared by the townships of that county paying in the transaction in the
order they first pay. What is left of its outflow went where it may not go: that is the
misuse, so another township's cent in the same transaction can cover only a cent. Other money
in the transaction (a treasury's, an equity's) is not judged here: it is taken to have gone
where the townships' outflows did not. Amounts are posting weights, per currency. One finding
per paying township, its `key` its (first) paying account, so it can be explained by its case
or by that account; the audit merges two townships' findings at one transaction
(`ledger.findings.unique`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from decimal import Decimal

from beancount.core import convert
from beancount.core import data

from ledger import accounts
from ledger.accounts import AccountInfo
from ledger.books import Books
from ledger.disbursement import case_of
from ledger.findings import Finding
from ledger.findings import format_amount
from ledger.findings import location

ZERO = Decimal(0)
PAYING_ROLES = frozenset({"reserve", "cash"})
CODE = "RESERVE-MISUSE"


def allowed(receiver: AccountInfo | None, payer: AccountInfo) -> bool:
    """Return True if money may go from a township's reserve or cash to this account."""
    if receiver is None:
        return False
    if receiver.role == "treasury":
        return receiver.county == payer.county
    return (
        receiver.role in accounts.TOWNSHIP_OUTFLOW_ROLES
        and receiver.county == payer.county
        and receiver.township == payer.township
    )


def _finding(
    books: Books,
    entry: data.Transaction,
    payer: AccountInfo,
    misused: tuple[Decimal, str],
    bad: list[data.Posting],
) -> Finding:
    amount, currency = misused
    name = books.directory.township_name(payer.county, payer.township)
    case = case_of(entry)
    to = ", ".join(sorted({p.account for p in bad}))
    file, line = location(entry.meta)
    treasury = accounts.account_for("treasury", payer.county)
    return Finding(
        code=CODE,
        message=(
            f"{CODE} {name} case {case or '(none)'}: {format_amount(amount)} {currency} paid "
            f"out of {payer.account} to {to}; a township's reserve may pay only its own "
            f"relief, advances, in-transit, suspense, cash, reserve and bank fees, or "
            f"its county's treasury {treasury}"
        ),
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=payer.county,
        township=payer.township,
        township_name=name,
        case=case,
        amount=amount,
        currency=currency,
        entry=entry,
        key=payer.account,
    )


@dataclasses.dataclass
class _Payer:
    """A township paying in one transaction: its first paying account, its outflow."""

    info: AccountInfo
    out: dict[str, Decimal] = dataclasses.field(default_factory=lambda: defaultdict(Decimal))


def _weight(posting: data.Posting) -> tuple[Decimal, str]:
    """Return a posting's weight (what balances the transaction): its units, at cost or price."""
    units = posting.units
    assert units is not None and units.number is not None
    if posting.cost is None and posting.price is None:
        return units.number, units.currency
    weight = convert.get_weight(posting)  # type: ignore[no-untyped-call]
    if weight.number is None:  # A cost not booked: the units are all there is.
        return units.number, units.currency
    return weight.number, weight.currency


def _take(left: dict[tuple[str, ...], Decimal], key: tuple[str, ...], need: Decimal) -> Decimal:
    """Return what `left[key]` can cover of `need`, and take it from there."""
    have = left.get(key, ZERO)
    taken = min(have, need)
    if taken > 0:
        left[key] = have - taken
        return taken
    return ZERO


def _judge(
    books: Books, entry: data.Transaction, verdicts: dict[tuple[str, str], bool]
) -> list[Finding]:
    """Return the misuse of each township paying in one transaction (see the module)."""
    parse = accounts.parse
    paying: list[tuple[AccountInfo, data.Posting]] = []
    receivers: list[data.Posting] = []
    for posting in entry.postings:
        units = posting.units
        if units is None or units.number is None:
            continue
        if units.number > 0:
            receivers.append(posting)
        elif units.number < 0:
            info = parse(posting.account)
            if info is not None and info.role in PAYING_ROLES:
                paying.append((info, posting))
    # The receivers not allowed for each township; most transactions have none and stop here.
    bad: dict[tuple[str, str], list[data.Posting]] = {}
    for info, _ in paying:
        place = (info.county, info.township)
        for posting in receivers:
            pair = (posting.account, info.account)
            verdict = verdicts.get(pair)
            if verdict is None:
                verdict = verdicts[pair] = allowed(parse(posting.account), info)
            if not verdict and place not in bad:
                bad[place] = [p for p in receivers if not allowed(parse(p.account), info)]
    if not bad:
        return []
    payers: dict[tuple[str, str], _Payer] = {}
    for info, posting in paying:
        payer = payers.get((info.county, info.township))
        if payer is None:
            payer = payers[(info.county, info.township)] = _Payer(info)
        number, currency = _weight(posting)
        payer.out[currency] -= number
    own: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
    treasury: dict[tuple[str, ...], Decimal] = defaultdict(Decimal)
    for posting in receivers:
        info = parse(posting.account)
        if info is None:
            continue
        number, currency = _weight(posting)
        if info.role == "treasury":
            treasury[(info.county, currency)] += number
        elif info.role in accounts.TOWNSHIP_OUTFLOW_ROLES:
            own[(info.county, info.township, currency)] += number
    found = []
    for (county, township), payer in payers.items():
        for currency, need in payer.out.items():
            need -= _take(own, (county, township, currency), need)
            need -= _take(treasury, (county, currency), need)
            # Only money that went to a receiver it may not pay is misused (a remainder
            # without one is a rounding residue of an unbalanced transaction).
            if need > 0 and (county, township) in bad:
                found.append(
                    _finding(books, entry, payer.info, (need, currency), bad[(county, township)])
                )
    return found


def misuse(books: Books) -> list[Finding]:
    """Return RESERVE-MISUSE for each township paying a reserve or cash out elsewhere."""
    view = books.postings
    # Only the transactions with a negative posting to a reserve or cash account can pay out
    # of one: they are found from those accounts' postings, not by walking every posting.
    positions = []
    for account in view.accounts(_paying):
        for position, _, _, number, _, _ in view.by_account[account]:
            if number is not None and number < 0:
                positions.append(position)
    # (receiver, payer) -> allowed: the same few pairs come back in every transaction.
    verdicts: dict[tuple[str, str], bool] = {}
    found = []
    for entry in view.touching(positions):
        found.extend(_judge(books, entry, verdicts))
    return found


def _paying(account: str) -> bool:
    info = accounts.parse(account)
    return info is not None and info.role in PAYING_ROLES
