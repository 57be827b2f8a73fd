from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_books
from ledgers import PRELUDE

from cli.main import main
from ledger import audit
from ledger import books as books_mod
from ledger.findings import CODES
from ledger.findings import JSON_FIELDS
from ledger.findings import Finding


def test_syntax_error_is_fatal(tmp_path: Path) -> None:
    path = write_books(tmp_path, PRELUDE + "2020-01-01 open assets:lower\n")
    with pytest.raises(books_mod.BooksError, match="cannot be read"):
        books_mod.load(path)


def test_missing_include_is_fatal_at_its_line(tmp_path: Path) -> None:
    path = write_books(tmp_path, PRELUDE + 'include "2025/missing.beancount"\n')
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(books_mod.BooksError, match="does not match any files") as raised:
        books_mod.load(path)
    assert f"{path}:{line}: File glob" in str(raised.value)


def test_missing_books_file(tmp_path: Path) -> None:
    with pytest.raises(books_mod.BooksError, match="no such books file"):
        books_mod.load(tmp_path / "nope.beancount")


def test_beancount_errors_become_findings(tmp_path: Path) -> None:
    path = write_books(
        tmp_path, PRELUDE + "2020-01-01 balance Assets:Treasury:Yingze  5.00 CNY\n"
    )
    books = books_mod.load(path, datetime.date(2021, 1, 1))
    findings = [f for f in audit.audit(books) if f.code == "BEANCOUNT"]
    assert len(findings) == 1
    assert "Balance failed for 'Assets:Treasury:Yingze'" in findings[0].message
    assert findings[0].line == PRELUDE.count("\n") + 1


def test_plugin_findings_are_set_aside(tmp_path: Path) -> None:
    # The plugin's as_of is far in the past; the audit runs its own checks with its own date.
    text = 'plugin "plugins.integrity" "{\'as_of\': \'2000-01-01\'}"\n' + PRELUDE
    text += '2018-01-01 custom "notice-days" "seven"\n'
    books = books_mod.load(write_books(tmp_path, text), datetime.date(2021, 1, 1))
    assert books.errors == []
    codes = [f.code for f in audit.audit(books)]
    assert codes == ["POLICY-INVALID"]


def test_plugin_bad_config_is_one_error(tmp_path: Path) -> None:
    from beancount import loader

    text = 'plugin "plugins.integrity" "{as_of: nope"\n' + PRELUDE
    _, errors, _ = loader.load_string(text)
    assert len(errors) == 1
    assert "plugins.integrity: config" in errors[0].message


def test_audit_json_has_exactly_the_spec_fields(tmp_path: Path) -> None:
    path = write_books(tmp_path, PRELUDE + '2018-01-01 custom "split-window" -1\n')
    result = CliRunner().invoke(main, ["audit", str(path), "--format", "json"])
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert [tuple(r) for r in rows] == [JSON_FIELDS]
    assert rows[0]["code"] == "POLICY-INVALID"
    assert rows[0]["severity"] == "error"
    assert rows[0]["explained"] is False


def test_explained_findings_leave_the_exit_code(tmp_path: Path) -> None:
    text = PRELUDE + "2018-01-01 open Assets:Cash:Yingze:Nowhere CNY\n"
    path = write_books(tmp_path, text)
    assert CliRunner().invoke(main, ["audit", str(path)]).exit_code == 1
    text += (
        '2018-02-01 custom "explained" "ACCOUNT-INVALID" "Assets:Cash:Yingze:Nowhere"\n'
        '  reason: "closed before the merger"\n  by: "审计科"\n'
    )
    path = write_books(tmp_path, text)
    result = CliRunner().invoke(main, ["audit", str(path)])
    assert result.exit_code == 0, result.output
    assert "[explained]" in result.stdout


def test_finding_amount_format() -> None:
    from decimal import Decimal

    finding = Finding("OVER-AUTHORITY", "OVER-AUTHORITY x", amount=Decimal("650"))
    assert finding.to_json()["amount"] == "650.00"
    assert Finding("X", "x", amount=Decimal("1.5")).to_json()["amount"] == "1.50"
    assert Finding("X", "x").to_json()["amount"] == ""
    assert "BANK-UNMATCHED" in CODES and "EXPORT-MISMATCH" in CODES


def test_customs_without_values_do_not_crash(tmp_path: Path) -> None:
    text = PRELUDE + "".join(
        f'2020-01-0{i + 1} custom "{kind}"\n'
        for i, kind in enumerate(
            ["explained", "approval", "reserve-config", "seal", "payout-failed", "notice-days"]
        )
    )
    books = books_mod.load(write_books(tmp_path, text), datetime.date(2021, 1, 1))
    codes = {f.code for f in audit.audit(books)}
    assert "POLICY-INVALID" in codes and "SEAL-BROKEN" in codes


def test_plugins_of_one_load_share_one_books() -> None:
    from beancount.core import data as bc_data

    from ledger import plugin

    entries: list[bc_data.Directive] = []
    options: dict[str, object] = {"filename": ""}
    first = plugin._books_for(entries, options, datetime.date(2021, 1, 1))
    assert plugin._books_for(entries, options, datetime.date(2021, 1, 1)) is first
    assert plugin._books_for(entries, options, datetime.date(2022, 1, 1)) is not first
    assert plugin._books_for([], options, datetime.date(2022, 1, 1)) is not first


def test_kinds_hold_every_entry_by_class_in_book_order(tmp_path: Path) -> None:
    from beancount.core import data as bc_data

    text = PRELUDE + '2020-01-02 custom "approval"\n2020-01-03 custom "notice-days" 9\n'
    books = books_mod.load(write_books(tmp_path, text), datetime.date(2021, 1, 1))
    assert sum(map(len, books.kinds.values())) == len(books.entries)
    for kind, entries in books.kinds.items():
        assert entries == [e for e in books.entries if e.__class__ is kind]
    # The custom written without values has an empty list there too, as in `entries`.
    approval = [e for e in books.kinds[bc_data.Custom] if e.type == "approval"]
    assert approval and approval[0].values == []
    assert books.policy.days("notice-days", "Yingze", datetime.date(2020, 6, 1)) == 9


def test_books_and_their_views_are_freed_without_the_collector(tmp_path: Path) -> None:
    import gc
    import weakref

    from ledger import advances

    books = books_mod.load(write_books(tmp_path, PRELUDE), datetime.date(2021, 1, 1))
    audit.audit(books)
    advances.all_advances(books)
    gone = weakref.ref(books)
    # The views are compiled classes (`ledger.native`), which take no weak reference: they
    # are looked for among the live objects by identity and type.
    views = {id(books.index): type(books.index), id(books.postings): type(books.postings)}
    enabled = gc.isenabled()
    gc.disable()
    try:
        del books  # No cycle: reference counting frees the books and every view at once.
        assert gone() is None
        assert [o for o in gc.get_objects() if views.get(id(o)) is type(o)] == []
    finally:
        if enabled:
            gc.enable()


def test_no_gc_files_what_the_checks_keep_with_the_oldest_objects() -> None:
    import gc

    from ledger.plugin import no_gc

    with no_gc():
        kept = [[i] for i in range(1000)]
    assert gc.get_count()[0] < 1000  # No young collection is due for them.
    assert not any(x is kept for x in gc.get_objects(generation=0))
    assert any(x is kept for x in gc.get_objects(generation=2))
    # Objects frozen by someone else stay frozen.
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with no_gc():
            kept.append([1])
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
