"""Booking the rows of one bank file (SPEC §3 "Bank round trip").

A bank row moves money according to what the books already hold for its identity
(`importers.identity`) and what the bank now says:

| booked before | file says | entry |
| --- | --- | --- |
| nothing | request | paying account → in transit |
| nothing | pending | paying account → in transit |
| nothing | paid | paying account → relief / advance / suspense |
| nothing | failed, returned | `custom "payout-failed"` |
| in transit | paid | in transit → relief / advance / suspense |
| in transit | failed, returned | in transit → paying account |
| in transit | pending, request | nothing (still pending) |
| paid | returned, failed | relief / advance / suspense → paying account (`returned`) |
| anything else | | nothing (already booked) |

Entries carry their text, built while booking (`importers.bank_text`). Sending and paying
(almost every row) are booked in one loop here; returns and failures by the methods of
`importers.bank_returns`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from importers import identity
from importers.bank_file import BankFile
from importers.bank_file import BankRow
from importers.bank_returns import NARRATION
from importers.bank_returns import QUOTED
from importers.bank_returns import UNJOINED
from importers.bank_returns import ZERO
from importers.bank_returns import ReturnRows
from importers.bank_text import BankText
from importers.bank_text import LazyMeta
from importers.drafts import Approval
from importers.drafts import Draft
from importers.drafts import advance_link
from importers.errors import InputError
from importers.identity import Booked
from importers.identity import RowId
from importers.payer import Payer
from importers.payer import unplaced
from importers.render import needs_escape
from importers.render import quote
from ledger import accounts

if TYPE_CHECKING:
    from importers.booking import Booker

ACTIONS: dict[tuple[str | None, str], str] = {
    (None, "request"): "send",
    (None, "pending"): "send",
    (None, "paid"): "pay",
    (None, "failed"): "payout-failed",
    (None, "returned"): "payout-failed",
    ("pending", "paid"): "pay",
    ("pending", "failed"): "back",
    ("pending", "returned"): "back",
    ("pending", "pending"): "still",
    ("pending", "request"): "still",
    ("paid", "returned"): "return",
    ("paid", "failed"): "return",
}
#: The action on a row booked for the first time, by its status.
FIRST_ACTIONS = {status: action for (was, status), action in ACTIONS.items() if was is None}
#: Account names by role and place, remembered (a C-level cache: a file repeats a few).
_account = functools.lru_cache(maxsize=4096)(accounts.account_for)


class RowBooker(ReturnRows):
    """Books the rows of one bank file."""

    def __init__(self, booker: Booker, bank: BankFile, payer: Payer) -> None:
        """Start booking a file's rows (paid from payer's account) with booker."""
        self.booker = booker
        self.bank = bank
        self.payer = payer
        self.booked = booker.state.booked
        self.recipient, self.tally = "", booker.outcome.tallies  # the row's recipient hash
        self.text = BankText(bank.batch, bank.sha256)
        self._counties: dict[str, str] = {}  # a paying or transit account's county

    def book_rows(
        self, cards: list[str], ids: list[RowId], progress: Callable[[int], None] | None
    ) -> None:
        """Book every row of the file (cards: their card hashes, ids: their identities).

        One loop over the rows, with sending and paying (almost every row) written out in
        it rather than in methods, and so is the text of such an entry without an approval
        (`BankText.meta` and `_txn`): at 100,000 rows each call a row saves is about a
        hundredth of a second. Returns (`_back`) and failures (`_payout_failed`) keep their
        methods.
        """
        booked, joiner, text = self.booked, self.booker.joiner, self.text
        # Every row's recipient in one loop: a skipped row wastes a hash, a booked one a call.
        hashes = self.booker.hasher.recipients([row.id_number for row in self.bank.rows])
        bank_date, tally, paying_account = self.bank.date, self.tally, self.payer.account
        sent = self.bank.sent
        # Registers are booked before bank files: whether the payer's county has approvals
        # to join is known for the whole file (a result file alone joins nothing).
        joins = self.payer.county in joiner.counties
        place = (self.payer.county, self.payer.township) if self.payer.township else None
        # What the file's entries share, rendered once (or once per date, move, status).
        seal, emit, path = self.booker.state.seal, self.booker.drafts.append, self.bank.path
        dates, moves, counties = text.dates, text.moves, self._counties
        status_lines = {status: text.status_lines(status) for status in ("pending", "paid")}
        batch_row, stars = text.batch_row, ["*" * max(0, n - 10) for n in range(20)]
        for number, (row, card, row_id, recipient) in enumerate(
            zip(self.bank.rows, cards, ids, hashes, strict=True)
        ):
            if progress is not None and number % 1000 == 999:
                progress(1000)
            before = booked.get(row_id)
            status = row.status or "request"
            amount = row.amount
            action: str | None
            if before is None:
                action = FIRST_ACTIONS[status]
            else:
                action = ACTIONS.get((before.status, status))
            if action is None or action == "still":
                tally["pending" if action and status == "pending" else "skipped"].add(
                    amount
                )
                continue
            self.recipient = recipient
            approval, note = (
                self._approval(row, before) if joins or before is not None else (None, "")
            )
            # The file's 代发日期 (the day money left); a return, the day it came back.
            if status == "request" or (
                sent and status != "returned" and action != "return"
            ):
                date = bank_date
            else:
                date = row.date or bank_date
            if action == "payout-failed":
                self._payout_failed(row, card, row_id, approval, date, status)
                continue
            if action not in ("send", "pay"):
                assert before is not None
                self._back(row, card, row_id, approval, date, before, status)
                continue
            county, township = place or self._place(row, approval)
            link, flag, source = "", "*", paying_account
            case = approval.case if approval is not None else ""
            if action == "send":
                bank_status, narration = "pending", NARRATION[status]
                target = _account("intransit", county, township)
                kind = "in_transit" if status == "request" else "pending"
                takes = approval is not None
                new = Booked("pending", case, paying_account, target)
            else:
                bank_status, narration, kind = "paid", NARRATION["paid"], "paid"
                if approval is None:
                    target = _account("suspense", county, township)
                    kind, flag = "suspense", "!"
                    narration = f"{UNJOINED}（{note}）" if note else UNJOINED
                elif approval.is_advance:
                    target = _account("advances", approval.county, approval.township)
                    link, kind = advance_link(approval.case), "advances"
                else:
                    target = _account(
                        "relief", approval.county, approval.township, approval.procedure
                    )
                paying = paying_account
                if before is not None:
                    source = before.transit or paying_account
                    paying = before.paying
                new = Booked("paid", case, paying, "", target, link)
                takes = approval is not None and (before is None or not before.case)
            # The entry, as `_txn` makes it (a row without approval: its text written out).
            occurrence = row_id[3]
            if approval is None:
                payee = row.name
                meta = LazyMeta((None, recipient, card, row, occurrence, bank_status, text))
                # `BankText.lines` written out for the readers' usual card and ID forms.
                digits, id_number = row.card, row.id_number
                if (
                    10 < len(digits) < 20
                    and digits.isascii()
                    and digits.isdigit()
                    and len(id_number) == 18
                    and id_number.isascii()
                    and id_number.isalnum()
                    and id_number == id_number.upper()
                ):
                    meta_lines = (
                        f'  recipient: "{recipient}"\n  card: "{card}"\n  id-masked: "'
                        f'{id_number[:6]}********{id_number[-4:]}"\n  card-masked: "'
                        f'{digits[:6]}{stars[len(digits)]}{digits[-4:]}"\n{batch_row}'
                        f"{row.index}\n"
                    )
                else:
                    meta_lines = text.lines(row, card, recipient)
                if occurrence > 1:
                    meta_lines += f"  bank-occurrence: {occurrence}\n"
                status_line = status_lines[bank_status]
            else:
                payee = approval.name
                # `k/n` of an approval paid in stages: given when the row takes its
                # approval (sent or paid), kept from its transit entry when paid.
                if takes:
                    stage = new.stage = joiner.stage(approval, amount)
                elif before is not None and bank_status == "paid":
                    stage = before.stage or joiner.stage(approval, amount, counted=True)
                else:
                    stage = ""
                meta, meta_lines = text.meta(
                    row, card, occurrence, recipient, approval, bank_status, stage
                )
                status_line = ""  # in meta_lines
            postings = moves.get((target, source, amount)) or text.postings(
                target, source, amount
            )
            payee_q = f'"{payee}"' if needs_escape(payee) is None else quote(payee)
            written = (
                f"{dates.get(date) or text.date(date)} {flag} {payee_q} "
                f"{QUOTED.get(narration) or quote(narration)}{f' ^{link}' if link else ''}"
                f"\n{meta_lines}{status_line}{postings[1]}"
            )
            draft = Draft(
                date,
                counties.get(source) or self._county(source, target),
                "bank",
                "txn",
                meta,
                flag,
                payee,
                narration,
                (link,) if link else (),
                postings[0],
                "",
                ZERO,
                path,
                row.row,
                written,
            )
            if seal is not None and date <= seal:
                self.booker._emit(draft)  # raises: a sealed period takes no entries
            else:
                emit(draft)
            if takes:
                joiner.take(approval, amount)  # type: ignore[arg-type]
            if before is None:
                booked[row_id] = new
            else:
                identity.merge(booked, row_id, new)
            counted = tally[kind]
            counted.count += 1
            counted.amount += amount
        if progress is not None:
            progress(len(self.bank.rows) % 1000)

    def _approval(self, row: BankRow, before: Booked | None) -> tuple[Approval | None, str]:
        joiner = self.booker.joiner
        if before is not None and before.case:
            return joiner.get(before.county, before.case), ""
        if before is not None and before.status != "pending":
            return None, ""
        recipient = self.recipient if row.id_number else ""
        return joiner.join(self.payer.county, row.memo, recipient, row.name, row.amount)

    def _place(self, row: BankRow, approval: Approval | None) -> tuple[str, str]:
        if self.payer.township:
            return self.payer.county, self.payer.township
        if approval is not None:
            return approval.county, approval.township
        raise InputError(
            self.bank.path,
            unplaced(self.bank, row.status, self.payer, self.booker.payer is not None),
            row.row,
            self.bank.label("memo", "") or self.bank.label("name", "姓名"),
        )

    def _county(self, source: str, to: str) -> str:
        """Return the county of an entry's accounts (that of source kept when it has one)."""
        info = accounts.parse(source)
        if info is not None:
            self._counties[source] = info.county
            return info.county
        info = accounts.parse(to)
        assert info is not None
        return info.county
