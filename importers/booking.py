"""Booking validated registers and bank files as entries (SPEC §3 "Bank round trip", §10).

A register row becomes a `custom "approval"` record; a bank file's rows are booked by
`importers.bank_rows` against what the books already hold for each row's identity.
Every problem is an `InputError` raised before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable

from importers import identity
from importers import register_conflict
from importers.bank_file import BankFile
from importers.bank_rows import RowBooker
from importers.drafts import COPY_KEYS
from importers.drafts import Approval
from importers.drafts import Draft
from importers.drafts import Value
from importers.errors import InputError
from importers.identity import LedgerState
from importers.join import Joiner
from importers.outcome import Outcome
from importers.payer import Payer
from importers.payer import resolve
from importers.register import Register
from ledger import recipients


class Booker:
    """Books files one after another against the books' state, collecting drafts."""

    def __init__(self, state: LedgerState, key: bytes, payer: Payer | None = None) -> None:
        """Start booking against state, hashing with key; payer overrides every file's."""
        self.state = state
        self.key = key
        self.hasher = identity.Hasher(key)
        self.payer = payer
        self.joiner = Joiner(state.approvals.values(), state.taken(), state.stages)
        self.drafts: list[Draft] = []
        self.outcome = Outcome()

    def _emit(self, draft: Draft) -> None:
        seal = self.state.seal
        if seal is not None and draft.date <= seal:
            raise InputError(
                draft.source,
                f"dated {draft.date}, on or before the latest seal of the books ({seal}); "
                "a sealed period takes no new entries",
                draft.row,
            )
        self.drafts.append(draft)

    def book_register(self, register: Register) -> None:
        """Book a register's rows as approval records.

        A case already recorded in the county is skipped when the row says the same, and
        refused when it differs (`importers.register_conflict`).
        """
        directory = self.state.directory
        for row in register.rows:
            place = directory.township_by_name(None, row.township)
            if place is None:
                raise InputError(
                    register.path,
                    f"{row.township!r} is not a township of the books (Chinese name or "
                    "account component), or names more than one",
                    row.row,
                    "乡镇(街道)",
                )
            date = row.approved or row.applied
            if date is None:
                raise InputError(
                    register.path,
                    "an emergency row without 审批日期 needs its 申请日期 to date the record",
                    row.row,
                    "申请日期",
                )
            recipient = recipients.recipient_hash(self.key, row.id_number)
            written: list[tuple[str, Value | None]] = [
                ("township", place.township),
                ("procedure", row.procedure),
                ("approval", row.approval),
                ("approver", row.approver),
                ("approved", row.approved),
                ("recipient", recipient),
                ("name", row.name),
                ("id-masked", recipients.mask(row.id_number)),
                ("applied", row.applied),
                ("ratio", row.ratio),
                ("notice", row.notice),
                ("decision", row.decision),
                ("category", row.category),
                ("category-text", row.category_text),
            ]
            meta = tuple((k, v) for k, v in written if v is not None and v != "")
            present = dict(meta)
            keys = tuple((k, present[k]) for k in COPY_KEYS if k in present)
            approval = Approval(
                row.case,
                place.county,
                place.township,
                row.amount,
                row.procedure,
                row.name,
                recipient,
                recipients.mask(row.id_number),
                row.approved,
                keys,
                f"{register.path}, row {row.row}",
            )
            existing = self.joiner.get(place.county, row.case)
            if existing is not None:
                problem = register_conflict.conflict(existing, approval, register)
                if problem is not None:
                    raise InputError(register.path, problem[0], row.row, problem[1])
                self.outcome.add("skipped", row.amount)  # the same approval again
                continue
            self.joiner.add(approval)
            self.state.approvals[(place.county, row.case)] = approval
            self._emit(
                Draft(
                    date,
                    place.county,
                    "approvals",
                    "approval",
                    meta,
                    case=row.case,
                    amount=row.amount,
                    source=register.path,
                    row=row.row,
                )
            )
            self.outcome.add("approvals", row.amount)
        self.outcome.files.append(
            {
                "path": register.path,
                "kind": "register",
                "batch": "",
                "rows": len(register.rows),
            }
        )

    def _payer(self, bank: BankFile) -> Payer:
        if self.payer is not None:
            return self.payer
        if not bank.payer_account:
            raise InputError(
                bank.path,
                "the file names no payer account (付款账号) above its header; "
                "name the paying account with --account",
            )
        found, problem = resolve(
            self.state.directory, self.state.opened, bank.payer_account
        )
        if found is None:
            raise InputError(
                bank.path,
                problem + "; name the paying account with --account",
                bank.payer_row,
                bank.payer_label or None,
            )
        return found

    def book_bank(
        self, bank: BankFile, progress: Callable[[int], None] | None = None
    ) -> None:
        """Book a request or result file's rows."""
        payer = self._payer(bank)
        cards = self.hasher.cards([row.card for row in bank.rows])
        ids = identity.row_ids(
            bank.batch, zip(cards, (r.amount for r in bank.rows), strict=True)
        )
        RowBooker(self, bank, payer).book_rows(cards, ids, progress)
        self.outcome.files.append(
            {
                "path": bank.path,
                "kind": bank.kind,
                "batch": bank.batch,
                "rows": len(bank.rows),
            }
        )
