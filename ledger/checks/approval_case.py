"""OVER-AUTHORITY, TIER-MISMATCH, PAID-OVER-APPROVED: a case's amount against its limits.

The amount of a case is its relief expense net of reversals and returns (SPEC §5), checked
once, at the case's last relief payment in effect, with that payment's approval keys. The
policy in force is that of its `approved` date (its own date when absent). A case whose net
amount is not positive paid nothing and is not checked; nor is a limit in another currency.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any
from typing import Final

from beancount.core import data

from ledger.books import Books
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.payment_finding import finding
from ledger.checks.payment_finding import money
from ledger.disbursement import CaseMoney
from ledger.disbursement import Disbursement
from ledger.findings import Finding

ZERO: Final = Decimal(0)


def check(books: Books) -> list[Finding]:
    """Return the case-level findings of the approval family."""
    rules = Cases(books)
    view = cases.view(books)
    for group, _ in view.cases():
        last = view.last_relief(group)
        if last is not None:
            meta = last.entry.meta
            level = cases.level_of(last) or None  # A text, or None: never an amount.
            rules.case(group, last, level, meta.get("approved"), meta.get("ratio"))
    return rules.findings


class Cases:
    """The case-level rules, asked of each case at its last relief payment (`case`).

    The approval family asks them while it checks that payment (its level, date approved and
    ratio already read); `check` asks them of every case.
    """

    def __init__(self, books: Books) -> None:
        """Take what every case needs from the books' indexes and policy."""
        self.books = books
        self.over_approved = books.index.over_approved
        self.policy = books.policy
        self.lowest = self.policy.lowest_ceiling
        #: The findings so far, in the order the cases were asked.
        self.findings: list[Finding] = []

    def case(
        self, group: CaseMoney, last: Disbursement, level: Any, on: Any, ratio: Any
    ) -> None:
        """Check one (county, case) at its last relief payment.

        `level` is the payment's `approval` if it is a text, else None (an amount raises when
        compared with a text); `on` and `ratio` are its `approved` and `ratio` values as found
        (of any type). Each rule asks its cheap question first (the lowest ceiling there
        is, the band, the approved amount); only a case that may break it goes through the
        rule's own function, which decides with the policy in force on its date.
        """
        net = group.net
        if net <= ZERO:
            return
        if on.__class__ is not datetime.date and not isinstance(on, datetime.date):
            on = last.entry.date  # Without an `approved` date, the policy of its own date.
        if (level == "township" or level == "county") and net > self.lowest.get(level, net):
            self.findings.extend(_authority(self.books, last, net, on))
        if isinstance(ratio, Decimal) and (last.procedure == "general" or last.settlement):
            tier = self.policy.tiers(last.county, on).find(ratio)
            if tier is None or not tier.minimum <= net <= tier.maximum:
                self.findings.extend(_tier(self.books, last, net, on))
        record = self.over_approved(group, net)
        if record is not None:
            self.findings.extend(_over_approved(self.books, last, net, record))


def _authority(books: Books, d: Disbursement, net: Decimal, on: datetime.date) -> list[Finding]:
    level = cases.level_of(d)
    if level not in ("township", "county"):
        return []  # The conference has no ceiling; a missing level is APPROVAL-MISSING.
    setting = books.policy.authority(level, d.county, d.procedure, on)
    if setting is None or setting.currency != d.currency or net <= setting.value:
        return []
    text = (
        f"{money(net, d.currency)} exceeds the {level} ceiling "
        f"{money(setting.value, setting.currency)} ({setting.origin})"
    )
    return [finding(books, "OVER-AUTHORITY", d, text, net)]


def _tier(books: Books, d: Disbursement, net: Decimal, on: datetime.date) -> list[Finding]:
    level = cases.level_of(d)
    ratio = approval_meta.number(d.meta, "ratio")
    if not approval_meta.needs_ratio(d) or not level or ratio is None:
        return []
    tiers = books.policy.tiers(d.county, on)
    if tiers.currency != d.currency:
        return []
    if ratio < tiers.lowest:
        text = (
            f"{money(net, d.currency)} at ratio {ratio}: the ratio is below the lowest tier, "
            f"from {tiers.lowest} ({tiers.origin})"
        )
    elif ratio >= tiers.highest:
        if level == "conference":
            return []
        text = (
            f"{money(net, d.currency)} at ratio {ratio}: a ratio at or above {tiers.highest} "
            f"only the joint conference decides, but it was approved by the {level} "
            f"({tiers.origin})"
        )
    else:
        tier = tiers.find(ratio)
        if tier is None:
            text = f"{money(net, d.currency)} at ratio {ratio}: the ratio falls in no tier ({tiers.origin})"
        elif tier.minimum <= net <= tier.maximum:
            return []
        else:
            text = (
                f"{money(net, d.currency)} at ratio {ratio} is outside the band "
                f"{money(tier.minimum, '')}–{money(tier.maximum, tiers.currency)} of tier "
                f"{tier.ratio_from}–{tier.ratio_to} ({tiers.origin})"
            )
    return [finding(books, "TIER-MISMATCH", d, text, net)]


def _over_approved(
    books: Books, d: Disbursement, net: Decimal, record: data.Custom
) -> list[Finding]:
    approved = record.values[1].value
    if approved.currency != d.currency or net <= approved.number:
        return []
    text = (
        f"{money(net, d.currency)} paid exceeds the {money(approved.number, approved.currency)}"
        f" of its approval record of {record.date.isoformat()}"
    )
    return [finding(books, "PAID-OVER-APPROVED", d, text, net)]
