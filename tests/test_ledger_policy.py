from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from ledgers import PRELUDE

from ledger.books import Books

D = datetime.date
BooksFrom = Callable[..., Books]


def test_seed_is_always_in_force(books_from: BooksFrom) -> None:
    policy = books_from(PRELUDE).policy
    township = policy.authority("township", "Yingze", "small", D(2016, 1, 1))
    assert township is not None
    assert township.value == Decimal("500.00")
    assert township.origin == "policy of 2015-06-01"
    assert policy.days("advance-deadline", "Yingze", D(2016, 1, 1)) == 30
    assert policy.days("notice-days", "Yingze", D(1990, 1, 1)) == 7
    assert policy.setting("reserve-allocation", "Yingze", D(2016, 1, 1)).values == (
        Decimal("30000.00"),
        Decimal("50000.00"),
    )
    assert policy.setting("reserve-idle", "", D(2016, 1, 1)).value == Decimal("0.5")
    assert policy.authority("conference", "Yingze", "general", D(2016, 1, 1)) is None
    assert policy.findings == []


SCOPED = PRELUDE + """
2016-01-01 custom "relief-authority" "township" 600.00 CNY
2017-01-01 custom "relief-authority" "township" 1000.00 CNY
  county: "Wanbailin"
  procedure: "emergency"
2018-01-01 custom "relief-authority" "township" 700.00 CNY
  procedure: "emergency"
2019-01-01 custom "relief-authority" "township" 800.00 CNY
  county: "Wanbailin"
2020-01-01 custom "relief-authority" "township" 900.00 CNY
"""


@pytest.mark.parametrize(
    ("county", "procedure", "on", "ceiling", "origin"),
    [
        ("Yingze", "small", D(2015, 12, 31), "500.00", "policy of 2015-06-01"),
        ("Yingze", "small", D(2016, 1, 1), "600.00", "policy of 2016-01-01"),
        ("Wanbailin", "emergency", D(2016, 12, 31), "600.00", "policy of 2016-01-01"),
        ("Wanbailin", "emergency", D(2017, 1, 1), "1000.00", "policy of 2017-01-01"),
        # A newer, less specific directive never overrides an older, more specific one.
        ("Wanbailin", "emergency", D(2021, 1, 1), "1000.00", "policy of 2017-01-01"),
        ("Yingze", "emergency", D(2018, 6, 1), "700.00", "policy of 2018-01-01"),
        ("Yingze", "emergency", D(2021, 6, 1), "700.00", "policy of 2018-01-01"),
        ("Wanbailin", "small", D(2019, 6, 1), "800.00", "policy of 2019-01-01"),
        ("Wanbailin", "small", D(2021, 6, 1), "800.00", "policy of 2019-01-01"),
        ("Yingze", "small", D(2021, 6, 1), "900.00", "policy of 2020-01-01"),
    ],
)
def test_scope_then_recency(
    books_from: BooksFrom, county: str, procedure: str, on: D, ceiling: str, origin: str
) -> None:
    setting = books_from(SCOPED, "2030-01-01").policy.authority("township", county, procedure, on)
    assert setting is not None
    assert (setting.value, setting.origin) == (Decimal(ceiling), origin)


def test_directives_after_the_audit_date_are_not_used(books_from: BooksFrom) -> None:
    policy = books_from(SCOPED, "2019-06-30").policy
    setting = policy.authority("township", "Yingze", "small", D(2021, 1, 1))
    assert setting is not None and setting.value == Decimal("600.00")


TIERS = PRELUDE + """
2018-01-01 custom "relief-tier" 1 2.5 0.00 CNY 4000.00 CNY
2018-01-01 custom "relief-tier" 2.5 5 4000.00 CNY 9000.00 CNY
2019-01-01 custom "relief-tier" 1 3 0.00 CNY 3500.00 CNY
  county: "Yingze"
"""


def test_tier_sets_are_replaced_whole(books_from: BooksFrom) -> None:
    policy = books_from(TIERS, "2030-01-01").policy
    seed = policy.tiers("Wanbailin", D(2017, 12, 31))
    assert [t.ratio_from for t in seed.tiers] == [1, 2, 3]
    assert seed.highest == 4
    newer = policy.tiers("Wanbailin", D(2018, 1, 1))
    assert [(t.ratio_from, t.ratio_to) for t in newer.tiers] == [
        (Decimal(1), Decimal("2.5")),
        (Decimal("2.5"), Decimal(5)),
    ]
    assert newer.origin == "policy of 2018-01-01"
    county = policy.tiers("Yingze", D(2020, 1, 1))
    assert len(county.tiers) == 1 and county.highest == 3
    assert policy.tiers("Yingze", D(2018, 6, 1)).highest == 5


