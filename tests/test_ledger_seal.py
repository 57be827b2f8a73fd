"""The v1 seal: serialisation, hash, SEAL-BROKEN and signatures (SPEC §9)."""

from __future__ import annotations

import datetime
import hashlib
import shutil
import textwrap
from pathlib import Path

import pytest
from beancount import loader
from ledgers import PRELUDE

from ledger import books as books_mod
from ledger import seal as seal_mod
from ledger import signing
from ledger.books import Books
from ledger.checks import seal as seal_check
from ledger.findings import Finding

D = datetime.date(2018, 12, 31)

COVERED = textwrap.dedent(
    """\
    2015-06-01 custom "relief-authority" "township" 500.00 CNY
    2017-01-01 custom "relief-authority" "township" 1000.00 CNY
      county: "Wanbailin"
      procedure: "emergency"
    2018-03-02 custom "approval" "YZ-LX-2018-101" 450.00 CNY
      township: "Liuxiang"
      procedure: "small"
    2018-03-05 * "周建国" "临时救助" #relief
      case: "YZ-LX-2018-101"
      recipient: "r-1a2b3c4d5e6f7081"
      approval: "township"
      approver: "柳巷街道办事处"
      approved: 2018-03-03
      Assets:Reserve:Yingze:Liuxiang  -450.00 CNY
      Expenses:Relief:Yingze:Liuxiang:Small
    2018-04-10 * "李秀英" "临时救助"
      case: "YZ-LX-2018-102"
      recipient: "r-0000000000000001"
      approval: "county"
      approver: "迎泽区民政局"
      approved: 2018-04-01
      ratio: 1.50
      notice: 2018-03-20
      Assets:Treasury:Yingze  -2500.00 CNY
      Expenses:Relief:Yingze:Liuxiang:General  2500.00 CNY
    2018-05-01 balance Assets:Treasury:Yingze  997500.00 CNY
    2018-05-02 note Assets:Treasury:Yingze "对账完成"
    2018-05-03 event "auditor" "王审计"
    2018-06-01 custom "explained" "ADVANCE-OVERDUE" "YZ-A-002"
      reason: "补办手续中"
      by: "张科长"
    """
)

LATER = textwrap.dedent(
    """\
    2019-01-05 * "赵六" "临时救助"
      case: "YZ-LX-2019-001"
      recipient: "r-0000000000000002"
      approval: "township"
      approver: "柳巷街道办事处"
      approved: 2019-01-04
      ratio: 1.2500
      Assets:Reserve:Yingze:Liuxiang  -12.125 CNY
      Expenses:Relief:Yingze:Liuxiang:Small
    """
)


def _load(path: Path) -> Books:
    return books_mod.load(path, datetime.date(2026, 1, 1))


def _write(folder: Path, text: str, name: str = "main.beancount") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _seal_line(path: Path, through: datetime.date = D) -> str:
    books = _load(path)
    value, _ = seal_mod.seal_hash(books.entries, through, str(books.root))
    return f'{through.isoformat()} custom "seal" "{value}"\n'


def _sealed(tmp_path: Path, body: str = COVERED) -> str:
    """Return the books' text with a seal through D appended."""
    text = PRELUDE + body
    return text + _seal_line(_write(tmp_path, text))


def _findings(tmp_path: Path, text: str) -> list[Finding]:
    return seal_check.check(_load(_write(tmp_path, text)))


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


@pytest.mark.parametrize("value", ["v1:abc", "v2:" + "0" * 64, "V1:" + "A" * 64])
def test_a_malformed_seal_is_broken(tmp_path: Path, value: str) -> None:
    text = PRELUDE + COVERED + f'2018-12-31 custom "seal" "{value}"\n'
    findings = _findings(tmp_path, text)
    assert [f.code for f in findings] == ["SEAL-BROKEN"]
    assert "malformed" in findings[0].message


def test_a_seal_without_value_is_broken(tmp_path: Path) -> None:
    text = PRELUDE + COVERED + '2018-12-31 custom "seal" 12\n'
    assert "malformed" in _findings(tmp_path, text)[0].message


def test_latest_seal(tmp_path: Path) -> None:
    assert seal_mod.latest_seal(_load(_write(tmp_path, PRELUDE + COVERED)).entries) is None
    text = (
        PRELUDE
        + COVERED
        + '2018-12-31 custom "seal" "v1:b"\n2018-06-30 custom "seal" "v1:a"\n'
    )
    assert seal_mod.latest_seal(_load(_write(tmp_path, text)).entries) == (D, "v1:b")


def test_hash_is_sha256_of_sorted_lines() -> None:
    assert seal_mod.hashes([], [D]) == (
        {D: ("v1:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0)}
    )
    lines = ['["2018-01-01","event","a","b",[]]', '["2019-01-01","event","a","b",[]]']
    first = hashlib.sha256(lines[0].encode()).hexdigest()
    both = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    got = seal_mod.hashes(lines, [datetime.date(2018, 1, 1), datetime.date(2019, 6, 1)])
    assert got[datetime.date(2018, 1, 1)] == (f"v1:{first}", 1)
    assert got[datetime.date(2019, 6, 1)] == (f"v1:{both}", 2)


def _signed(tmp_path: Path, key: signing.PrivateKey | None) -> str:
    text = _sealed(tmp_path)
    if key is None:
        return text
    value = text.rsplit('"', 2)[1]
    sig = signing.sign(key, value)
    return text + f'  sig: "{sig}"\n  key: "{signing.fingerprint(key.public_key())}"\n'


def _signature_findings(
    tmp_path: Path, text: str, trusted: signing.PrivateKey
) -> list[Finding]:
    books = _load(_write(tmp_path, text))
    return seal_check.check(books, signing.public_pem(trusted.public_key()))


def test_signature_with_the_trusted_key_verifies(tmp_path: Path) -> None:
    key = signing.generate()
    assert _signature_findings(tmp_path, _signed(tmp_path, key), key) == []


def test_signature_by_another_key_is_broken(tmp_path: Path) -> None:
    findings = _signature_findings(
        tmp_path, _signed(tmp_path, signing.generate()), signing.generate()
    )
    assert [f.code for f in findings] == ["SEAL-BROKEN"]
    assert "not by the trusted key ed25519:" in findings[0].message


def test_forged_signature_is_broken(tmp_path: Path) -> None:
    key, other = signing.generate(), signing.generate()
    text = _signed(tmp_path, key)
    forged = signing.sign(other, text.split('custom "seal" "')[1].split('"')[0])
    text = text.replace(text.split('sig: "')[1].split('"')[0], forged)
    findings = _signature_findings(tmp_path, text, key)
    assert [f.code for f in findings] == ["SEAL-BROKEN"]
    assert "does not verify" in findings[0].message


def test_unsigned_seal_is_broken_under_a_trusted_key(tmp_path: Path) -> None:
    findings = _signature_findings(tmp_path, _signed(tmp_path, None), signing.generate())
    assert [f.code for f in findings] == ["SEAL-BROKEN"]
    assert "no signature" in findings[0].message


def test_trusted_key_must_be_an_ed25519_public_key() -> None:
    with pytest.raises(signing.KeyFileError):
        seal_check.verify_signatures([], b"not a key")


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
