"""What an import is about to write: drafts of entries, and the approvals they join.

Booking (`importers.booking`) turns validated rows into `Draft`s; `importers.render` writes
them as Beancount text for the books (fast, no Beancount printer) or turns them into
Beancount directives for beangulp. A draft knows where it goes: a per-year, per-county file
(`<year>/<county>-bank.beancount` or `<year>/<county>-approvals.beancount`).
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
from collections.abc import Sequence
from decimal import Decimal

#: A metadata value as written: string, number, date.
Value = str | Decimal | int | datetime.date

#: The approval keys a paid row copies from its approval record (SPEC §3).
COPY_KEYS: tuple[str, ...] = (
    "approval",
    "approver",
    "approved",
    "ratio",
    "notice",
    "decision",
    "category",
    "applied",
)

CURRENCY = "CNY"
_LINK = re.compile(r"[A-Za-z0-9\-_/.]+")


@dataclasses.dataclass(slots=True)  # not frozen: frozen __init__ is slow at 100k rows
class Draft:
    """One entry to be written.

    Attributes:
      date: the entry's date.
      county: the county component (which file it goes to).
      target: "bank" or "approvals" (which file it goes to).
      directive: "txn", or the custom type ("approval", "payout-failed").
      flag: "*" or "!" for a transaction.
      payee: the recipient's name (transactions).
      narration: what happened (transactions).
      links: links without the caret.
      meta: metadata in the order written.
      postings: (account, amount in CNY) pairs.
      case: the custom's case value (customs).
      amount: the custom's amount (customs).
      source: the input file, for messages.
      row: the input row, for messages.
      text: the entry's text when booking rendered it already (`importers.bank_text`),
        else "" (then `importers.render.entry_text` writes it).

    """

    date: datetime.date
    county: str
    target: str
    directive: str
    meta: Sequence[tuple[str, Value]]
    flag: str = "*"
    payee: str = ""
    narration: str = ""
    links: tuple[str, ...] = ()
    postings: tuple[tuple[str, Decimal], ...] = ()
    case: str = ""
    amount: Decimal = Decimal(0)
    source: str = ""
    row: int = 0
    text: str = ""

    @property
    def path(self) -> str:
        """Return the file it goes to, relative to the books' main file."""
        return f"{self.date.year}/{self.county.lower()}-{self.target}.beancount"


@dataclasses.dataclass(frozen=True, slots=True)
class Approval:
    """An approval record (`custom "approval"`), from the books or a register.

    Attributes:
      case: case number.
      county, township: account components.
      amount: amount approved.
      procedure: small, general or emergency.
      name: the recipient's name (the payee of a joined row).
      recipient: keyed hash of the recipient's ID (`r-…`), or "".
      id_masked: masked ID, or "".
      approved: the approval date; None for an emergency advance not yet approved.
      keys: the COPY_KEYS present on the record, in COPY_KEYS order.
      where: where it was read, for messages: `FILE:LINE` of a record of the books;
        `FILE, row N` of a register row.
      recorded: read from the books (not from a register of this import).

    """

    case: str
    county: str
    township: str
    amount: Decimal
    procedure: str
    name: str
    recipient: str
    id_masked: str
    approved: datetime.date | None
    keys: tuple[tuple[str, Value], ...]
    where: str = ""
    recorded: bool = False

    @property
    def is_advance(self) -> bool:
        """Return True for an emergency approval without an approval date (SPEC §10)."""
        return self.procedure == "emergency" and self.approved is None


def approval_from_meta(
    case: str, county: str, amount: Decimal, meta: dict[str, object]
) -> Approval:
    """Return an approval from a record's metadata (values as Beancount parses them)."""

    def text(key: str) -> str:
        value = meta.get(key)
        return value if isinstance(value, str) else ""

    approved = meta.get("approved")
    where = text("filename")
    if where and isinstance(line := meta.get("lineno"), int):
        where = f"{where}:{line}"
    keys = tuple(
        (key, value)
        for key in COPY_KEYS
        if isinstance(value := meta.get(key), str | Decimal | int | datetime.date)
        and value != ""
    )
    return Approval(
        case=case,
        county=county,
        township=text("township"),
        amount=amount,
        procedure=text("procedure"),
        name=text("name"),
        recipient=text("recipient"),
        id_masked=text("id-masked"),
        approved=approved if isinstance(approved, datetime.date) else None,
        keys=keys,
        where=where,
        recorded=True,
    )


def advance_link(case: str) -> str:
    """Return an advance's link (without caret): `adv-<case>`, or a hash of odd cases."""
    if _LINK.fullmatch(case):
        return f"adv-{case}"
    return "adv-" + hashlib.sha256(case.encode("utf-8")).hexdigest()[:12]
