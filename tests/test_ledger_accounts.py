from __future__ import annotations

import pytest

from ledger import accounts


@pytest.mark.parametrize(
    ("account", "role", "county", "township", "procedure"),
    [
        ("Assets:Treasury:Yingze", "treasury", "Yingze", "", ""),
        ("Income:Funding:Yingze", "funding", "Yingze", "", ""),
        ("Assets:Reserve:Yingze:Liuxiang", "reserve", "Yingze", "Liuxiang", ""),
        ("Assets:Advances:Yingze:Liuxiang", "advances", "Yingze", "Liuxiang", ""),
        ("Assets:InTransit:Yingze:Liuxiang", "intransit", "Yingze", "Liuxiang", ""),
        ("Expenses:Relief:Yingze:Liuxiang:General", "relief", "Yingze", "Liuxiang", "general"),
        ("Expenses:BankFees:Wanbailin:Xinghua", "bankfees", "Wanbailin", "Xinghua", ""),
        ("Income:Interest:Wanbailin:Xinghua", "interest", "Wanbailin", "Xinghua", ""),
    ],
)
def test_parse(account: str, role: str, county: str, township: str, procedure: str) -> None:
    info = accounts.parse(account)
    assert info is not None
    assert (info.role, info.county, info.township, info.procedure) == (
        role,
        county,
        township,
        procedure,
    )
    assert accounts.account_for(role, county, township, procedure) == account


@pytest.mark.parametrize(
    ("account", "why"),
    [
        ("Assets:Reserve:Yingze", "expected Assets:Reserve:<County>:<Township>"),
        ("Assets:Treasury:Yingze:Liuxiang", "expected Assets:Treasury:<County>"),
        ("Expenses:Relief:Yingze:Liuxiang:Other", "procedure 'Other'"),
        ("Expenses:Relief:Yingze:Liuxiang", "expected Expenses:Relief:<County>:<Township>:"),
        ("Assets:Cash:Yingze:Liu-xiang", "is not PascalCase"),
    ],
)
def test_shape_problems(account: str, why: str) -> None:
    problem = accounts.shape_problem(account)
    assert problem is not None and why in problem
    assert accounts.parse(account) is None


def test_other_accounts_are_left_alone() -> None:
    for account in ("Expenses:Admin:Yingze", "Assets:Bank:Checking", "Assets:Reserves:X"):
        assert accounts.shape_problem(account) is None
        assert accounts.parse(account) is None
