"""The demo-generator tests' small profile, the repository root and a checked loader."""

from __future__ import annotations

from pathlib import Path

from beancount import loader
from beancount.core import data

from ledger.demo import Profile

ROOT = Path(__file__).resolve().parent.parent
SMALL = Profile(seed=7, disbursements=400, plugins=False)


def _load(folder: Path) -> list[data.Directive]:
    entries, errors, _ = loader.load_file(str(folder / "main.beancount"))
    assert [e.message for e in errors] == []
    return list(entries)
