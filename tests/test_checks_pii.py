"""PII-EXPOSED through the source-text pre-filter: where in a file a number is found."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from beancount import loader
from beancount.core import data
from ledgers import PRELUDE

from ledger import books as books_mod
from ledger.checks import pii
from ledger.checks import pii_scan
from ledger.recipients import make_card
from ledger.recipients import make_id

IDENT = make_id("140105", datetime.date(1980, 5, 17), 3)
CARD = make_card("622848", 41)
AS_OF = datetime.date(2026, 1, 1)


def test_run_lines_numbers_the_lines_holding_16_digit_runs() -> None:
    text = f"a 123\nb {CARD}\nc {'9' * 15}\n\nd {IDENT[:17]}X e {CARD}\n".encode()
    assert pii_scan.run_lines(text) == [2, 5]
    assert pii_scan.run_lines(b"") == []


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


def test_has_run_finds_a_run_across_chunk_boundaries(tmp_path: Path, monkeypatch: Any) -> None:
    # Tiny chunks: every run below straddles a boundary at some offset.
    monkeypatch.setattr(pii_scan, "_CHUNK", 8)
    path = tmp_path / "t.beancount"
    for size in (15, 16, 17, 18):
        for offset in range(24):
            text = b"x" * offset + b"7" * size + b"\n" + b"y" * (offset % 5)
            path.write_bytes(text)
            with open(path, "rb", buffering=0) as handle:
                assert pii_scan.has_run(handle) is (size >= 16), (size, offset)
            assert (pii_scan.run_lines(text) != []) is (size >= 16)
    path.write_bytes(b"")
    with open(path, "rb", buffering=0) as handle:
        assert not pii_scan.has_run(handle)


def _reference_suspects(books: books_mod.Books) -> list[int]:
    """The entries the walk must file, by the plain rule, one by one (ids)."""
    readable = set(books.options.get("include") or ())
    found = []
    for entry in books.entries:
        meta = entry.meta
        name = meta.get("filename") if meta else None
        if name not in readable or getattr(entry, "flag", None) == "P":
            found.append(id(entry))
    return found


def test_the_pairwise_walk_files_every_odd_entry_at_any_position(tmp_path: Path) -> None:
    # Clean files (no run of 16 digits): only unfiled and padding entries are suspects.
    main = _write(
        tmp_path,
        "".join(
            f'2020-03-{d:02d} * "a" "clean"\n'
            "  Assets:Treasury:Yingze  -1.00 CNY\n  Assets:Reserve:Yingze:Liuxiang\n"
            for d in range(1, 8)
        ),
    )
    loaded = books_mod.load(main, AS_OF)
    clean = [e for e in loaded.entries if e.date.year == 2020]
    template = clean[0]
    assert isinstance(template, data.Transaction)
    odd: list[data.Directive] = [
        template._replace(meta={"lineno": 0}),  # a plugin's entry naming no file
        template._replace(meta={"filename": "<plugin>", "lineno": 0}),
        template._replace(flag="P"),  # a padding transaction from a readable file
        data.Custom(template.meta, template.date, "x", []),  # another kind, same file
    ]
    for size in range(1, 6):
        for at in range(size):
            for entry in odd:
                entries: list[data.Directive] = [*clean[:size]]
                entries[at] = entry
                books = books_mod.Books(entries, loaded.options, AS_OF, loaded.main_file)
                readable = set(books.options.get("include") or ())
                got = [id(e) for e in pii._walk(books, readable, {})]
                assert got == _reference_suspects(books), (size, at, entry)
