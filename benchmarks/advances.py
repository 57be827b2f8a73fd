"""Advance matching: 10k advances with colliding round amounts, by link vs by amount.

The project matches an advance to its settlements and recoveries by their shared `^adv-`
link. Beside it, a forward-scan matcher by amount (what zerosum-style plugins do: each
settlement takes the first open advance of the same amount) shows what matching by amount
costs and how many pairs it gets wrong when amounts collide.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from beancount.core import data
from beancount.core.amount import Amount

from benchmarks.harness import Row
from benchmarks.harness import median_time
from ledger import advances
from ledger.books import Books

AS_OF = datetime.date(2026, 11, 28)
_TOWNS = [f"Town{i}" for i in range(10)]


def _open(account: str, line: int, **meta: Any) -> data.Open:
    return data.Open(data.new_metadata("<bench>", line, meta), datetime.date(2015, 1, 1),
                     account, ["CNY"], None)


def _txn(date: datetime.date, case: str, postings: list[tuple[str, Decimal]], line: int,
         settle: bool) -> data.Transaction:
    meta: dict[str, Any] = {"case": case, "recipient": "r-00000000000000ab"}
    if settle:
        meta.update(approval="township", approver="x", approved=date)
    return data.Transaction(
        data.new_metadata("<bench>", line, meta), date, "*", "p", "n", frozenset(),
        frozenset({f"adv-{case}"}),
        [data.Posting(a, Amount(n, "CNY"), None, None, None, None) for a, n in postings],
    )


def ledger(count: int, seed: int = 5) -> tuple[list[data.Directive], dict[str, str]]:
    """Return entries of `count` advances of round amounts, settled in shuffled order.

    As Beancount's parser does, every posting to an account holds the same string object
    (the account name is made once), while links, dates and numbers are objects of their own.
    """
    rng = random.Random(seed)
    entries: list[data.Directive] = [_open("Assets:Treasury:Bench", 1, name="县")]
    reserve, advances_account, relief = {}, {}, {}
    for town in _TOWNS:
        reserve[town] = f"Assets:Reserve:Bench:{town}"
        advances_account[town] = f"Assets:Advances:Bench:{town}"
        relief[town] = f"Expenses:Relief:Bench:{town}:Emergency"
        entries.append(_open(reserve[town], 2, name=town))
        entries.append(_open(advances_account[town], 3))
        entries.append(_open(relief[town], 4))
    truth = {}
    start = datetime.date(2024, 1, 1)
    settlements = []
    for i in range(count):
        town = _TOWNS[i % len(_TOWNS)]
        amount = Decimal(rng.choice((500, 1000, 1500))) + Decimal("0.00")
        case = f"A-{i:05d}"
        day = start + datetime.timedelta(days=i % 300)
        entries.append(_txn(day, case, [(advances_account[town], amount),
                                        (reserve[town], -amount)], 10 + i, False))
        settle_day = day + datetime.timedelta(days=rng.randint(1, 25))
        settlements.append(_txn(settle_day, case, [
            (relief[town], amount),
            (advances_account[town], -amount)], 100_000 + i, True))
        truth[case] = case
    entries.extend(settlements)
    entries.sort(key=data.entry_sortkey)
    return entries, truth


def by_amount(entries: list[data.Directive]) -> dict[str, str]:
    """Return settlement case -> advance case, matched by amount with a forward scan."""
    open_advances: list[tuple[str, Decimal, str]] = []
    pairs = {}
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        for posting in entry.postings:
            if not posting.account.startswith("Assets:Advances"):
                continue
            if posting.units is None or posting.units.number is None:
                continue
            number: Decimal = posting.units.number
            if number > 0:
                open_advances.append((posting.account, number, entry.meta["case"]))
            else:
                for i, (account, amount, case) in enumerate(open_advances):
                    if account == posting.account and amount == -number:
                        pairs[entry.meta["case"]] = case
                        del open_advances[i]
                        break
    return pairs


def run(count: int, repeat: int) -> list[Row]:
    """Return the advance-matching rows."""
    entries, truth = ledger(count)
    options: dict[str, Any] = {"filename": ""}

    def match() -> list[advances.AdvanceRow]:
        return advances.all_advances(Books(entries, options, AS_OF))

    seconds, rows = median_time(match, repeat, pause_gc=True)
    right = sum(1 for r in rows if r.advanced == r.settled and r.outstanding == 0)
    scan_seconds, pairs = median_time(lambda: by_amount(entries), repeat, pause_gc=True)
    wrong = sum(1 for settled, advance in pairs.items() if truth[settled] != advance)
    return [
        Row(f"advance matching by link, {count:,} advances", seconds * 1000, "ms", 50,
            f"{right:,} of {count:,} pairs right"),
        Row("forward scan by amount (for comparison)", scan_seconds * 1000, "ms", None,
            f"{wrong:,} of {len(pairs):,} pairs wrong"),
    ]
