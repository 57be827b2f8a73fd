"""Peak memory of `reserve audit` against a bare Beancount load, each in a fresh process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Row

_BARE = """
import resource, sys
from beancount import loader
loader._load([(sys.argv[1], True)], None, None, None)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
_AUDIT = """
import resource, sys, datetime
from ledger import audit, books
found = audit.audit(books.load(sys.argv[1], datetime.date(2026, 11, 28)))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak(script: str, main: Path) -> int:
    result = subprocess.run(
        [sys.executable, "-c", script, str(main)], check=True, capture_output=True, text=True
    )
    return int(result.stdout.strip().splitlines()[-1])


def run(main: Path) -> list[Row]:
    """Return the peak-memory ratio row."""
    bare = _peak(_BARE, main)
    audit = _peak(_AUDIT, main)
    return [
        Row("peak memory of audit ÷ bare load", audit / bare, "ratio", 1.1,
            f"{audit / 1024:.0f} MiB vs {bare / 1024:.0f} MiB")
    ]
