"""The shortcuts of `ledger.advance_match` give the rows the general path gives.

The usual advance (paid by one transaction, cleared by one later settlement or recovery) is
matched inline and gets its row while the transactions are read; a lone advance gets its row
directly; every other link goes through its events. Each test reads a ledger twice: as
written, and with every `^adv-` transaction tagged `#checked`, which sends it down the general
path (a tag other than `#reversal` changes no event of a balanced transaction). The rows must
be the same, field by field (transactions compared by their line).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beancount.core import data
from ledgers import PRELUDE

from ledger import advance_match
from ledger.books import Books

Load = Callable[..., Books]
AS_OF = "2018-06-01"
_WHERE = {
    "L": ("Yingze", "Liuxiang"),
    "Q": ("Yingze", "Qiaodong"),
    "X": ("Wanbailin", "Xinghua"),
}


def _txn(date: str, link: str, postings: list[tuple[str, str, str]], case: str | None = "",
         extra: str = "") -> str:
    """Return a transaction of `^adv-<link>`: postings as (role, township key, number).

    Roles: "adv" (the advances account), "res" (the reserve), "rel" (the relief expense).
    The case is the link unless given; None writes no `case`.
    """
    lines = [f'{date} * "周建国" "先行救助" ^adv-{link}{extra}']
    if case is not None:
        lines.append(f'  case: "{case or link}"')
    for role, key, number in postings:
        county, township = _WHERE[key]
        account = {
            "adv": f"Assets:Advances:{county}:{township}",
            "res": f"Assets:Reserve:{county}:{township}",
            "rel": f"Expenses:Relief:{county}:{township}:Emergency",
        }[role]
        lines.append(f"  {account}  {number} CNY")
    return "\n".join(lines) + "\n\n"


def _paid(date: str, link: str, number: str, key: str = "L", **kw: Any) -> str:
    return _txn(date, link, [("adv", key, number), ("res", key, f"-{number}")], **kw)


def _settled(date: str, link: str, number: str, key: str = "L", **kw: Any) -> str:
    return _txn(date, link, [("rel", key, number), ("adv", key, f"-{number}")], **kw)


def _recovered(date: str, link: str, number: str, key: str = "L", **kw: Any) -> str:
    return _txn(date, link, [("res", key, number), ("adv", key, f"-{number}")], **kw)


def _rows(books: Books) -> list[tuple[Any, ...]]:
    """Return the rows with each transaction as its line."""
    return [
        tuple(v.meta["lineno"] if isinstance(v, data.Transaction) else v for v in row)
        for row in advance_match.compute(books)
    ]


def _both(books_from: Load, text: str) -> list[tuple[Any, ...]]:
    """Return the rows of the ledger, checked against those of the general path."""
    rows = _rows(books_from(PRELUDE + text, AS_OF))
    tagged = text.replace(" ^adv-", " #checked ^adv-")
    assert tagged != text
    assert rows == _rows(books_from(PRELUDE + tagged, AS_OF))
    return rows


def test_usual_advance_gets_its_row_while_matching(books_from: Load) -> None:
    text = (
        _paid("2018-03-01", "S1", "800.00")
        + _paid("2018-03-01", "R1", "500.00", "Q")
        + _paid("2018-03-02", "O1", "300.00", "X")
        # The advances posting second, then first: the same advance.
        + _txn("2018-03-02", "W1", [("res", "L", "-250.00"), ("adv", "L", "250.00")])
        + _settled("2018-03-05", "O1", "350.00", "X")
        + _txn("2018-03-06", "W1", [("adv", "L", "-250.00"), ("rel", "L", "250.00")])
        + _settled("2018-03-20", "S1", "800.00")
        + _recovered("2018-04-10", "R1", "500.00", "Q")
    )
    rows = {row[0]: row for row in _both(books_from, text)}
    assert list(rows) == ["adv-S1", "adv-R1", "adv-O1", "adv-W1"]
    # (settled, recovered, settled on, oversettled by is the closer)
    seen = {
        link: (str(row[11]), str(row[12]), str(row[13]), row[16] == row[15])
        for link, row in rows.items()
    }
    assert seen == {
        "adv-S1": ("800.00", "0", "2018-03-20", False),
        "adv-R1": ("0", "500.00", "2018-04-10", False),
        "adv-O1": ("350.00", "0", "2018-03-05", True),
        "adv-W1": ("250.00", "0", "2018-03-06", False),
    }
    assert rows["adv-R1"][2:5] == ("Yingze", "Qiaodong", "桥东街道")


def test_other_sequences_leave_the_usual_path(books_from: Load) -> None:
    text = (
        _paid("2018-03-02", "P1", "800.00")  # Settled in part, recovered the rest.
        + _paid("2018-03-03", "C3", "200.00")  # Cleared, then advanced again.
        + _paid("2018-03-04", "SD", "600.00")  # Settled the day it was paid.
        + _settled("2018-03-04", "SD", "600.00")
        + _settled("2018-03-06", "C3", "200.00")
        + _settled("2018-03-07", "SF", "100.00")  # Settled, never advanced.
        + _settled("2018-03-10", "P1", "500.00")
        + _paid("2018-03-12", "C3", "100.00")
        + _recovered("2018-03-15", "P1", "300.00")
        + _paid("2018-03-16", "TW", "100.00")  # Advanced twice, then cleared.
        + _paid("2018-03-17", "TW", "50.00")
        + _settled("2018-03-18", "TW", "150.00")
        + _paid("2018-03-18", "PS", "800.00")  # Settled in part only.
        + _settled("2018-03-19", "PS", "300.00")
    )
    rows = {row[0]: row for row in _both(books_from, text)}
    assert list(rows) == ["adv-P1", "adv-C3", "adv-SD", "adv-SF", "adv-TW", "adv-PS"]
    totals = {link: tuple(str(n) for n in row[10:13]) for link, row in rows.items()}
    assert totals == {
        "adv-P1": ("800.00", "500.00", "300.00"),
        "adv-C3": ("300.00", "200.00", "0"),
        "adv-SD": ("600.00", "600.00", "0"),
        "adv-SF": ("0", "100.00", "0"),
        "adv-TW": ("150.00", "150.00", "0"),
        "adv-PS": ("800.00", "300.00", "0"),
    }
    assert (rows["adv-PS"][13], rows["adv-PS"][15]) == (None, None)  # Not cleared.


def test_lone_advances_and_links_without_rows_keep_the_order(books_from: Load) -> None:
    text = (
        _paid("2018-03-01", "A1", "250.00")
        + _paid("2018-03-01", "A2", "250.00")  # The same place and day as A1.
        + _paid("2018-03-01", "A3", "700.00", "X")
        # A relief paid from the reserve under an advance link: no row.
        + _txn("2018-03-02", "NR", [("rel", "L", "90.00"), ("res", "L", "-90.00")])
        # Nothing moved first, then an advance.
        + _paid("2018-03-02", "Z1", "0.00")
        + _paid("2018-03-03", "Z1", "120.00", "Q")
        + _settled("2018-03-04", "A2", "250.00")
    )
    rows = _both(books_from, text)
    assert [row[0] for row in rows] == ["adv-A1", "adv-A2", "adv-A3", "adv-Z1"]
    outstanding = {row[0]: str(row[10] - row[11] - row[12]) for row in rows}
    assert outstanding == {"adv-A1": "250.00", "adv-A2": "0.00", "adv-A3": "700.00",
                           "adv-Z1": "120.00"}
    assert [str(row[7]) for row in rows] == ["2018-03-31"] * 3 + ["2018-04-02"]


def test_other_shapes_of_transaction_are_read(books_from: Load) -> None:
    text = (
        _paid("2018-03-06", "ML", "700.00", extra=" ^batch-7")  # Two links.
        + _paid("2018-03-07", "TP", "1000.00")
        + _paid("2018-03-07", "NC", "400.00", case=None)  # No case: the closer's.
        + _txn("2018-03-07", "B1", [("rel", "L", "1.00"), ("res", "L", "-1.00")],
               extra=" ^adv-B2")  # Two advance links: not an advance.
        + _settled("2018-03-08", "NC", "400.00", case="NC-9")
        + _settled("2018-03-09", "ML", "700.00", extra=" ^batch-8")
        + _txn("2018-03-11", "TP", [  # Three postings: settled in part, recovered the rest.
            ("rel", "L", "600.00"), ("res", "L", "400.00"), ("adv", "L", "-1000.00")])
    )
    rows = {row[0]: row for row in _both(books_from, text)}
    assert list(rows) == ["adv-ML", "adv-TP", "adv-NC"]
    assert rows["adv-NC"][1] == "NC-9"
    assert [str(rows["adv-TP"][i]) for i in (11, 12, 13)] == ["600.00", "400.00", "2018-03-11"]
    assert str(rows["adv-ML"][13]) == "2018-03-09"


def test_deadline_asked_once_after_its_last_change(books_from: Load) -> None:
    policy = """
2018-03-10 custom "advance-deadline" 10
  county: "Yingze"
2018-04-01 custom "advance-deadline" 20

"""
    text = policy + (
        _paid("2018-03-01", "D1", "100.00")
        + _paid("2018-03-12", "D2", "100.00")
        + _paid("2018-03-12", "D3", "100.00", "X")
        + _paid("2018-04-05", "D4", "100.00", "Q")
        + _paid("2018-04-05", "D5", "100.00", "X")
        + _paid("2018-04-06", "D6", "100.00", "X")
    )
    rows = _both(books_from, text)
    assert [(row[0], str(row[7]), row[8], row[9]) for row in rows] == [
        ("adv-D1", "2018-03-31", 30, "policy of 2015-06-01"),
        ("adv-D2", "2018-03-22", 10, "policy of 2018-03-10"),
        ("adv-D3", "2018-04-11", 30, "policy of 2015-06-01"),
        ("adv-D4", "2018-04-15", 10, "policy of 2018-03-10"),
        ("adv-D5", "2018-04-25", 20, "policy of 2018-04-01"),
        ("adv-D6", "2018-04-26", 20, "policy of 2018-04-01"),
    ]
