"""beangulp importers for approval registers, bank request files and bank result files.

They book exactly what `reserve import` books (`importers.booking`), against the entries of
`-e BOOKS`: the approval records already there are what result rows join, and the bank rows
already there are what makes a re-import book nothing. Deduplication uses the bank-row
identity (batch, card, amount, occurrence) and the case, never beangulp's similarity
heuristic. The recipient key comes from `RESERVE_RECIPIENT_KEY`, else from the books'
`custom "reserve-config" "key-file"` (relative to the file holding that directive).

beangulp extracts every file against the same existing entries: import a request file and
its result file in two runs (appending the first run's output to the books in between), or
use `reserve import`, which books them in one pass.
"""

from __future__ import annotations

import datetime
from typing import Any

from beancount.core import data
from beangulp import Importer

from importers import identity
from importers import keys
from importers import render
from importers.bank_file import read_bank_file
from importers.bank_rows import ACTIONS
from importers.booking import Booker
from importers.errors import InputError
from importers.payer import resolve
from importers.register import identify
from importers.register import read_register

DUPLICATE = "__duplicate__"


class ReserveImporter(Importer):  # type: ignore[misc]
    """Common part: identify by content, book with the project's booking code."""

    kind = ""

    def __init__(self, account: str | None = None) -> None:
        """Create the importer; account (optional) overrides the files' payer account."""
        self.paying = account

    @property
    def name(self) -> str:
        """Return the importer's unique name."""
        return f"reserve.{self.kind}"

    def identify(self, filepath: str) -> bool:
        """Return True for a file of this importer's kind (told by its header)."""
        return identify(filepath) == self.kind

    def account(self, filepath: str) -> str:
        """Return the account documents are filed under."""
        return self.paying or "Assets:InTransit"

    def _book(self, booker: Booker, filepath: str) -> None:
        raise NotImplementedError

    def extract(self, filepath: str, existing: data.Entries) -> data.Entries:
        """Return the entries the file adds to the existing entries.

        Raises:
          InputError: the file is invalid (file, row and column named).
        """
        state = identity.from_entries(existing)
        payer = None
        if self.paying:
            payer, problem = resolve(state.directory, state.opened, self.paying)
            if payer is None:
                raise InputError(filepath, f"the {self.name} importer's account: {problem}")
        booker = Booker(state, keys.entries_key(existing), payer)
        self._book(booker, filepath)
        return [render.to_directive(d, filepath, d.row) for d in booker.drafts]

    def deduplicate(self, entries: data.Entries, existing: data.Entries) -> None:
        """Mark entries whose bank row (or approval case) the existing entries already hold."""
        state = identity.from_entries(existing)
        cases = {case for _, case in state.approvals}
        for entry in entries:
            if mark_duplicate(entry, state, cases):
                entry.meta[DUPLICATE] = True


def mark_duplicate(entry: Any, state: identity.LedgerState, cases: set[str]) -> bool:
    """Return True when the books already hold what this entry records."""
    meta = entry.meta
    if isinstance(entry, data.Custom) and entry.type == "approval":
        return bool(entry.values) and entry.values[0].value in cases
    batch, card, status = meta.get("batch"), meta.get("card"), meta.get("bank-status")
    if not (isinstance(batch, str) and isinstance(card, str) and isinstance(status, str)):
        return False
    if isinstance(entry, data.Custom):
        amount = entry.values[1].value.number
    else:
        amount = max(abs(p.units.number) for p in entry.postings)
    occurrence = int(meta.get("bank-occurrence", 1))
    booked = state.booked.get((batch, card, amount, occurrence))
    if booked is None:
        return False
    return ACTIONS.get((booked.status, status)) in (None, "still")


class RegisterImporter(ReserveImporter):
    """Approval registers (审批台账) → `custom "approval"` records."""

    kind = "register"

    def _book(self, booker: Booker, filepath: str) -> None:
        booker.book_register(read_register(filepath))


class BankImporter(ReserveImporter):
    """Bank files; the date is the file's 代发日期."""

    def date(self, filepath: str) -> datetime.date | None:
        """Return the file's date."""
        return read_bank_file(filepath).date

    def _book(self, booker: Booker, filepath: str) -> None:
        booker.book_bank(read_bank_file(filepath))


class RequestImporter(BankImporter):
    """Bank request files (报盘) → payments in transit."""

    kind = "request"


class ResultImporter(BankImporter):
    """Bank result files (回盘) → paid, failed, pending, returned rows."""

    kind = "result"


def importers(account: str | None = None) -> list[ReserveImporter]:
    """Return the three importers (register, request, result)."""
    return [RegisterImporter(account), RequestImporter(account), ResultImporter(account)]
