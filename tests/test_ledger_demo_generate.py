"""Generating demo books: same bytes per seed, plugins, no full numbers, manifest, CLI."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from beancount.core import data
from click.testing import CliRunner
from demo_fixtures import ROOT
from demo_fixtures import SMALL
from demo_fixtures import _load

from cli.demo_cmd import command
from ledger import recipients
from ledger.demo import Profile
from ledger.demo import generate
from ledger.demo.faults import PLANTABLE
from ledger.findings import CODES

DIGITS = re.compile(r"\d+")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")  # not Beancount's pickle cache
    }


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("faulty")
    generate(Profile(seed=3, disbursements=300, faults=2, plugins=False), out)
    return out


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
