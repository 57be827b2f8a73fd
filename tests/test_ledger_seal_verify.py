"""The v1 seal: which edits break it (SEAL-BROKEN) and which do not; the seal plugin."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from beancount import loader
from ledgers import PRELUDE
from seal_fixtures import COVERED
from seal_fixtures import LATER
from seal_fixtures import _findings
from seal_fixtures import _load
from seal_fixtures import _seal_line
from seal_fixtures import _sealed
from seal_fixtures import _write

from ledger import books as books_mod
from ledger import seal as seal_mod
from ledger.checks import seal as seal_check
from ledger.findings import Finding


def _assert_broken(
    findings: list[Finding], text: str, seal_date: str = "2018-12-31"
) -> None:
    assert [f.code for f in findings] == ["SEAL-BROKEN"], findings
    line = next(
        n
        for n, t in enumerate(text.splitlines(), 1)
        if t.startswith(f'{seal_date} custom "seal"')
    )
    assert findings[0].line == line
    assert findings[0].date == seal_date
    assert findings[0].message.startswith(f"SEAL-BROKEN seal of {seal_date}: the ")
    assert "(an entry was edited, added or deleted)" in findings[0].message


def test_untouched_books_verify(tmp_path: Path) -> None:
    assert _findings(tmp_path, _sealed(tmp_path)) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("-450.00 CNY", "-451.00 CNY"),  # amount
        ('"周建国" "临时救助"', '"周建华" "临时救助"'),  # payee
        ('"李秀英" "临时救助"', '"李秀英" "临时救助 "'),  # narration
        ('approver: "柳巷街道办事处"', 'approver: "柳巷街道"'),  # metadata value
        ("approved: 2018-03-03", 'approved: "2018-03-03"'),  # metadata type
        ("ratio: 1.50", "ratio: 1.5"),  # the same Decimal value, written otherwise
        ("#relief", "#relief #other"),  # tag
        ('"township" 500.00 CNY', '"township" 600.00 CNY'),  # policy directive
        ('  procedure: "emergency"\n', ""),  # policy scope
        ("997500.00 CNY", "997500.00 ~ 0.01 CNY"),  # balance tolerance
        ('"对账完成"', '"对账已完成"'),  # note
        ('"王审计"', '"李审计"'),  # event
        ('  name: "柳巷街道"\n', ""),  # open metadata
        (
            "Expenses:Relief:Yingze:Liuxiang:General  2500.00",
            "Expenses:Relief:Yingze:Liuxiang:Small  2500.00",
        ),
    ],
)
def test_every_edit_of_a_covered_entry_breaks_the_seal(
    tmp_path: Path, old: str, new: str
) -> None:
    text = _sealed(tmp_path)
    assert text.count(old) == 1
    tampered = text.replace(old, new)
    _assert_broken(_findings(tmp_path, tampered), tampered)


def test_deleting_a_covered_entry_breaks_the_seal(tmp_path: Path) -> None:
    text = _sealed(tmp_path)
    tampered = text.replace('2018-05-03 event "auditor" "王审计"\n', "")
    assert tampered != text
    findings = _findings(tmp_path, tampered)
    _assert_broken(findings, tampered)
    count = len(seal_mod.sorted_lines(_load(tmp_path / "main.beancount").entries))
    assert f"the {count:,} entries dated on or before it" in findings[0].message


@pytest.mark.parametrize(
    "added",
    [
        '2018-07-01 * "补录" "临时救助"\n  Assets:Reserve:Yingze:Liuxiang  -10.00 CNY\n'
        "  Expenses:Relief:Yingze:Liuxiang:Small\n",
        "2018-12-31 close Assets:Cash:Yingze:Qiaodong\n",
        '2018-08-01 custom "advance-deadline" 60\n',
        '2018-08-01 custom "payout-failed" "YZ-LX-2018-103" 300.00 CNY\n',
        '2018-08-01 document Assets:Treasury:Yingze "scans/a.pdf"\n',
        "2018-08-01 pad Assets:Cash:Yingze:Liuxiang Assets:Reserve:Yingze:Liuxiang\n",
    ],
)
def test_adding_an_entry_dated_before_the_seal_breaks_it(
    tmp_path: Path, added: str
) -> None:
    tampered = _sealed(tmp_path) + added  # written after the seal, dated before it
    _assert_broken(_findings(tmp_path, tampered), tampered)


def test_later_entries_and_precision_do_not_break_the_seal(tmp_path: Path) -> None:
    text = _sealed(tmp_path) + LATER + '2019-01-06 custom "seal" "v1:' + "0" * 64 + '"\n'
    findings = _findings(tmp_path, text)
    # Only the bogus later seal is broken; the 2018 one still verifies.
    assert [(f.code, f.date) for f in findings] == [("SEAL-BROKEN", "2019-01-06")]


def test_fava_and_query_and_price_entries_are_not_covered(tmp_path: Path) -> None:
    text = _sealed(tmp_path) + (
        '2018-06-01 custom "fava-option" "language" "zh"\n'
        '2018-06-01 query "relief" "SELECT account"\n'
        "2018-06-01 price USD 6.50 CNY\n"
        "2018-06-01 commodity USD\n"
    )
    assert _findings(tmp_path, text) == []


def test_customs_other_than_the_projects_are_not_covered(tmp_path: Path) -> None:
    # SPEC §9 covers the project's customs (policy, approval, payout-failed, explained) only.
    text = _sealed(tmp_path) + (
        '2018-06-01 custom "budget" "Expenses:Admin" "monthly" 10.00 CNY\n'
        '2018-06-01 custom "reserve-config" "key-file" "other-key.hex"\n'
    )
    assert _findings(tmp_path, text) == []
    for line in (
        '2018-06-01 custom "payout-failed" "YZ-LX-2018-103" 5.00 CNY\n',
        '2018-06-01 custom "split-window" 20\n',
    ):
        assert [f.code for f in _findings(tmp_path, _sealed(tmp_path) + line)] == [
            "SEAL-BROKEN"
        ]


def test_splitting_and_reordering_do_not_break_the_seal(tmp_path: Path) -> None:
    sealed = _sealed(tmp_path)
    seal_line = sealed.splitlines(keepends=True)[-1]
    blocks = COVERED.replace("\n20", "\n\x0020").split("\x00")
    assert len(blocks) == 9
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "".join(reversed(blocks[4:])), "sub/part.beancount")
    text = (
        PRELUDE
        + 'include "sub/part.beancount"\n'
        + "".join(reversed(blocks[:4]))
        + seal_line
    )
    assert _findings(tmp_path, text) == []


def test_moving_the_books_keeps_documents_verified(tmp_path: Path) -> None:
    first = tmp_path / "a"
    first.mkdir()
    text = _sealed(
        first, COVERED + '2018-08-01 document Assets:Treasury:Yingze "scans/a.pdf"\n'
    )
    _write(first, text)
    assert seal_check.check(_load(first / "main.beancount")) == []
    moved = tmp_path / "b"
    shutil.copytree(first, moved)
    assert seal_check.check(_load(moved / "main.beancount")) == []


def test_generated_entries_are_not_covered(tmp_path: Path) -> None:
    folder = tmp_path / "docs" / "Assets" / "Treasury" / "Yingze"
    folder.mkdir(parents=True)
    (folder / "2018-02-01.statement.pdf").write_bytes(b"%PDF")
    body = (
        'option "documents" "docs"\n'
        + COVERED
        + "2018-07-01 pad Assets:Cash:Yingze:Liuxiang Assets:Reserve:Yingze:Liuxiang\n"
        + "2018-07-02 balance Assets:Cash:Yingze:Liuxiang  100.00 CNY\n"
    )
    text = _sealed(tmp_path, body)
    books = _load(_write(tmp_path, text))
    lines = seal_mod.sorted_lines(books.entries, str(books.root))
    assert not any('"txn","P"' in line for line in lines)
    assert not any("statement.pdf" in line for line in lines)
    # A scan filed later into the documents folder does not break the seal.
    (folder / "2018-03-01.statement.pdf").write_bytes(b"%PDF")
    assert _findings(tmp_path, text) == []


def test_two_seals_are_each_verified(tmp_path: Path) -> None:
    june = datetime.date(2018, 6, 30)
    text = PRELUDE + COVERED
    text += _seal_line(_write(tmp_path, text), june)
    text += LATER.replace("2019-01-0", "2018-09-0").replace("2019-001", "2018-201")
    text += _seal_line(_write(tmp_path, text))
    assert _findings(tmp_path, text) == []
    late = text.replace("-12.125 CNY", "-12.126 CNY")
    _assert_broken(_findings(tmp_path, late), late)
    early = text.replace("-450.00 CNY", "-451.00 CNY")
    findings = _findings(tmp_path, early)
    assert [f.date for f in findings] == ["2018-06-30", "2018-12-31"]
    assert {f.code for f in findings} == {"SEAL-BROKEN"}


def test_the_audit_date_does_not_limit_the_check(tmp_path: Path) -> None:
    tampered = _sealed(tmp_path).replace("-450.00 CNY", "-451.00 CNY")
    books = books_mod.load(_write(tmp_path, tampered), datetime.date(2016, 1, 1))
    assert [f.code for f in seal_check.check(books)] == ["SEAL-BROKEN"]


def test_plugin_reports_a_broken_seal_at_the_seal(tmp_path: Path) -> None:
    text = 'plugin "plugins.seal"\n' + _sealed(tmp_path)
    path = _write(tmp_path, text)
    _, errors, _ = loader._load([(str(path), True)], None, None, None)
    assert errors == []
    _write(tmp_path, text.replace("-450.00 CNY", "-451.00 CNY"))
    _, errors, _ = loader._load([(str(path), True)], None, None, None)
    assert [e.message.split()[0] for e in errors] == ["SEAL-BROKEN"]
    assert errors[0].source["filename"] == str(path)
    assert errors[0].source["lineno"] == len(text.splitlines())
