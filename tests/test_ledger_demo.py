from __future__ import annotations

import datetime
import itertools
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from beancount import loader
from beancount.core import data
from click.testing import CliRunner

from cli.demo_cmd import command
from ledger import recipients
from ledger.audit import audit
from ledger.books import load as load_books
from ledger.demo import Profile
from ledger.demo import generate
from ledger.demo.faults import PLANTABLE
from ledger.findings import CODES

ROOT = Path(__file__).resolve().parent.parent
SMALL = Profile(seed=7, disbursements=400, plugins=False)
DIGITS = re.compile(r"\d+")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")  # not Beancount's pickle cache
    }


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean")
    generate(SMALL, out)
    return out


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("faulty")
    generate(Profile(seed=3, disbursements=300, faults=2, plugins=False), out)
    return out


def _load(folder: Path) -> list[data.Directive]:
    entries, errors, _ = loader.load_file(str(folder / "main.beancount"))
    assert [e.message for e in errors] == []
    return list(entries)


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "a")
    generate(SMALL, tmp_path / "b")
    generate(Profile(seed=8, disbursements=400, plugins=False), tmp_path / "c")
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")


def test_clean_and_faulty_books_load_without_beancount_errors(
    clean: Path, faulty: Path
) -> None:
    for folder in (clean, faulty):
        entries = _load(folder)
        assert sum(isinstance(e, data.Transaction) for e in entries) > 300


def test_main_file_declares_plugins_extension_key_and_explicit_includes(
    tmp_path: Path,
) -> None:
    generate(Profile(seed=1, disbursements=20), tmp_path)
    main = (tmp_path / "main.beancount").read_text(encoding="utf-8")
    for name in (
        "approval",
        "payments",
        "integrity",
        "advances",
        "reserve",
        "transit",
        "seal",
    ):
        assert f'plugin "plugins.{name}"\n' in main
    assert 'custom "fava-extension" "reserve_fava"' in main
    assert 'custom "fava-option" "language" "zh"' in main
    assert 'custom "reserve-config" "key-file" "demo-key.hex"' in main
    includes = re.findall(r'^include "([^"]+)"$', main, re.M)
    assert "*" not in "".join(includes)
    assert {p for p in _files(tmp_path) if p.endswith(".beancount")} == {
        "main.beancount",
        *includes,
    }
    key = (tmp_path / "demo-key.hex").read_text(encoding="ascii")
    assert len(recipients.parse_key(key, "demo-key.hex")) == 32


def _full_numbers(folder: Path) -> list[str]:
    found = []
    for name, content in _files(folder).items():
        for run in DIGITS.findall(content.decode("utf-8")):
            if len(run) in (15, 18) and recipients.is_valid_id(run):
                found.append(f"{name}: ID {run[:6]}…")
            if 16 <= len(run) <= 19 and recipients.is_valid_card(run):
                found.append(f"{name}: card {run[:6]}…")
    return found


def test_clean_books_hold_no_full_id_or_card_number(clean: Path) -> None:
    assert _full_numbers(clean) == []


def test_planted_pii_is_the_only_full_number(faulty: Path) -> None:
    manifest = json.loads((faulty / "manifest.json").read_text(encoding="utf-8"))
    planted = [f for f in manifest["findings"] if f["code"] == "PII-EXPOSED"]
    assert len(_full_numbers(faulty)) == len(planted) == 2


