"""The metadata and text of one bank file's entries, built together by template.

Rendering a draft's metadata key by key (`importers.render.entry_text`) costs a few
microseconds an entry; at 100,000 bank rows that was a quarter of an import. Here a bank
row's metadata is written as the text the books get, from parts rendered once — per file
(batch, source hash), per approval (its case and copied keys), per date and per amount —
and, beside it, kept as a `LazyMeta`: the pairs beangulp and the tests read, built from the
row only when read. The booking loop (`importers.bank_rows`) writes the lines of a plain row
without an approval itself (what `BankText.lines` writes), calling on this module for any
other row. The text is exactly what `entry_text` writes for the same draft (`tests/test_importers_fast.py`
compares them).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from typing import overload

from importers.bank_file import BankRow
from importers.drafts import CURRENCY
from importers.drafts import Approval
from importers.drafts import Value
from importers.render import number
from importers.render import quote
from importers.render import value_text
from ledger.recipients import fast_mask as mask

#: Meta and its text: (key, value) pairs in the order written, and their lines.
MetaText = tuple["LazyMeta", str]
#: Postings and their text: (account, amount) pairs, and their lines.
Postings = tuple[tuple[tuple[str, Decimal], ...], str]

_FAILED = ("failed", "returned")


class BankText:
    """Templates of one bank file's entries (batch and source hash fixed)."""

    def __init__(self, batch: str, sha256: str) -> None:
        """Render the parts every row of the file repeats."""
        self.batch = batch
        self.sha256 = sha256
        self._batch_line = f"  batch: {quote(batch)}\n"
        self._sha_line = f"  source-sha256: {quote(sha256)}\n"
        self.batch_row = f"{self._batch_line}  bank-row: "  # the row's index follows
        self.dates: dict[datetime.date, str] = {}
        self.moves: dict[tuple[str, str, Decimal], Postings] = {}
        # Keyed by id(); the approval is kept in the value so that its id stays its own.
        self._approvals: dict[int, tuple[Approval, str, str]] = {}

    def date(self, date: datetime.date) -> str:
        """Return a date as written (`2024-03-05`)."""
        text = self.dates.get(date)
        if text is None:
            text = self.dates[date] = date.isoformat()
        return text

    def postings(self, to: str, source: str, amount: Decimal) -> Postings:
        """Return the two postings moving amount from source to `to`, and their lines.

        A file repeats a few (accounts, amount) moves: each is built once and shared.
        """
        key = (to, source, amount)
        found = self.moves.get(key)
        if found is None:
            plus, minus = number(amount), number(-amount)
            found = self.moves[key] = (
                ((to, amount), (source, -amount)),
                f"  {to}  {plus} {CURRENCY}\n  {source}  {minus} {CURRENCY}\n",
            )
        return found

    def _approval(self, approval: Approval) -> tuple[str, str]:
        found = self._approvals.get(id(approval))
        if found is None:
            keys = "".join(f"  {k}: {value_text(v)}\n" for k, v in approval.keys)
            found = (approval, f"  case: {quote(approval.case)}\n", keys)
            self._approvals[id(approval)] = found
        return found[1], found[2]

    def lines(self, row: BankRow, card: str, recipient: str) -> str:
        """Return a row's own lines, `recipient` to `bank-row`, for an entry with no approval.

        What `meta` writes between the case and `bank-occurrence` when there is no
        approval (the booking loop writes the rest around it, with no further call).
        """
        # `fast_mask` written out for the readers' usual forms (digits; canonical IDs);
        # hashes and such masks need no escaping (a hash is hex, a mask digits and stars).
        digits, id_number = row.card, row.id_number
        if len(digits) > 10 and digits.isascii() and digits.isdigit():
            card_masked = f'"{digits[:6]}{"*" * (len(digits) - 10)}{digits[-4:]}"'
        else:
            card_masked = quote(mask(digits))
        if (
            len(id_number) > 10
            and id_number.isascii()
            and id_number.isalnum()
            and (id_number == id_number.upper())
        ):
            id_line = (
                f'  id-masked: "{id_number[:6]}{"*" * (len(id_number) - 10)}'
                f'{id_number[-4:]}"\n'
            )
        else:
            id_masked = mask(id_number)
            id_line = f"  id-masked: {quote(id_masked)}\n" if id_masked else ""
        # The hashes are hex (`ledger.recipients.Hasher`): quoted as they are.
        recipient_line = f'  recipient: "{recipient}"\n' if recipient else ""
        return (
            f'{recipient_line}  card: "{card}"\n{id_line}  card-masked: {card_masked}'
            f"\n{self.batch_row}{row.index}\n"
        )

    def status_lines(self, status: str) -> str:
        """Return the lines from `bank-status` to `source-sha256` of a row with no reason."""
        return f'  bank-status: "{status}"\n{self._sha_line}'

    def meta(
        self,
        row: BankRow,
        card: str,
        occurrence: int,
        recipient: str,
        approval: Approval | None,
        status: str,
        instalment: str = "",
    ) -> MetaText:
        """Return a bank row's metadata and its lines.

        Args:
          row: the bank row (its index is the `bank-row`).
          card: its card hash.
          occurrence: its `bank-occurrence` (written above 1).
          recipient: its recipient hash, or "" (then the approval's, if any).
          approval: the joined approval (its case first, its copied keys last), or None.
          status: the `bank-status` written.
          instalment: `k/n` of a stage of an approval paid in stages, else "" (last).

        """
        lazy = LazyMeta(
            (approval, recipient, card, row, occurrence, status, self, instalment)
        )
        reason = row.fail_reason
        reason_line = holder_line = case_line = keys_text = occurrence_line = ""
        if occurrence > 1:
            occurrence_line = f"  bank-occurrence: {occurrence}\n"
        if reason and status in _FAILED:
            reason_line = f"  fail-reason: {quote(reason)}\n"
        if approval is None:
            own = self.lines(row, card, recipient)
        else:
            case_line, keys_text = self._approval(approval)
            own = self._own_lines(row, card, recipient, approval)
            if row.name.strip() != approval.name.strip():
                holder_line = f"  holder: {quote(row.name)}\n"
        stage_line = f'  instalment: "{instalment}"\n' if instalment else ""
        return lazy, (
            f'{case_line}{own}{occurrence_line}  bank-status: "{status}"\n{reason_line}'
            f"{self._sha_line}{holder_line}{keys_text}{stage_line}"
        )

    def _own_lines(
        self, row: BankRow, card: str, recipient: str, approval: Approval
    ) -> str:
        """Return `lines` of a row joined to an approval (which fills a missing ID)."""
        id_masked = mask(row.id_number)
        if recipient and id_masked:
            return self.lines(row, card, recipient)
        card_masked = mask(row.card)
        recipient = recipient or approval.recipient
        id_masked = id_masked or approval.id_masked
        recipient_line = f"  recipient: {quote(recipient)}\n" if recipient else ""
        id_line = f"  id-masked: {quote(id_masked)}\n" if id_masked else ""
        return (
            f"{recipient_line}  card: {quote(card)}\n{id_line}  card-masked: "
            f"{quote(card_masked)}\n{self._batch_line}  bank-row: {row.index}\n"
        )