def test_settled_settings_are_those_in_force_from_their_last_change(
    books_from: BooksFrom,
) -> None:
    notice = '2017-01-01 custom "notice-days" 12\n  county: "Yingze"\n'
    policy = books_from(TIERS + notice, "2030-01-01").policy
    assert policy.settled_days["notice-days"]["Yingze"] == (D(2017, 1, 1), 12)
    later = policy.setting("notice-days", "Yingze", D(2025, 3, 1))
    assert (later.value, later.origin) == (12, "policy of 2017-01-01")
    assert policy.setting("notice-days", "Yingze", D(2016, 12, 31)).value == 7
    since, days = policy.settled_days["notice-days"]["Wanbailin"]
    assert days == 7 and policy.days("notice-days", "Wanbailin", since) == 7
    for county in ("Yingze", "Wanbailin"):
        since, tiers = policy.settled_tiers[county]
        # Every date from `since` on, and none before, has that answer.
        for day in (since, since + datetime.timedelta(days=400), D(2029, 12, 31)):
            assert policy.tiers(county, day) is tiers
        assert policy.tiers(county, since - datetime.timedelta(days=1)) is not tiers
    assert policy.settled_tiers["Yingze"][0] == D(2019, 1, 1)
    assert policy.settled_tiers["Wanbailin"][0] == D(2018, 1, 1)


def test_ratio_ranges_are_half_open(books_from: BooksFrom) -> None:
    tiers = books_from(PRELUDE).policy.tiers("Yingze", D(2020, 1, 1))
    two = tiers.find(Decimal(2))
    assert two is not None and two.minimum == Decimal("3000.00")
    below = tiers.find(Decimal("1.99"))
    assert below is not None and below.maximum == Decimal("3000.00")
    assert tiers.find(Decimal(4)) is None
    assert tiers.find(Decimal("0.99")) is None
    assert tiers.lowest == 1


@pytest.mark.parametrize(
    ("directive", "why"),
    [
        ('custom "relief-authority" "conference" 100.00 CNY', "must be the level"),
        ('custom "relief-authority" "township"', "takes 2 values"),
        ('custom "relief-authority" "township" 500', "must be an amount"),
        ('custom "relief-authority" "township" -5.00 CNY', "must not be negative"),
        ('custom "relief-tier" 2 1 0.00 CNY 10.00 CNY', "ratio-from must be below ratio-to"),
        ('custom "relief-tier" 1 2 50.00 CNY 10.00 CNY', "minimum 50.00 is above maximum"),
        ('custom "relief-tier" 1 2 0.00 CNY 10.00 USD', "different currencies"),
        ('custom "reserve-allocation" 30000.00 CNY', "takes 2 values"),
        ('custom "advance-deadline" 30.5', "whole number of days"),
        ('custom "advance-deadline" "30"', "must be a number"),
        ('custom "split-window" TRUE', "must be a number"),
        ('custom "reserve-idle" 1.5', "fraction between 0 and 1"),
        ('custom "notice-days" 7\n  county: "Nowhere"', "'Nowhere' is not a county"),
        ('custom "notice-days" 7\n  procedure: "small"', "unknown scope key 'procedure'"),
        ('custom "notice-days" 7\n  township: "Liuxiang"', "unknown scope key 'township'"),
        (
            'custom "relief-authority" "township" 1.00 CNY\n  procedure: "urgent"',
            "procedure 'urgent'",
        ),
    ],
)
def test_malformed_directives(books_from: BooksFrom, directive: str, why: str) -> None:
    books = books_from(PRELUDE + f"2018-01-01 {directive}\n")
    findings = books.policy.findings
    assert len(findings) == 1
    finding = findings[0]
    assert finding.code == "POLICY-INVALID"
    assert why in finding.message
    assert finding.message.startswith("POLICY-INVALID custom ")
    assert finding.line == PRELUDE.count("\n") + 1
    assert finding.file.endswith("main.beancount")


def test_conflicting_directives_of_one_scope_and_date(books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE
        + '2018-01-01 custom "split-window" 30\n'
        + '2018-01-01 custom "split-window" 31\n'
        + '2018-01-01 custom "notice-days" 7\n'
        + '2018-01-01 custom "notice-days" 7\n'
        + '2018-01-01 custom "relief-authority" "township" 500.00 CNY\n'
        + '2018-01-01 custom "relief-authority" "county" 9000.00 CNY\n'
    )
    codes = [(f.code, f.key) for f in books.policy.findings]
    assert codes == [("POLICY-INVALID", "split-window")]


def test_overlapping_tiers_in_one_set(books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE
        + '2018-01-01 custom "relief-tier" 1 3 0.00 CNY 3000.00 CNY\n'
        + '2018-01-01 custom "relief-tier" 2 4 3000.00 CNY 5000.00 CNY\n'
        + '2019-01-01 custom "relief-tier" 1 2 0.00 CNY 3000.00 CNY\n'
        + '2019-01-01 custom "relief-tier" 2 4 3000.00 CNY 5000.00 CNY\n'
    )
    findings = books.policy.findings
    assert [f.code for f in findings] == ["POLICY-INVALID"]
    assert "overlaps 1-3" in findings[0].message
