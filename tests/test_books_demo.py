"""The demo books are clean, and every fault the generator plants is found as listed."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ledger import audit
from ledger import books as books_mod

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "books" / "main.beancount"


@pytest.mark.parametrize("as_of", [None, "2026-01-01", "2031-06-30"])
def test_demo_books_are_clean(as_of: str | None) -> None:
    date = datetime.date.fromisoformat(as_of) if as_of else None
    books = books_mod.load(DEMO, date)
    findings = audit.audit(books)
    assert [f.message for f in findings] == []


def test_demo_books_pass_bean_check() -> None:
    result = subprocess.run(
        ["bean-check", str(DEMO)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("planted")
    subprocess.run(
        [sys.executable, "-m", "cli", "demo", str(out), "--faults", "1", "--seed", "7"],
        check=True,
        capture_output=True,
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, manifest


def test_every_planted_fault_is_found(planted: tuple[Path, dict[str, object]]) -> None:
    out, manifest = planted
    as_of = datetime.date.fromisoformat(str(manifest["as_of"]))
    findings = audit.audit(books_mod.load(out / "main.beancount", as_of))
    found = {(f.code, f.case, f.county) for f in findings}
    expected = manifest["findings"]
    assert isinstance(expected, list) and expected
    missing = [
        item for item in expected if (item["code"], item["case"], item["county"]) not in found
    ]
    assert missing == []
    # Nothing beyond what was planted.
    planted_codes = {item["code"] for item in expected}
    assert {f.code for f in findings} <= planted_codes


def test_generator_plants_every_ledger_code(planted: tuple[Path, dict[str, object]]) -> None:
    from ledger.checks import FAMILIES

    _, manifest = planted
    codes = {item["code"] for item in manifest["findings"]}  # type: ignore[attr-defined]
    ledger_codes = {c for family in FAMILIES.values() for c in family} - {"SEAL-BROKEN"}
    assert ledger_codes - codes == set()
