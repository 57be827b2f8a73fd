"""Approval checks under the books' own policy: the short cuts must follow every override.

The policy answers at once for a payment approved after the last change of its county's
notice-days or tier set (`Policy.settled_days`, `settled_tiers`), and the checks ask nothing
for a case under the lowest ceiling of its level; these tests make the books override each of
those, so the short cut must notice and resolve the setting in force.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from approval_fixtures import Load
from approval_fixtures import assert_one
from approval_fixtures import general
from approval_fixtures import run
from approval_fixtures import small
from ledgers import PRELUDE

from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks import vouch
from ledger.tiers import Tier
from ledger.tiers import TierSet


def test_a_lower_township_ceiling_of_the_books_is_applied(books_from: Load) -> None:
    policy = '2017-01-01 custom "relief-authority" "township" 300.00 CNY\n  county: "Yingze"\n'
    assert run(books_from, policy + small("2018-03-05", "300.00")) == []
    f = assert_one(run(books_from, policy + small("2018-03-05", "300.01")), "OVER-AUTHORITY",
                   "YZ-001", "300.01")
    assert f.message.endswith("township ceiling 300.00 CNY (policy of 2017-01-01)")


def test_a_county_notice_days_override_is_applied(books_from: Load) -> None:
    policy = '2017-01-01 custom "notice-days" 12\n  county: "Yingze"\n'
    ten_days = general("2018-03-05", "2000.00", "1.5")  # Notice 10 days before approval.
    assert run(books_from, ten_days) == []
    f = assert_one(run(books_from, policy + ten_days), "NOTICE-MISSING", "YZ-G-1", "2000.00")
    assert "fewer than the 12 notice days (policy of 2017-01-01)" in f.message
    later = general("2016-12-30", "2000.00", "1.5")  # Approved before the override.
    assert run(books_from, policy + later) == []


def test_a_tier_set_of_the_books_replaces_the_seed(books_from: Load) -> None:
    tiers = "".join(
        f'2017-01-01 custom "relief-tier" {a} {b} {lo} CNY {hi} CNY\n'
        for a, b, lo, hi in ((1, 2, "0.00", "2000.00"), (2, 4, "2000.00", "8000.00"))
    )
    paid = general("2018-03-05", "2500.00", "1.5")
    assert run(books_from, paid) == []  # Within the seed's tier 1-2 (0-3000).
    f = assert_one(run(books_from, tiers + paid), "TIER-MISMATCH", "YZ-G-1", "2500.00")
    assert "outside the band 0.00–2000.00 CNY of tier 1–2 (policy of 2017-01-01)" in f.message
    early = general("2016-06-05", "2500.00", "1.5")  # The seed's set was in force then.
    assert run(books_from, tiers + early) == []
    assert run(books_from, tiers + general("2018-03-05", "5000.00", "3.5")) == []


def test_dates_of_the_short_cuts_are_the_approved_dates(books_from: Load) -> None:
    policy = '2018-03-01 custom "relief-authority" "township" 300.00 CNY\n'
    approved_before = small("2018-03-05", "400.00", approved=datetime.date(2018, 2, 27))
    assert run(books_from, policy + approved_before) == []


def test_clean_never_vouches_for_a_payment_with_problems(books_from: Load) -> None:
    imported: dict[str, object] = {
        "source_sha256": "ab", "batch": "B", "bank_row": Decimal(7), "bank_status": "paid",
        "card": "c-0123456789abcdef",
    }
    broken = [
        small("2018-03-05", "100.00", case="C-1", approver=" "),
        small("2018-03-05", "100.00", case="C-2", approval="city"),
        small("2018-03-05", "100.00", case="C-3", approved="2018-03-05"),
        small("2018-03-05", "100.00", case="C-4", recipient="r-XYZ"),
        small("2018-03-05", "100.00", case="C-5", category="weather"),
        small("2018-03-05", "100.00", case="C-6", bank_status="lost"),
        small("2018-03-05", "100.00", case="C-7", source_sha256="ab", batch="B"),
        small("2018-03-05", "100.00", case=" "),
        general("2018-03-05", "2000.00", "1.5", case="C-8", approval="conference"),
        small("2018-03-05", "100.00", case="C-10", approver=None),  # Keys absent, not ill-typed.
        small("2018-03-05", "100.00", case="C-11", approved=None),
        general("2018-03-05", "2000.00", "1.5", case="C-12").replace("  ratio: 1.5\n", ""),
        general("2018-03-05", "2000.00", "1.5", case="C-13").replace("ratio: 1.5", 'ratio: "1.5"'),
        small("2018-03-05", "100.00", case="C-14", **{**imported, "card": None}),
        small("2018-03-05", "100.00", case="C-15", **{**imported, "bank_status": None}),
        small("2018-03-05", "100.00", case="C-16", **{**imported, "card": "c-ABCDEF0123456789"}),
        small("2018-03-05", "100.00", case="C-17", **{**imported, "bank_row": "7"}),
        small("2018-03-05", "100.00", case="C-9"),  # Complete: the near misses.
        small("2018-03-05", "100.00", case="C-18", **imported),
        general("2018-03-05", "2000.00", "1.5", case="C-19"),
    ]
    books = books_from(PRELUDE + "".join(broken))
    view = cases.view(books)
    assert len(view.disbursements) == len(broken)
    read = {d.case: vouch.vouch(d.meta, d.procedure, d.settlement) for d in view.disbursements}
    assert [case for case, keys in read.items() if keys is not None] == ["C-9", "C-18", "C-19"]
    for d in view.disbursements:
        keys = read[d.case]
        # What `vouch` vouches for, the full check finds complete; and it hands on its values.
        assert keys is None or approval_meta.problems(d) == []
        if keys is not None:
            names: tuple[str, ...] = ("case", "recipient", "approval", "approver", "approved")
            names += ("ratio", "notice") if d.procedure == "general" else ()
            assert keys == tuple(d.meta[name] for name in names)


def test_tier_lookup_by_bisection_finds_what_a_scan_finds() -> None:
    def tier(low: str, high: str) -> Tier:
        return Tier(Decimal(low), Decimal(high), Decimal(0), Decimal(1))

    day = datetime.date(2018, 1, 1)
    disjoint = TierSet((tier("1", "2"), tier("2.5", "3"), tier("3", "4")), day, "CNY", "o")
    overlapping = TierSet((tier("1", "3"), tier("2", "4")), day, "CNY", "o")
    assert disjoint.starts is not None and overlapping.starts is None
    for tiers in (disjoint, overlapping):
        for ratio in ("0.5", "1", "1.99", "2", "2.2", "2.5", "3", "3.5", "4", "9"):
            scan = [t for t in tiers.tiers if t.ratio_from <= Decimal(ratio) < t.ratio_to]
            assert tiers.find(Decimal(ratio)) is (scan[0] if scan else None)