def pairs(
    approval: Approval | None,
    recipient: str,
    card: str,
    row: BankRow,
    occurrence: int,
    status: str,
    text: BankText,
    instalment: str = "",
) -> tuple[tuple[str, Value], ...]:
    """Return a bank row's metadata in the order written (the arguments of `meta`)."""
    id_masked = mask(row.id_number)
    holder = None
    if approval is not None:
        recipient = recipient or approval.recipient
        id_masked = id_masked or approval.id_masked
        if row.name.strip() != approval.name.strip():
            holder = row.name
    meta: list[tuple[str, Value]] = []
    if approval is not None:
        meta.append(("case", approval.case))
    if recipient:
        meta.append(("recipient", recipient))
    meta.append(("card", card))
    if id_masked:
        meta.append(("id-masked", id_masked))
    meta += (
        ("card-masked", mask(row.card)),
        ("batch", text.batch),
        ("bank-row", row.index),
    )
    if occurrence > 1:
        meta.append(("bank-occurrence", occurrence))
    meta.append(("bank-status", status))
    if row.fail_reason and status in _FAILED:
        meta.append(("fail-reason", row.fail_reason))
    meta.append(("source-sha256", text.sha256))
    if approval is not None:
        if holder is not None:
            meta.append(("holder", holder))
        meta += approval.keys
    if instalment:
        meta.append(("instalment", instalment))
    return tuple(meta)


class LazyMeta(Sequence[tuple[str, Value]]):
    """A bank row's metadata, as a tuple of pairs built on first use.

    The books get the entry's text; only beangulp and tests read the pairs, so an import
    of 100,000 rows does not build (and free) a million small tuples.
    """

    __slots__ = ("_args", "_pairs")

    def __init__(self, args: tuple[Any, ...]) -> None:
        """Keep the arguments of `pairs`."""
        self._args = args
        self._pairs: tuple[tuple[str, Value], ...] | None = None

    def get(self) -> tuple[tuple[str, Value], ...]:
        """Return the pairs."""
        if self._pairs is None:
            self._pairs = pairs(*self._args)
        return self._pairs

    @overload
    def __getitem__(self, index: int) -> tuple[str, Value]: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[str, Value], ...]: ...

    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, Value] | tuple[tuple[str, Value], ...]:
        """Return a pair, or a tuple of pairs."""
        return self.get()[index]

    def __len__(self) -> int:
        """Return the number of pairs."""
        return len(self.get())

    def __iter__(self) -> Iterator[tuple[str, Value]]:
        """Iterate over the pairs."""
        return iter(self.get())

    def __eq__(self, other: object) -> bool:
        """Compare as the tuple of pairs."""
        if isinstance(other, LazyMeta):
            other = other.get()
        return self.get() == other

    def __hash__(self) -> int:
        """Hash as the tuple of pairs."""
        return hash(self.get())

    def __repr__(self) -> str:
        """Show the pairs."""
        return repr(self.get())
