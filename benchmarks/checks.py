"""Check families, the whole audit and seal verification, against Beancount's load time."""

from __future__ import annotations

import datetime
import statistics
from functools import partial
from pathlib import Path

from benchmarks.harness import Row
from benchmarks.harness import median_time
from ledger import audit
from ledger import books as books_mod
from ledger import checks
from ledger.checks import seal as seal_check
from ledger.findings import Finding

AS_OF = datetime.date(2026, 11, 28)
_TARGETS = {"approval": 0.05, "payments": 0.05, "integrity": 0.05}
_ISSUE3 = ("approval", "payments", "integrity")
_ISSUE4 = ("advances", "reserve", "transit")
#: Runs of each check row: a check takes about a second on the large city (against 17 s for
#: a load), so more runs than the loads' steady the medians at little cost (3 runs moved the
#: approval group's row by half a point from one full run to the next).
_CHECK_REPEAT = 7


def _fresh(books: books_mod.Books) -> books_mod.Books:
    # The shared views (directory, policy, index) are part of each check's cost.
    return books_mod.Books(books.entries, books.options, AS_OF, books.main_file, books.errors)


def _audit(books: books_mod.Books) -> tuple[books_mod.Books, list[Finding]]:
    """Return fresh books and their audit (both freed before the next clock starts)."""
    fresh = _fresh(books)
    return fresh, audit.audit(fresh)


def run(small: Path, large: Path, repeat: int) -> list[Row]:
    """Return the rows: per-family and per-issue ratios, 10x scaling, seal verification."""
    rows: list[Row] = []
    load_large, books = median_time(lambda: books_mod.load(large, AS_OF), repeat)
    _, small_books = median_time(lambda: books_mod.load(small, AS_OF), repeat)
    size = sum(1 for _ in books.index.disbursements)
    detail = f"{size:,} disbursements, load {load_large:.1f} s"
    families = checks.available()

    def views() -> books_mod.Books:
        fresh = _fresh(books)
        _ = fresh.directory, fresh.policy, fresh.index
        return fresh

    checks_repeat = max(repeat, _CHECK_REPEAT)
    shared, _ = median_time(views, checks_repeat, pause_gc=True)
    rows.append(Row("shared views (directory, policy, index) ÷ load", shared / load_large, "%",
                    None, detail))
    for family in families:
        # Fresh books each time, with only the shared views built: a family's own caches
        # (the case view, the postings, the balances) are part of its cost, and a second
        # run on the same books would find them made.
        times = []
        for _ in range(checks_repeat):
            built = views()
            seconds, _ = median_time(partial(checks.family_check(family), built), 1,
                                     pause_gc=True)
            times.append(seconds)
        seconds = statistics.median(times)
        rows.append(Row(f"check `{family}` (views built) ÷ load", seconds / load_large, "%",
                        None, detail))
    for name, group, target in (
        ("approval checks (issue 3) ÷ load", _ISSUE3, 0.05),
        ("reserve/advance checks (issue 4) ÷ load", _ISSUE4, 0.05),
    ):
        present = [f for f in group if f in families]

        def run_group(present: list[str] = present) -> books_mod.Books:
            fresh = _fresh(books)
            for family in present:
                checks.family_check(family)(fresh)
            return fresh  # Freed before the next call's clock starts, as every result.

        seconds, _ = median_time(run_group, checks_repeat, pause_gc=True)
        rows.append(Row(name, seconds / load_large, "%", target, detail))
    big, _ = median_time(partial(_audit, books), repeat)
    little, _ = median_time(partial(_audit, small_books), repeat)
    rows.append(Row("audit large ÷ audit small (10× the entries)", big / little, "ratio", 11,
                    f"{big:.2f} s vs {little:.2f} s"))
    verify, _ = median_time(lambda: seal_check.verify(books.entries, str(books.root)), repeat)
    rows.append(Row("seal verification ÷ load", verify / load_large, "%", 0.25, detail))
    return rows
