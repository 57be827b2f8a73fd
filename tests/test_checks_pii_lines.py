"""PII-EXPOSED: the entry at a line found, looked up by its header, and what counts as a number."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from ledgers import PRELUDE

from ledger import books as books_mod
from ledger.checks import pii
from ledger.checks import pii_scan
from ledger.recipients import make_card
from ledger.recipients import make_id

IDENT = make_id("140105", datetime.date(1980, 5, 17), 3)
X_IDENT = make_id("140105", datetime.date(1980, 5, 17), 8)  # Its check character is an X.
CARD = make_card("622848", 41)
AS_OF = datetime.date(2026, 1, 1)
PAYMENT = "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"


def _books(tmp_path: Path, included: str, head: str = "") -> books_mod.Books:
    (tmp_path / "2020.beancount").write_text(included, encoding="utf-8")
    main = tmp_path / "main.beancount"
    main.write_text(head + PRELUDE + 'include "2020.beancount"\n', encoding="utf-8")
    return books_mod.load(main, AS_OF)


def _found(books: books_mod.Books) -> list[tuple[str, int, str]]:
    return [
        (f.date, f.line, f.message.split(" in the ", 1)[1].split(":")[0])
        for f in pii.findings(books)
    ]


def _no_walk(monkeypatch: Any) -> None:
    def walk(*args: Any) -> list[Any]:
        raise AssertionError("the entries were walked")

    monkeypatch.setattr(pii, "_walk", walk)


def test_hits_tie_each_line_to_the_directive_above_it() -> None:
    text = (
        f'option "title" "{CARD}"\n'  # line 1: above every directive
        "2020-03-01 * \"a\"\n"
        f'  remark: "{CARD}"\n'  # line 3
        "; between\n"
        f"2020/3/2 custom \"x\" \"{IDENT}\"\n"  # line 5: the header itself
        f"2020-02-30 * \"b\"\n  remark: \"{CARD}\"\n"  # a date that is no date
    ).encode()
    assert pii_scan.hits(text) == [
        pii_scan.Hit(1, 0, None),
        pii_scan.Hit(3, 2, datetime.date(2020, 3, 1)),
        pii_scan.Hit(5, 5, datetime.date(2020, 3, 2)),
        pii_scan.Hit(7, 6, None),
    ]


def test_a_run_of_20_digits_or_more_is_no_hit() -> None:
    text = f"a {'7' * 20}\nb {'7' * 19}\nc {'7' * 16}X\n".encode()
    assert pii_scan.run_lines(text) == [2, 3]


def test_entries_at_the_lines_found_without_walking_every_entry(
    tmp_path: Path, monkeypatch: Any
) -> None:
    books = _books(
        tmp_path,
        '2020-03-01 * "a" "clean"\n' + PAYMENT
        + f'2020-03-02 * "b" "paid"\n  remark: "卡 {CARD}"\n' + PAYMENT
        + f'2020-03-02 note Assets:Treasury:Yingze "{IDENT}"\n'
        + '2020-03-03 * "c" "two\n' + f'line {IDENT}"\n' + PAYMENT,
    )
    _no_walk(monkeypatch)
    assert _found(books) == [
        ("2020-03-02", 4, "metadata remark of this transaction"),
        ("2020-03-02", 8, "comment of this note"),
        ("2020-03-03", 9, "narration of this transaction"),
    ]


def test_a_string_line_that_looks_like_a_header_falls_back_to_the_walk(
    tmp_path: Path,
) -> None:
    books = _books(
        tmp_path,
        '2020-03-04 * "d" "first\n2020-01-01 looks like a header\n' + f'id {IDENT}"\n' + PAYMENT,
    )
    assert _found(books) == [("2020-03-04", 1, "narration of this transaction")]


def test_a_foreign_plugin_makes_the_walk_look_at_its_entries(tmp_path: Path) -> None:
    (tmp_path / "addnote.py").write_text(
        "from beancount.core import data\n"
        "import datetime\n"
        "__plugins__ = ('addnote',)\n"
        "def addnote(entries, options_map):\n"
        "    meta = data.new_metadata('<addnote>', 0)\n"
        f"    note = data.Note(meta, datetime.date(2020, 5, 1), 'Assets:Treasury:Yingze', '{CARD}',"
        " frozenset(), frozenset())\n"
        "    return entries + [note], []\n",
        encoding="utf-8",
    )
    head = 'option "insert_pythonpath" "TRUE"\nplugin "addnote"\n'
    books = _books(tmp_path, '2020-03-01 * "a" "clean"\n' + PAYMENT, head)
    assert _found(books) == [("2020-05-01", 0, "comment of this note")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"{CARD}X", "card number"),  # the digit run is maximal: an X after it is no digit
        (f"{IDENT}x", "ID number"),
        (X_IDENT, "ID number"),
            (f"{X_IDENT}7", "ID number"),  # the run of 17 digits is maximal; an X ends it
        ("12345678901234567X", None),  # 17 digits and an X, neither an ID nor a card
        (f"a{CARD}0", None),  # not a maximal run
    ],
)
def test_what_counts_as_a_full_number(text: str, kind: str | None) -> None:
    assert X_IDENT.endswith("X") and not IDENT.endswith("X")
    assert pii.exposed_kind(text) == kind


def test_an_event_type_a_query_name_and_a_document_path_are_read(tmp_path: Path) -> None:
    books = _books(
        tmp_path,
        f'2020-03-01 event "{IDENT}" "moved"\n'
        f'2020-03-02 query "{CARD}" "SELECT 1"\n'
        f'2020-03-03 document Assets:Treasury:Yingze "/nowhere/{CARD}.pdf"\n',
    )
    assert _found(books) == [
        ("2020-03-01", 1, "type of this event"),
        ("2020-03-02", 2, "name of this query"),
        ("2020-03-03", 3, "filename of this document"),
    ]


def test_one_finding_names_every_place_of_its_entry(tmp_path: Path) -> None:
    books = _books(
        tmp_path,
        f'2020-03-02 * "{IDENT}" "卡号 {CARD}"\n  remark: "{CARD}"\n' + PAYMENT,
    )
    (found,) = pii.findings(books)
    assert found.message.startswith(
        "PII-EXPOSED a full ID number in the payee; a full card number in the narration; "
        "a full card number in the metadata remark of this transaction"
    )
