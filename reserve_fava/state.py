"""What the four pages share for one loaded ledger: the config and the figures, cached per load.

Fava keeps extension objects across reloads and calls `after_load_file` on each after every
load. `State.refresh` does the little work a load needs (it reads the config, a scan of the
`custom` entries Fava has already grouped) once per load, whichever page runs first. The
figures are computed on the first request that needs them and cached until the next load: the
books cannot change without a reload, and the audit date is part of every cache key, so the
date-dependent findings are those of today (or the config's `as_of`) on each request.

Every figure comes from `ledger/`, the functions `reserve audit`, `reserve advances` and
`reserve report` use. A failure there becomes one error on Fava's errors page (once per load)
and a message on the page; Fava and the other pages keep working.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING
from typing import Any
from typing import TypeVar

from beancount.core import data
from fava.ext import FavaExtensionError

from ledger import advances as advances_mod
from ledger import audit as audit_mod
from ledger import books as books_mod
from ledger import checks
from ledger import reports as reports_mod
from ledger.advances import AdvanceRow
from ledger.findings import Finding
from ledger.findings import sort_key
from ledger.plugin import no_gc
from ledger.report_rows import Report
from reserve_fava import config as config_mod
from reserve_fava import views

if TYPE_CHECKING:
    from fava.core import FavaLedger
    from fava.core.extensions import ExtensionModule

T = TypeVar("T")

#: How many distinct keys (dates, ranges) each cache keeps per load.
_CACHE_SIZE = 16


class ComputeError(Exception):
    """A function of `ledger/` failed; the message says which, for the page."""


class State:
    """The config and the cached figures of one ledger (see the module docstring)."""

    def __init__(self) -> None:
        """Start empty: nothing is read before the first load."""
        self.config = config_mod.Config()
        self.problems: list[str] = []
        self.unreadable: list[Any] = []
        self._loaded: object = None
        self._lock = threading.RLock()
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._reported: set[str] = set()

    def refresh(self, fava_ledger: FavaLedger) -> None:
        """Read the config once per load and report its problems on Fava's errors page."""
        with self._lock:
            if fava_ledger.all_entries is self._loaded:
                return
            self._loaded = fava_ledger.all_entries
            self._cache.clear()
            self._locks.clear()
            self._reported.clear()
            customs: Any = fava_ledger.all_entries_by_type.Custom
            self.config, self.problems = config_mod.parse(customs)
            # Syntax errors and missing includes: `reserve audit` exits 2 on these, so they
            # are no findings; the pages show a banner (the figures miss what was not read).
            self.unreadable = [e for e in fava_ledger.load_errors if books_mod.is_fatal(e)]
            for problem in self.problems:
                self.report(fava_ledger, problem)

    def report(self, fava_ledger: FavaLedger, message: str) -> None:
        """Add one error to Fava's errors page (once per load and message)."""
        if message in self._reported:
            return
        self._reported.add(message)
        source = self.config.source or data.new_metadata(f"<{config_mod.MODULE}>", 0)
        fava_ledger.extensions.errors.append(FavaExtensionError(source, message, None))

    def as_of(self) -> datetime.date:
        """Return the audit date: the config's `as_of`, else today."""
        return self.config.as_of or books_mod.today()

    def _cached(self, fava_ledger: FavaLedger, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """Return the cached value of key, computing it once (one lock per key).

        A long computation (the audit of large books) only blocks requests for the same key.
        """
        self.refresh(fava_ledger)
        loaded = self._loaded
        if key in self._cache:
            return self._cache[key]  # type: ignore[no-any-return]
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
        with key_lock:
            if key in self._cache:
                return self._cache[key]  # type: ignore[no-any-return]
            try:
                with no_gc():
                    value = make()
            except Exception as error:
                detail = traceback.format_exc(limit=4).replace("\n", " | ")
                self.report(fava_ledger, f"{config_mod.MODULE}: {key[0]} failed: {detail}")
                raise ComputeError(f"{key[0]} failed: {error!r}") from error
            with self._lock:
                if self._loaded is loaded:  # A reload meanwhile makes the value stale.
                    if len(self._cache) >= _CACHE_SIZE * 4:
                        self._cache.clear()
                    self._cache[key] = value
            return value

    def books(self, fava_ledger: FavaLedger, as_of: datetime.date) -> books_mod.Books:
        """Return the loaded entries as `Books` for an audit date.

        Beancount's own errors are kept (they are `BEANCOUNT` findings), except those that
        make the books unreadable (`unreadable`), as `reserve audit` does.
        """

        def make() -> books_mod.Books:
            entries: Any = fava_ledger.all_entries
            options: Any = fava_ledger.options
            books = books_mod.from_entries(entries, options, as_of)
            books.errors = [
                e
                for e in fava_ledger.load_errors
                if not books_mod.is_project_finding(e) and not books_mod.is_fatal(e)
            ]
            return books

        return self._cached(fava_ledger, ("books", as_of), make)

    def findings(self, fava_ledger: FavaLedger, as_of: datetime.date) -> AuditResult:
        """Return every finding as of a date, as `reserve audit --as-of` lists them."""
        books = self.books(fava_ledger, as_of)
        result = self._cached(fava_ledger, ("audit", as_of), lambda: _audit(books))
        for family in result.failed:
            self.report(fava_ledger, f"{config_mod.MODULE}: check family {family} failed")
        return result

    def advances(self, fava_ledger: FavaLedger, as_of: datetime.date) -> list[AdvanceRow]:
        """Return the advances outstanding on a date, as `reserve advances` lists them."""
        books = self.books(fava_ledger, as_of)
        return self._cached(
            fava_ledger, ("advances", as_of), lambda: advances_mod.outstanding(books)
        )

    def report_for(
        self,
        fava_ledger: FavaLedger,
        start: datetime.date,
        end: datetime.date,
        as_of: datetime.date,
    ) -> Report:
        """Return the township report of a date range, as `reserve report` computes it."""
        books = self.books(fava_ledger, as_of)
        return self._cached(
            fava_ledger,
            ("report", start, end, as_of),
            lambda: reports_mod.township_report(books, start, end),
        )

    def dashboard_for(
        self,
        fava_ledger: FavaLedger,
        start: datetime.date,
        end: datetime.date,
        as_of: datetime.date,
    ) -> list[views.DashboardRow]:
        """Return the dashboard lines of a date range (cached like the report they show)."""
        report = self.report_for(fava_ledger, start, end, as_of)
        books = self.books(fava_ledger, as_of)
        return self._cached(
            fava_ledger,
            ("dashboard", start, end, as_of),
            lambda: views.dashboard(report, books),
        )


@dataclasses.dataclass(frozen=True)
class AuditResult:
    """The findings of an audit, and the check families that failed (reported as errors)."""

    findings: list[Finding]
    failed: tuple[str, ...] = ()


def _audit(books: books_mod.Books) -> AuditResult:
    """Return the audit; if it fails, every family that still works and those that fail."""
    try:
        return AuditResult(audit_mod.audit(books))
    except Exception:
        pass
    found = audit_mod.audit(books, families=[])
    failed = []
    for family in checks.available():
        try:
            found.extend(
                f for f in audit_mod.audit(books, families=[family]) if f.code != "BEANCOUNT"
            )
        except Exception as error:
            failed.append(f"{family} ({error!r})")
    return AuditResult(sorted(found, key=sort_key), tuple(failed))


_STATES: weakref.WeakKeyDictionary[ExtensionModule, State] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()


def state_for(fava_ledger: FavaLedger) -> State:
    """Return the shared state of a ledger (created on first use)."""
    with _STATES_LOCK:
        state = _STATES.get(fava_ledger.extensions)
        if state is None:
            state = State()
            _STATES[fava_ledger.extensions] = state
        return state
