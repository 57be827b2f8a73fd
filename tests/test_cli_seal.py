"""`reserve seal` and `reserve keygen` (SPEC §7, §9)."""

from __future__ import annotations

import datetime
import re
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result
from ledgers import PRELUDE

from cli.main import main
from ledger import books as books_mod
from ledger import seal as seal_mod
from ledger import signing
from ledger.checks import seal as seal_check

BODY = """\
2018-03-05 * "周建国" "临时救助"
  case: "YZ-LX-2018-101"
  recipient: "r-1a2b3c4d5e6f7081"
  Assets:Reserve:Yingze:Liuxiang  -450.00 CNY
  Expenses:Relief:Yingze:Liuxiang:Small
2019-02-01 * "李秀英" "临时救助"
  case: "YZ-LX-2019-001"
  recipient: "r-0000000000000001"
  Assets:Reserve:Yingze:Liuxiang  -300.00 CNY
  Expenses:Relief:Yingze:Liuxiang:Small
"""

SEAL_RE = re.compile(r'\n2018-12-31 custom "seal" "(v1:[0-9a-f]{64})"\n')


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(books_mod, "today", lambda: datetime.date(2019, 3, 1))


@pytest.fixture
def books(tmp_path: Path) -> Path:
    path = tmp_path / "main.beancount"
    path.write_text(PRELUDE + BODY, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_seal_appends_one_block(books: Path) -> None:
    before = books.read_text(encoding="utf-8")
    result = run("seal", str(books), "--through", "2018-12-31")
    assert result.exit_code == 0, result.output
    after = books.read_text(encoding="utf-8")
    assert after.startswith(before)
    added = after[len(before) :]
    match = SEAL_RE.fullmatch(added)
    assert match is not None, added
    loaded = books_mod.load(books)
    assert (
        match.group(1) == seal_mod.seal_hash(loaded.entries, datetime.date(2018, 12, 31))[0]
    )
    assert match.group(1) in result.stdout
    assert result.stderr == ""
    assert seal_check.check(loaded) == []
    # The seal covers 2018 but not the 2019 payment.
    books.write_text(after.replace("-300.00 CNY", "-301.00 CNY"), encoding="utf-8")
    assert seal_check.check(books_mod.load(books)) == []
    books.write_text(after.replace("-450.00 CNY", "-451.00 CNY"), encoding="utf-8")
    assert [f.code for f in seal_check.check(books_mod.load(books))] == ["SEAL-BROKEN"]


def test_seal_ends_an_unterminated_last_line(books: Path) -> None:
    books.write_text(PRELUDE + BODY.rstrip("\n"), encoding="utf-8")
    assert run("seal", str(books), "--through", "2018-12-31").exit_code == 0
    text = books.read_text(encoding="utf-8")
    assert text.startswith(PRELUDE + BODY + "\n2018-12-31 custom")
    assert seal_check.check(books_mod.load(books)) == []


def test_seal_with_key_is_verified_by_the_trusted_key(books: Path, tmp_path: Path) -> None:
    assert run("keygen", str(tmp_path / "keys")).exit_code == 0
    private = tmp_path / "keys" / signing.PRIVATE_NAME
    public = (tmp_path / "keys" / signing.PUBLIC_NAME).read_bytes()
    result = run("seal", str(books), "--through", "2018-12-31", "--key", str(private))
    assert result.exit_code == 0, result.output
    text = books.read_text(encoding="utf-8")
    fingerprint = signing.fingerprint(signing.load_public(public))
    assert re.search(
        r'\n  sig: "[A-Za-z0-9+/=]{88}"\n  key: "' + fingerprint + '"\n$', text
    )
    loaded = books_mod.load(books)
    assert seal_check.check(loaded, public) == []
    other = signing.public_pem(signing.generate().public_key())
    assert [f.code for f in seal_check.check(loaded, other)] == ["SEAL-BROKEN"]


@pytest.mark.parametrize("through", ["2019-03-01", "2019-03-02", "2030-01-01"])
def test_seal_refuses_a_date_not_before_today(books: Path, through: str) -> None:
    before = books.read_bytes()
    result = run("seal", str(books), "--through", through)
    assert result.exit_code == 2
    assert "before today (2019-03-01)" in result.stderr
    assert books.read_bytes() == before


def test_seal_refuses_a_date_before_the_latest_seal(books: Path) -> None:
    assert run("seal", str(books), "--through", "2018-12-31").exit_code == 0
    before = books.read_bytes()
    result = run("seal", str(books), "--through", "2018-06-30")
    assert result.exit_code == 2
    assert "already sealed through 2018-12-31" in result.stderr
    assert books.read_bytes() == before
    # A later seal is fine, and both verify.
    assert run("seal", str(books), "--through", "2019-02-28").exit_code == 0
    found = seal_mod.seals(books_mod.load(books).entries)
    assert [e.date.isoformat() for e in found] == ["2018-12-31", "2019-02-28"]
    assert seal_check.check(books_mod.load(books)) == []


def test_seal_refuses_to_seal_over_a_broken_seal(books: Path) -> None:
    assert run("seal", str(books), "--through", "2018-12-31").exit_code == 0
    tampered = books.read_text(encoding="utf-8").replace("-450.00 CNY", "-451.00 CNY")
    books.write_text(tampered, encoding="utf-8")
    result = run("seal", str(books), "--through", "2019-02-28")
    assert result.exit_code == 2
    assert "SEAL-BROKEN seal of 2018-12-31" in result.stderr
    assert books.read_text(encoding="utf-8") == tampered


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--through", "2018-13-01"], "is not a date"),
        (["--through", "2018-12-31", "--key", "missing.pem"], "missing.pem"),
    ],
)
def test_seal_bad_input_exits_2(books: Path, args: list[str], message: str) -> None:
    before = books.read_bytes()
    result = run("seal", str(books), *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert books.read_bytes() == before


def test_seal_refuses_a_key_that_is_not_ed25519_private(
    books: Path, tmp_path: Path
) -> None:
    public = tmp_path / "pub.pem"
    public.write_bytes(signing.public_pem(signing.generate().public_key()))
    result = run("seal", str(books), "--through", "2018-12-31", "--key", str(public))
    assert result.exit_code == 2
    assert "not an unencrypted PEM private key" in result.stderr


def test_seal_refuses_unreadable_books(books: Path, tmp_path: Path) -> None:
    books.write_text(PRELUDE + BODY + "2018-01-01 open\n", encoding="utf-8")
    before = books.read_bytes()
    result = run("seal", str(books), "--through", "2018-12-31")
    assert result.exit_code == 2
    assert books.read_bytes() == before
    missing = run("seal", str(tmp_path / "nope.beancount"), "--through", "2018-12-31")
    assert missing.exit_code == 2
    assert "nope.beancount" in missing.stderr


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    result = run("keygen", str(tmp_path / "keys"))
    assert result.exit_code == 0, result.output
    private = tmp_path / "keys" / signing.PRIVATE_NAME
    public = tmp_path / "keys" / signing.PUBLIC_NAME
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    key = signing.load_private(private.read_bytes())
    assert signing.fingerprint(
        signing.load_public(public.read_bytes())
    ) == signing.fingerprint(key.public_key())
    assert signing.fingerprint(key.public_key()) in result.stdout
    again = run("keygen", str(tmp_path / "keys"))
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert (
        signing.load_private(private.read_bytes()).private_bytes_raw()
        == key.private_bytes_raw()
    )


@pytest.mark.parametrize("name", ["seal", "keygen"])
def test_commands_have_help(name: str) -> None:
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