def test_manifest_lists_every_plantable_code_at_real_entries(faulty: Path) -> None:
    manifest = json.loads((faulty / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["as_of"] == "2026-11-28"
    findings = manifest["findings"]
    assert set(PLANTABLE) <= set(CODES)
    assert set(PLANTABLE) == set(CODES) - {
        "BANK-UNMATCHED",
        "EXPORT-MISMATCH",
        "BEANCOUNT",
        "SEAL-BROKEN",
    }
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        assert set(finding) == {"code", "case", "county", "township", "file", "line"}
        counts[finding["code"]] += 1
        if finding["line"] is not None:
            line = (faulty / finding["file"]).read_text(encoding="utf-8").splitlines()
            assert re.match(r"\d{4}-\d\d-\d\d ", line[finding["line"] - 1])
            if finding["case"] and line[finding["line"] - 1].split()[1] != "open":
                block = "\n".join(line[finding["line"] - 1 : finding["line"] + 4])
                assert finding["case"] in block
    # ADVANCE-UNLINKED is raised on the advance and on its settlement.
    assert counts == {code: 4 if code == "ADVANCE-UNLINKED" else 2 for code in PLANTABLE}


def test_clean_manifest_is_empty(clean: Path) -> None:
    manifest = json.loads((clean / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["findings"] == []


def test_cli_writes_books_and_refuses_gaps_in_years(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        command, [str(tmp_path / "x"), "--disbursements", "30", "--no-plugins"]
    )
    assert result.exit_code == 0, result.output
    assert "6 townships" in result.output
    bad = runner.invoke(command, [str(tmp_path / "y"), "--years", "2023,2025"])
    assert bad.exit_code == 2
    assert "consecutive" in bad.output
    assert not (tmp_path / "y").exists()
    late = runner.invoke(command, [str(tmp_path / "z"), "--years", "2026"])
    assert late.exit_code == 2


def test_committed_books_match_the_documented_command(tmp_path: Path) -> None:
    readme = (ROOT / "books" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"reserve demo books (.+)", readme)
    assert match, "books/README.md names the command that regenerates the books"
    args = match.group(1).strip().strip("`").split()
    result = CliRunner().invoke(command, [str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    committed = {k: v for k, v in _files(ROOT / "books").items() if not k.endswith(".md")}
    assert committed == _files(tmp_path)


# -- The clean books against the rules of SPEC §5 (a small audit of our own) --------------


def _txns(entries: list[data.Directive]) -> list[data.Transaction]:
    return [e for e in entries if isinstance(e, data.Transaction)]


def _number(posting: data.Posting) -> Decimal:
    assert posting.units is not None and posting.units.number is not None
    return posting.units.number


def _is_disbursement(txn: data.Transaction) -> bool:
    return any(
        p.account.startswith(("Expenses:Relief:", "Assets:Advances:")) and _number(p) > 0
        for p in txn.postings
    )


def test_clean_disbursements_carry_consistent_approvals(clean: Path) -> None:
    entries = _load(clean)
    records = {
        (e.meta["township"], e.values[0].value): e
        for e in entries
        if isinstance(e, data.Custom) and e.type == "approval"
    }
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    payments: dict[tuple[str, str], int] = defaultdict(int)
    # Cases of the county whose townships approve emergency relief up to 1,000 (the
    # override of policy.beancount) start with that county's abbreviation.
    override = next(
        e.meta["county"]
        for e in entries
        if isinstance(e, data.Custom)
        and e.type == "relief-authority"
        and "county" in e.meta
    )
    prefixes = tuple(
        e.meta["case"].split("-")[0] + "-"
        for e in _txns(entries)
        if "case" in e.meta and any(f":{override}:" in p.account for p in e.postings)
    )
    for txn in filter(_is_disbursement, _txns(entries)):
        meta = txn.meta
        assert re.fullmatch(r"r-[0-9a-f]{16}", meta["recipient"])
        relief = [p for p in txn.postings if p.account.startswith("Expenses:Relief:")]
        if not relief:
            assert len(txn.links) == 1 and next(iter(txn.links)) == f"adv-{meta['case']}"
            continue
        _county, township, leaf = relief[0].account.split(":")[2:]
        procedure = leaf.lower()
        totals[(township, meta["case"])] += _number(relief[0])
        approved: datetime.date = meta["approved"]
        assert isinstance(approved, datetime.date) and meta["approver"]
        if procedure == "small":
            assert meta["approval"] == "township" and txn.date >= approved
        if procedure == "general":
            assert meta["approval"] in ("county", "conference") and txn.date >= approved
            assert (approved - meta["notice"]).days >= 7
        if meta["approval"] == "conference":
            assert meta["decision"] and meta["ratio"] >= 4
        record = records[(township, meta["case"])]
        assert record.meta["approval"] == meta["approval"]
        if not txn.links and "instalment" not in meta:
            payments[(township, meta["case"])] += 1
        if "holder" in meta and "agent" not in meta:
            assert re.sub(r"[\s·•]", "", meta["holder"]) == re.sub(
                r"[\s·•]", "", txn.payee or ""
            )
    assert set(payments.values()) <= {1}
    for (township, case), total in totals.items():
        record = records[(township, case)]
        assert total == record.values[1].value.number
        level, ratio = record.meta["approval"], record.meta.get("ratio", Decimal(0))
        if level == "township":
            raised = record.meta["procedure"] == "emergency" and case.startswith(prefixes)
            ceiling = 1000 if raised else 500
            assert total <= ceiling
        if level == "county":
            assert isinstance(ratio, Decimal)
            assert total <= 8000 and 1 <= ratio < 4
            band = {1: (0, 3000), 2: (3000, 5000), 3: (5000, 8000)}[int(ratio)]
            assert band[0] <= total <= band[1]


def test_clean_recipients_never_paid_twice_within_the_window(clean: Path) -> None:
    paid: dict[str, list[tuple[datetime.date, str, str]]] = defaultdict(list)
    for txn in filter(_is_disbursement, _txns(_load(clean))):
        account = next(p.account for p in txn.postings if _number(p) > 0)
        paid[txn.meta["recipient"]].append(
            (txn.date, txn.meta["case"], account.split(":")[3])
        )
    for payments in paid.values():
        assert len({township for _, _, township in payments}) == 1
        payments.sort()
        for (day, case, _), (later, other, _) in itertools.pairwise(payments):
            assert case == other or (later - day).days >= 30


def test_clean_advances_transit_and_reserves_close_properly(clean: Path) -> None:
    advances: dict[str, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    transit: dict[tuple[str, str], list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    allocated: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    daily: dict[str, dict[datetime.date, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for txn in _txns(_load(clean)):
        assert txn.date.year <= max(SMALL.years)
        for posting in txn.postings:
            account, number = posting.account, _number(posting)
            assert not account.startswith("Assets:Suspense:")
            if account.startswith("Assets:Advances:"):
                advances[next(iter(txn.links))].append((txn.date, number))
            if account.startswith("Assets:InTransit:"):
                transit[(txn.meta["batch"], txn.meta["case"])].append((txn.date, number))
            if account.startswith("Assets:Reserve:") and "allocation" in txn.tags:
                allocated[(account, txn.date.year)] += number
            if account.startswith(("Assets:Reserve:", "Assets:Cash:", "Assets:Treasury:")):
                daily[account][txn.date] += number
    for moves, deadline in [
        *((m, 25) for m in advances.values()),
        *((m, 15) for m in transit.values()),
    ]:
        assert sum(n for _, n in moves) == 0
        assert (max(d for d, _ in moves) - min(d for d, _ in moves)).days <= deadline
    year_end: dict[tuple[str, int], Decimal] = {}
    for account, by_day in daily.items():
        balance = Decimal(0)
        for day in sorted(by_day):
            balance += by_day[day]
            assert balance >= 0, (account, day)
            year_end[(account, day.year)] = balance
    assert allocated
    for (account, year), total in allocated.items():
        assert 30000 <= total <= 50000
        assert year_end[(account, year)] <= total / 2


# -- Against the project's own audit ----------------------------------------------------


@pytest.mark.parametrize("as_of", ["2026-11-28", "2031-01-01"])
def test_committed_books_raise_no_finding(as_of: str) -> None:
    books = load_books(
        ROOT / "books" / "main.beancount", datetime.date.fromisoformat(as_of)
    )
    assert [f.message for f in audit(books)] == []


def test_committed_books_pass_their_plugins() -> None:
    _entries, errors, _ = loader.load_file(str(ROOT / "books" / "main.beancount"))
    assert [e.message for e in errors] == []
