"""Joining a bank row to its approval record (SPEC §10 "Joining a paid row to its approval").

In order: the case number found in the memo, whatever the row's amount; else (recipient
hash, amount) when exactly one open approval of the county has them; else (name, amount)
when exactly one has them. An approval joins at most one row in effect (in transit or
paid): once taken it is only joined again by its case in the memo for an instalment, while
less than the amount approved is taken. A failed or returned row frees its approval for the
re-issue.
Every lookup is a dictionary access, so joining is linear in the number of rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from importers.drafts import Approval

ZERO = Decimal(0)

# Tokens of a memo that may be a case number: runs between separators, and ASCII runs.
_SEPARATED = re.compile(r"[^\s,，;；:：、()（）\[\]【】<>《》]+")
_ASCII = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]")


def memo_tokens(memo: str) -> list[str]:
    """Return the candidate case numbers in a memo, the whole memo first."""
    memo = memo.strip()
    if not memo:
        return []
    found = [memo, *_SEPARATED.findall(memo), *_ASCII.findall(memo)]
    return list(dict.fromkeys(found))


class Joiner:
    """Approval records by case, (recipient, amount) and (name, amount), per county."""

    def __init__(
        self,
        approvals: Iterable[Approval],
        taken: dict[tuple[str, str], Decimal],
        stages: dict[tuple[str, str], int] | None = None,
    ) -> None:
        """Index the approvals.

        taken holds the amounts already in effect per case, stages the highest instalment
        number the books give a case.
        """
        self.by_case: dict[tuple[str, str], Approval] = {}
        self.by_recipient: dict[tuple[str, str, Decimal], list[Approval]] = defaultdict(
            list
        )
        self.by_name: dict[tuple[str, str, Decimal], list[Approval]] = defaultdict(list)
        self.taken: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO, taken)
        self.counties: set[str] = set()  # those with any approval: others join nothing
        self.stages: dict[tuple[str, str], int] = dict(stages or {})
        for approval in approvals:
            self.add(approval)

    def add(self, approval: Approval) -> None:
        """Index one more approval (from a register of the same command)."""
        key = (approval.county, approval.case)
        if key in self.by_case:
            return
        self.by_case[key] = approval
        self.counties.add(approval.county)
        if approval.recipient:
            self.by_recipient[
                (approval.county, approval.recipient, approval.amount)
            ].append(approval)
        if approval.name:
            self.by_name[(approval.county, approval.name, approval.amount)].append(approval)

    def get(self, county: str, case: str) -> Approval | None:
        """Return the approval of a case, if recorded."""
        return self.by_case.get((county, case))

    def _free(self, approval: Approval) -> bool:
        return self.taken[(approval.county, approval.case)] == ZERO

    def _unique(self, found: list[Approval]) -> Approval | None:
        free = [approval for approval in found if self._free(approval)]
        return free[0] if len(free) == 1 else None

    def join(
        self, county: str, memo: str, recipient: str, name: str, amount: Decimal
    ) -> tuple[Approval | None, str]:
        """Return the approval a row joins (or None) and a note on a case left unjoined."""
        if county not in self.counties:
            return None, ""  # a result file imported before (or without) its register
        note = ""
        for token in memo_tokens(memo):
            approval = self.by_case.get((county, token))
            if approval is None:
                continue
            # The memo's case joins whatever the amount (over it, the audit says
            # PAID-OVER-APPROVED), unless the case is already paid (or sent) in full:
            # a further row is then no stage of it.
            if self.taken[(county, approval.case)] < approval.amount:
                return approval, ""
            note = f"摘要所列案件 {approval.case} 已足额支付"
            break
        if recipient:
            approval = self._unique(self.by_recipient.get((county, recipient, amount), []))
            if approval is not None:
                return approval, ""
        approval = self._unique(self.by_name.get((county, name, amount), []))
        return approval, note

    def stage(self, approval: Approval, amount: Decimal, counted: bool = False) -> str:
        """Return the `instalment` of a row taking an approval, "k/n", or "" for the whole.

        A row is a stage of an approval paid in stages when it takes less than the amount
        approved, or another stage is in effect (in transit or paid). k follows the highest
        stage number of the case (a row of the case paid without an `instalment` is stage
        1); n is the number of stages known when the row is booked: k when this stage
        completes the amount approved, else k + 1 (at least one more is to come).

        Args:
          approval: the approval the row joins.
          amount: the row's amount.
          counted: the amount is already among those taken (a row in transit from books
            written before stages were given).
        """
        key = (approval.county, approval.case)
        before = self.taken[key] - (amount if counted else ZERO)
        if before <= ZERO and amount >= approval.amount:
            return ""
        k = self.stages.get(key, 0) + 1
        self.stages[key] = k
        return f"{k}/{k if before + amount >= approval.amount else k + 1}"

    def take(self, approval: Approval, amount: Decimal) -> None:
        """Mark an amount of an approval as in effect (in transit or paid)."""
        self.taken[(approval.county, approval.case)] += amount

    def release(self, county: str, case: str, amount: Decimal) -> None:
        """Free an amount of a case whose payment failed or was returned."""
        if case:
            self.taken[(county, case)] -= amount
