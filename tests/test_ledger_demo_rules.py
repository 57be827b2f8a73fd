"""The clean demo books against the rules of SPEC §5; the committed books against the audit."""

from __future__ import annotations

import datetime
import itertools
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from demo_fixtures import ROOT
from demo_fixtures import SMALL
from demo_fixtures import _load

from ledger.audit import audit
from ledger.books import load as load_books

# -- The clean books against the rules of SPEC §5 (a small audit of our own) --------------


def _txns(entries: list[data.Directive]) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)]


def _number(posting: data.Posting) -> Decimal:
    assert posting.units is not None and posting.units.number is not None
    return posting.units.number


def _is_disbursement(txn: data.Transaction) -> bool:
    return any(
        p.account.startswith(("Expenses:Relief:", "Assets:Advances:")) and _number(p) > 0
        for p in txn.postings
    )


def test_clean_disbursements_carry_consistent_approvals(clean: Path) -> None:
    entries = _load(clean)
    records = {
        (e.meta["township"], e.values[0].value): e
        for e in entries
        if isinstance(e, data.Custom) and e.type == "approval"
    }
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    payments: dict[tuple[str, str], int] = defaultdict(int)
    # Cases of the county whose townships approve emergency relief up to 1,000 (the
    # override of policy.beancount) start with that county's abbreviation.
    override = next(
        e.meta["county"]
        for e in entries
        if isinstance(e, data.Custom)
        and e.type == "relief-authority"
        and "county" in e.meta
    )
    prefixes = tuple(
        e.meta["case"].split("-")[0] + "-"
        for e in _txns(entries)
        if "case" in e.meta and any(f":{override}:" in p.account for p in e.postings)
    )
    for txn in filter(_is_disbursement, _txns(entries)):
        meta = txn.meta
        assert re.fullmatch(r"r-[0-9a-f]{16}", meta["recipient"])
        relief = [p for p in txn.postings if p.account.startswith("Expenses:Relief:")]
        if not relief:
            assert len(txn.links) == 1 and next(iter(txn.links)) == f"adv-{meta['case']}"
            continue
        _county, township, leaf = relief[0].account.split(":")[2:]
        procedure = leaf.lower()
        totals[(township, meta["case"])] += _number(relief[0])
        approved: datetime.date = meta["approved"]
        assert isinstance(approved, datetime.date) and meta["approver"]
        if procedure == "small":
            assert meta["approval"] == "township" and txn.date >= approved
        if procedure == "general":
            assert meta["approval"] in ("county", "conference") and txn.date >= approved
            assert (approved - meta["notice"]).days >= 7
        if meta["approval"] == "conference":
            assert meta["decision"] and meta["ratio"] >= 4
        record = records[(township, meta["case"])]
        assert record.meta["approval"] == meta["approval"]
        if not txn.links and "instalment" not in meta:
            payments[(township, meta["case"])] += 1
        if "holder" in meta and "agent" not in meta:
            assert re.sub(r"[\s·•]", "", meta["holder"]) == re.sub(
                r"[\s·•]", "", txn.payee or ""
            )
    assert set(payments.values()) <= {1}
    for (township, case), total in totals.items():
        record = records[(township, case)]
        assert total == record.values[1].value.number
        level, ratio = record.meta["approval"], record.meta.get("ratio", Decimal(0))
        if level == "township":
            raised = record.meta["procedure"] == "emergency" and case.startswith(prefixes)
            ceiling = 1000 if raised else 500
            assert total <= ceiling
        if level == "county":
            assert isinstance(ratio, Decimal)
            assert total <= 8000 and 1 <= ratio < 4
            band = {1: (0, 3000), 2: (3000, 5000), 3: (5000, 8000)}[int(ratio)]
            assert band[0] <= total <= band[1]


def test_clean_recipients_never_paid_twice_within_the_window(clean: Path) -> None:
    paid: dict[str, list[tuple[datetime.date, str, str]]] = defaultdict(list)
    for txn in filter(_is_disbursement, _txns(_load(clean))):
        account = next(p.account for p in txn.postings if _number(p) > 0)
        paid[txn.meta["recipient"]].append(
            (txn.date, txn.meta["case"], account.split(":")[3])
        )
    for payments in paid.values():
        assert len({township for _, _, township in payments}) == 1
        payments.sort()
        for (day, case, _), (later, other, _) in itertools.pairwise(payments):
            assert case == other or (later - day).days >= 30


def test_clean_advances_transit_and_reserves_close_properly(clean: Path) -> None:
    advances: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    transit: dict[tuple[str, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    allocated: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    daily: dict[str, dict[datetime.date, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for txn in _txns(_load(clean)):
        assert txn.date.year <= max(SMALL.years)
        for posting in txn.postings:
            account, number = posting.account, _number(posting)
            assert not account.startswith("Assets:Suspense:")
            if account.startswith("Assets:Advances:"):
                advances[next(iter(txn.links))].append((txn.date, number))
            if account.startswith("Assets:InTransit:"):
                transit[(txn.meta["batch"], txn.meta["case"])].append((txn.date, number))
            if account.startswith("Assets:Reserve:") and "allocation" in txn.tags:
                allocated[(account, txn.date.year)] += number
            if account.startswith(("Assets:Reserve:", "Assets:Cash:", "Assets:Treasury:")):
                daily[account][txn.date] += number
    for moves, deadline in [
        *((m, 25) for m in advances.values()),
        *((m, 15) for m in transit.values()),
    ]:
        assert sum(n for _, n in moves) == 0
        assert (max(d for d, _ in moves) - min(d for d, _ in moves)).days <= deadline
    year_end: dict[tuple[str, int], Decimal] = {}
    for account, by_day in daily.items():
        balance = Decimal(0)
        for day in sorted(by_day):
            balance += by_day[day]
            assert balance >= 0, (account, day)
            year_end[(account, day.year)] = balance
    assert allocated
    for (account, year), total in allocated.items():
        assert 30000 <= total <= 50000
        assert year_end[(account, year)] <= total / 2


# -- Against the project's own audit ----------------------------------------------------


@pytest.mark.parametrize("as_of", ["2026-11-28", "2031-01-01"])
def test_committed_books_raise_no_finding(as_of: str) -> None:
    books = load_books(
        ROOT / "books" / "main.beancount", datetime.date.fromisoformat(as_of)
    )
    assert [f.message for f in audit(books)] == []


def test_committed_books_pass_their_plugins() -> None:
    _entries, errors, _ = loader.load_file(str(ROOT / "books" / "main.beancount"))
    assert [e.message for e in errors] == []
