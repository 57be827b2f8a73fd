from __future__ import annotations

import datetime
from collections.abc import Callable

from ledgers import PRELUDE

from ledger.books import Books
from ledger.checks import integrity
from ledger.recipients import make_card
from ledger.recipients import make_id

BooksFrom = Callable[..., Books]


def _codes(books: Books) -> list[str]:
    return [f.code for f in integrity.check(books)]


def test_full_id_in_narration(books_from: BooksFrom) -> None:
    ident = make_id("140105", datetime.date(1975, 3, 9), 12)
    books = books_from(
        PRELUDE
        + f'2020-03-01 * "周建国" "身份证 {ident}"\n'
        + "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
    )
    findings = integrity.check(books)
    assert [f.code for f in findings] == ["PII-EXPOSED"]
    assert "ID number" in findings[0].message and "narration" in findings[0].message
    assert ident not in findings[0].message


def test_card_in_metadata_and_near_misses(books_from: BooksFrom) -> None:
    card = make_card("622202", 99)
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    ident = make_id("140105", datetime.date(1975, 3, 9), 12)
    books = books_from(
        PRELUDE
        + '2020-03-01 * "a" "b"\n'
        + f'  note: "卡 {card}"\n'
        + "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
        + '2020-03-02 * "a" "near misses"\n'
        + f'  note: "{wrong} {ident}1 9{card}"\n'
        + f'  bank-account: "{card}"\n'
        + f'  batch: "{card}"\n'
        + '  recipient: "r-0123456789abcdef"\n'
        + "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
    )
    findings = integrity.check(books)
    assert [(f.code, f.date) for f in findings] == [("PII-EXPOSED", "2020-03-01")]
    assert "card number" in findings[0].message


def test_pii_is_found_after_the_audit_date(books_from: BooksFrom) -> None:
    card = make_card("622202", 5)
    books = books_from(
        PRELUDE + f'2030-01-01 custom "payout-failed" "{card}" 5.00 CNY\n', "2026-01-01"
    )
    assert _codes(books) == ["PII-EXPOSED"]


def test_account_invalid(books_from: BooksFrom) -> None:
    books = books_from(
        PRELUDE
        + "2018-01-01 open Assets:Reserve:Yingze CNY\n"
        + "2018-01-01 open Assets:Cash:Yingze:Nowhere CNY\n"
        + "2018-01-01 open Assets:Treasury:Yingze:Extra CNY\n"
        + "2018-01-01 open Expenses:Relief:Xiaodian:Liuxiang:Small CNY\n"
        + "2018-01-01 open Expenses:Admin:Yingze:Office CNY\n"
    )
    found = {(f.key, f.code) for f in integrity.check(books)}
    assert found == {
        ("Assets:Reserve:Yingze", "ACCOUNT-INVALID"),
        ("Assets:Cash:Yingze:Nowhere", "ACCOUNT-INVALID"),
        ("Assets:Treasury:Yingze:Extra", "ACCOUNT-INVALID"),
        ("Expenses:Relief:Xiaodian:Liuxiang:Small", "ACCOUNT-INVALID"),
    }


def test_clean_prelude_has_no_integrity_finding(books_from: BooksFrom) -> None:
    assert _codes(books_from(PRELUDE)) == []


def test_policy_invalid_is_reported(books_from: BooksFrom) -> None:
    books = books_from(PRELUDE + '2018-01-01 custom "reserve-idle" 2\n')
    assert _codes(books) == ["POLICY-INVALID"]
