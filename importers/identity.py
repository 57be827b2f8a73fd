"""Bank-row identity and what the books already hold (SPEC §3, "Re-importing books nothing twice").

A bank row is known by (batch, card hash, amount, occurrence of that triple in the batch):
the same row in a request file and in its result file has one identity, whatever its line.
`LedgerState` holds, for every identity booked, its latest status and the accounts it went
through, plus the approval records by (county, case), the directory, the latest seal and the
key-file setting. It is built by `StateBuilder`, fed either by the parse of the books' files
(`importers.scan`, Beancount's parser file by file) or by loaded entries (`from_entries`, for
beangulp's `-e BOOKS`); both through `feed`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data

from importers.drafts import Approval
from importers.drafts import approval_from_meta
from ledger import accounts
from ledger import directory as directory_mod
from ledger import recipients
from ledger.checks.approval_meta import instalment

#: (batch, card hash, amount, occurrence).
RowId = tuple[str, str, Decimal, int]

ZERO = Decimal(0)
_RANK = {"pending": 0, "paid": 1, "failed": 2, "returned": 3}


@dataclasses.dataclass(slots=True)
class Booked:
    """What the books hold for one bank row.

    Attributes:
      status: the latest bank-status booked (pending, paid, failed, returned).
      case: the case of the booked entries ("" when joined to no approval).
      paying: the account the money left (a reserve or treasury), or "".
      transit: the in-transit account while the row is in transit, else "".
      target: the account a paid row went to (relief, advance, suspense), else "".
      link: the advance link of a paid advance, else "".
      stage: its `instalment` ("k/n") when it is a stage of an approval paid in stages.

    """

    status: str
    case: str = ""
    paying: str = ""
    transit: str = ""
    target: str = ""
    link: str = ""
    stage: str = ""

    @property
    def county(self) -> str:
        """Return the county of the accounts involved."""
        for account in (self.paying, self.transit, self.target):
            info = accounts.parse(account)
            if info is not None:
                return info.county
        return ""


@dataclasses.dataclass
class LedgerState:
    """What an import needs to know of the books."""

    main_file: str
    directory: directory_mod.Directory
    approvals: dict[tuple[str, str], Approval]
    booked: dict[RowId, Booked]
    seal: datetime.date | None
    key_file: str | None
    opened: set[str]
    #: The highest `instalment` stage booked per (county, case).
    stages: dict[tuple[str, str], int] = dataclasses.field(default_factory=dict)

    def taken(self) -> dict[tuple[str, str], Decimal]:
        """Return, per (county, case), the amount in transit or paid (net of failures)."""
        found: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for (_, _, amount, _), booked in self.booked.items():
            if booked.case and booked.status in ("pending", "paid"):
                found[(booked.county, booked.case)] += amount
        return found


#: Kept here for the importers' existing names; the rules live in `ledger.recipients`.
Hasher = recipients.Hasher
mask = recipients.fast_mask


def row_ids(batch: str, cards: Iterable[tuple[str, Decimal]]) -> list[RowId]:
    """Return the identities of a file's rows, given each row's (card hash, amount)."""
    seen: dict[tuple[str, Decimal], int] = {}
    ids: list[RowId] = []
    append = ids.append
    for key in cards:
        occurrence = seen[key] = seen.get(key, 0) + 1
        append((batch, key[0], key[1], occurrence))
    return ids


class StateBuilder:
    """Collects facts of the books, in any order, and builds the `LedgerState`."""

    def __init__(self, main_file: str) -> None:
        """Start with nothing known."""
        self.main_file = main_file
        self.opens: list[data.Open] = []
        self.opened: set[str] = set()
        self.raw_approvals: list[tuple[str, Decimal, dict[str, Any]]] = []
        self.bank_rows: list[tuple[datetime.date, int, RowId, Booked]] = []
        self.seal: datetime.date | None = None
        self.key_file: str | None = None
        self.stages: dict[tuple[str, str], int] = {}

    def open(self, entry: data.Open) -> None:
        """Note an open directive (kept whole for reserves and treasuries)."""
        self.opened.add(entry.account)
        if entry.account.startswith(("Assets:Treasury:", "Assets:Reserve:")):
            self.opens.append(entry)

    def approval(self, case: str, amount: Decimal, meta: dict[str, Any]) -> None:
        """Note an approval record."""
        self.raw_approvals.append((case, amount, meta))

    def seal_on(self, date: datetime.date) -> None:
        """Note a seal."""
        if self.seal is None or date > self.seal:
            self.seal = date

    def config(self, name: str, value: str) -> None:
        """Note a `reserve-config` setting (the last one wins)."""
        if name == "key-file":
            self.key_file = value

    def bank(
        self,
        date: datetime.date,
        meta: dict[str, Any],
        postings: list[tuple[str, Decimal]],
        amount: Decimal | None = None,
    ) -> None:
        """Note an imported bank row (a transaction, or a payout-failed record)."""
        batch, card, status = meta.get("batch"), meta.get("card"), meta.get("bank-status")
        if not (
            isinstance(batch, str) and isinstance(card, str) and isinstance(status, str)
        ):
            return
        if amount is None:
            amount = max((abs(units) for _, units in postings), default=ZERO)
        occurrence = meta.get("bank-occurrence", 1)
        case = meta.get("case", "")
        booked = Booked(status, case if isinstance(case, str) else "")
        for account, units in postings:
            info = accounts.parse(account)
            role = info.role if info is not None else ""
            if units > 0:
                if role == "intransit":
                    booked.transit = account
                elif role in ("reserve", "treasury", "cash"):
                    booked.paying = account
                else:
                    booked.target = account
            elif role in ("reserve", "treasury", "cash"):
                booked.paying = account
        if isinstance(link := meta.get("__link__"), str):
            booked.link = link
        if booked.case and status in ("pending", "paid"):
            self._stage(booked, meta.get("instalment"))
        row_id = (batch, card, amount, int(occurrence))
        self.bank_rows.append((date, _RANK.get(status, 4), row_id, booked))

    def _stage(self, booked: Booked, written: Any) -> None:
        """Note a stage of a case: its `instalment`, or 1 for a paid row without one."""
        if isinstance(written, str):
            booked.stage = written
            parsed = instalment({"instalment": written})  # As the audit reads it.
            stage = parsed[0] if parsed is not None else 1
        elif booked.status == "paid":
            stage = 1  # paid before instalments were written: the first stage
        else:
            return
        key = (booked.county, booked.case)
        self.stages[key] = max(self.stages.get(key, 0), stage)

    def build(self) -> LedgerState:
        """Return the state: rows replayed in date order, approvals placed in counties."""
        directory = directory_mod.build(self.opens)
        county_of: dict[str, list[str]] = defaultdict(list)
        for county, township in directory.townships:
            county_of[township].append(county)
        approvals: dict[tuple[str, str], Approval] = {}
        for case, amount, meta in self.raw_approvals:
            place = meta.get("township")
            counties = county_of.get(place, []) if isinstance(place, str) else []
            if len(counties) == 1:
                approvals.setdefault(
                    (counties[0], case), approval_from_meta(case, counties[0], amount, meta)
                )
        booked: dict[RowId, Booked] = {}
        self.bank_rows.sort(key=lambda item: (item[0], item[1]))
        for _, _, row_id, new in self.bank_rows:
            merge(booked, row_id, new)
        return LedgerState(
            self.main_file,
            directory,
            approvals,
            booked,
            self.seal,
            self.key_file,
            self.opened,
            self.stages,
        )


def merge(booked: dict[RowId, Booked], row_id: RowId, new: Booked) -> None:
    """Record a newly booked status of a row, keeping what earlier entries told."""
    old = booked.get(row_id)
    if old is None:
        booked[row_id] = new
        return
    old.status = new.status
    old.case = new.case or old.case
    old.paying = old.paying or new.paying
    old.stage = new.stage or old.stage
    if new.status == "pending":
        old.transit = new.transit or old.transit
    elif new.status == "paid":
        old.target, old.link = new.target, new.link or old.link
        old.transit = ""
    else:
        old.transit = ""


def from_entries(entries: Iterable[data.Directive], main_file: str = "") -> LedgerState:
    """Return the state of loaded entries (beangulp's existing entries)."""
    builder = StateBuilder(main_file)
    feed(builder, entries)
    return builder.build()


def feed(builder: StateBuilder, entries: Iterable[data.Directive]) -> None:
    """Note what an import needs of entries, parsed or loaded, in any order."""
    for entry in entries:
        if isinstance(entry, data.Transaction):
            meta = entry.meta
            if "batch" in meta:
                links = [link for link in entry.links or () if link.startswith("adv-")]
                if links:
                    meta = {**meta, "__link__": links[0]}
                postings = [
                    (p.account, p.units.number)
                    for p in entry.postings
                    if p.units is not None and p.units.number is not None
                ]
                builder.bank(entry.date, meta, postings)
        elif isinstance(entry, data.Open):
            builder.open(entry)
        elif isinstance(entry, data.Custom):
            _custom(builder, entry)


def _custom(builder: StateBuilder, entry: data.Custom) -> None:
    values = [value.value for value in entry.values]
    if entry.type == "seal":
        builder.seal_on(entry.date)
    elif entry.type == "reserve-config" and len(values) >= 2:
        builder.config(str(values[0]), str(values[1]))
    elif entry.type in ("approval", "payout-failed") and len(values) >= 2:
        case, amount = values[0], values[1]
        number = getattr(amount, "number", None)
        if not isinstance(case, str) or not isinstance(number, Decimal):
            return
        if entry.type == "approval":
            builder.approval(case, number, dict(entry.meta))
        else:
            builder.bank(entry.date, dict(entry.meta), [], number)
