"""`python -m benchmarks [--quick] [--write]`: every speed and memory target, as ratios.

Each value is measured in the same run as its baseline (medians of several runs), so the
machine's speed cancels out. `--quick` uses smaller ledgers (under 5 minutes on 2 cores);
`--write` stores the table in benchmarks/README.md between its markers.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib
import multiprocessing
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import advances
from benchmarks import checks
from benchmarks import ledgers
from benchmarks import memory
from benchmarks.harness import Context
from benchmarks.harness import Row
from benchmarks.harness import table

README = Path(__file__).with_name("README.md")
START, END = "<!-- results -->", "<!-- /results -->"
# Sections beside the core ones; each exposes run(context: Context) -> list[Row].
OPTIONAL = ("benchmarks.importing", "benchmarks.export", "benchmarks.fava")


def machine() -> str:
    """Return a one-line description of this machine."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {build()}"


def build() -> str:
    """Return how the checks run: compiled by mypyc, or as Python (`docs/compiled.md`)."""
    from ledger import native

    pure = [m for m in native.MODULES if not native.compiled(m)]
    if not pure:
        return "checks compiled (mypyc)"
    if len(pure) == len(native.MODULES):
        return "checks as pure Python"
    return f"checks partly compiled ({len(pure)} of {len(native.MODULES)} modules as Python)"


def _isolated(section: Callable[..., list[Row]], *args: Any) -> list[Row]:
    """Return a section's rows, measured in a fresh process of its own.

    What one section leaves in memory (a loaded city, a large heap the garbage collector
    has learned to skip) changes the next one's timings, and not both sides of a ratio alike:
    each section starts as a command would, from a new interpreter.
    """
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(section, *args).result()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller ledgers (≤ 5 minutes)")
    parser.add_argument("--write", action="store_true", help="store the table in README.md")
    args = parser.parse_args(argv)
    small_n, large_n, repeat = (2_000, 20_000, 3) if args.quick else (10_000, 100_000, 3)
    started = time.perf_counter()
    small, large = ledgers.city(small_n), ledgers.city(large_n)
    rows: list[Row] = []
    rows += _isolated(checks.run, small, large, repeat)
    rows += _isolated(advances.run, 10_000, 5)
    rows += _isolated(memory.run, large)
    for name in OPTIONAL:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        rows += _isolated(module.run, Context(small, large, small_n, large_n, repeat))
    elapsed = time.perf_counter() - started
    heading = (
        f"{'Quick run' if args.quick else 'Full run'} ({small_n:,} and {large_n:,} "
        f"disbursements) on {machine()}, {elapsed / 60:.1f} minutes."
    )
    text = heading + "\n\n" + table(rows)
    print(text)
    if args.write:
        readme = README.read_text(encoding="utf-8")
        before, _, rest = readme.partition(START)
        _, _, after = rest.partition(END)
        README.write_text(f"{before}{START}\n{text}\n{END}{after}", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
