"""PII-EXPOSED through the source-text pre-filter: where in a file a number is found."""

from __future__ import annotations

import datetime
from pathlib import Path

from beancount import loader
from ledgers import PRELUDE

from ledger import books as books_mod
from ledger.checks import pii
from ledger.recipients import make_card
from ledger.recipients import make_id

IDENT = make_id("140105", datetime.date(1980, 5, 17), 3)
CARD = make_card("622848", 41)
AS_OF = datetime.date(2026, 1, 1)


def test_run_lines_numbers_the_lines_holding_16_digit_runs() -> None:
    text = f"a 123\nb {CARD}\nc {'9' * 15}\n\nd {IDENT[:17]}X e {CARD}\n".encode()
    assert pii.run_lines(text) == [2, 5]
    assert pii.run_lines(b"") == []


def _write(tmp_path: Path, included: str) -> Path:
    (tmp_path / "2020.beancount").write_text(included, encoding="utf-8")
    main = tmp_path / "main.beancount"
    main.write_text(PRELUDE + 'include "2020.beancount"\n', encoding="utf-8")
    return main


def test_a_number_deep_in_an_entry_of_an_included_file_is_found(tmp_path: Path) -> None:
    main = _write(
        tmp_path,
        "; a comment holding " + CARD + " is not an entry's string\n"
        '2020-03-01 * "a" "clean"\n'
        "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
        '2020-03-02 * "b" "multi\nline"\n'
        "  Assets:Treasury:Yingze  -1.00 CNY\n"
        f'    remark: "卡 {CARD}"\n'
        "  Assets:Reserve:Yingze:Liuxiang\n"
        '2020-03-03 * "c" "second\n'
        f'line {IDENT}"\n'
        "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n",
    )
    found = pii.findings(books_mod.load(main, AS_OF))
    assert [(f.date, f.file.endswith("2020.beancount")) for f in found] == [
        ("2020-03-02", True),
        ("2020-03-03", True),
    ]
    assert "card number" in found[0].message and "metadata remark" in found[0].message
    assert "ID number" in found[1].message and "narration" in found[1].message


def test_entries_not_read_from_a_file_are_scanned_whole() -> None:
    # A plugin's entries (here: a string ledger) name no readable file.
    entries, _, options = loader.load_string(
        PRELUDE + f'2020-03-01 custom "payout-failed" "{CARD}" 5.00 CNY\n'
    )
    books = books_mod.Books(entries, options, AS_OF)
    assert [f.code for f in pii.findings(books)] == ["PII-EXPOSED"]


def test_a_file_gone_since_the_load_is_scanned_entry_by_entry(tmp_path: Path) -> None:
    main = _write(tmp_path, f'2020-03-01 custom "payout-failed" "{IDENT}" 5.00 CNY\n')
    books = books_mod.load(main, AS_OF)
    (tmp_path / "2020.beancount").unlink()
    assert [f.date for f in pii.findings(books)] == ["2020-03-01"]


def test_text_beancount_writes_for_a_pad_is_scanned(tmp_path: Path) -> None:
    # The padding transaction's narration names the balance: text that is in no file.
    main = tmp_path / "main.beancount"
    main.write_text(
        PRELUDE
        + "2020-01-01 open Assets:Other CNY\n2020-01-01 open Equity:Other CNY\n"
        + "2020-01-02 pad Assets:Other Equity:Other\n"
        + f"2020-01-03 balance Assets:Other  {CARD}.00 CNY\n",
        encoding="utf-8",
    )
    found = pii.findings(books_mod.load(main, AS_OF))
    assert [(f.code, f.date) for f in found] == [("PII-EXPOSED", "2020-01-02")]
    assert "narration of this transaction" in found[0].message
