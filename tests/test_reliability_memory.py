"""Books are freed once nobody holds them: the per-books caches must not keep them alive.

Fava reloads the books on every change; a cache whose value refers back to its `Books` key
would keep every earlier load (gigabytes on a city's books) in memory for good.
"""

from __future__ import annotations

import datetime
import gc
import weakref
from pathlib import Path

from ledger import advances
from ledger import audit
from ledger import balances
from ledger import books as books_mod
from ledger import reports

BOOKS = Path(__file__).resolve().parent.parent / "books" / "main.beancount"


def test_books_are_freed_after_an_audit_a_report_and_the_advances() -> None:
    books = books_mod.load(BOOKS, datetime.date(2026, 11, 28))
    assert audit.audit(books) is not None
    advances.all_advances(books)
    balances.of(books)
    reports.township_report(books, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    ref = weakref.ref(books)
    del books
    gc.collect()
    assert ref() is None
