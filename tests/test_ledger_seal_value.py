"""The v1 seal value: malformed values, the latest seal, the hash, and its signature."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

import pytest
from ledgers import PRELUDE
from seal_fixtures import COVERED
from seal_fixtures import D
from seal_fixtures import _findings
from seal_fixtures import _load
from seal_fixtures import _sealed
from seal_fixtures import _write

from ledger import seal as seal_mod
from ledger import signing
from ledger.checks import seal as seal_check
from ledger.findings import Finding


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


def test_v1_lines_of_the_less_common_fields() -> None:
    # What docs/seal.md fixes for an independent implementation: an `open` without
    # currencies, a cost's date and label, a custom's amount.
    from beancount import loader

    text = (
        'option "operating_currency" "CNY"\n'
        "2024-01-01 open Assets:Bank\n"
        "2024-01-01 open Assets:Stock STK\n"
        "2024-01-01 open Equity:Opening-Balances\n"
        '2024-01-05 * "buy"\n'
        '  Assets:Stock  10 STK {3.00 CNY, 2024-01-05, "lot1"}\n'
        "  Assets:Bank  -30.00 CNY\n"
        '2024-01-06 custom "approval" "YZ-1" 450.00 CNY\n'
    )
    entries, errors, _ = loader.load_string(text)
    assert not errors
    lines = seal_mod.sorted_lines(entries)
    assert '["2024-01-01","open","Assets:Bank",[],null,[]]' in lines
    assert '["2024-01-06","custom","approval",["YZ-1",["A","450.00","CNY"]],[]]' in lines
    (txn,) = [line for line in lines if '"txn"' in line]
    assert '["Assets:Stock",null,["10","STK"],["3.00","CNY",["T","2024-01-05"],"lot1"],null,[]]' in txn
