"""OVER-AUTHORITY, TIER-MISMATCH, PAID-OVER-APPROVED: a case's amount against its limits.

The amount of a case is its relief expense net of reversals and returns (SPEC §5), checked
once, at the case's last relief payment in effect, with that payment's approval keys. The
policy in force is that of its `approved` date (its own date when absent). A case whose net
amount is not positive paid nothing and is not checked; nor is a limit in another currency.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from beancount.core import data

from ledger.books import Books
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.cases import finding
from ledger.checks.cases import money
from ledger.findings import Finding
from ledger.money import Disbursement

ZERO = Decimal(0)


def check(books: Books) -> list[Finding]:
    """Return the case-level findings of the approval family."""
    return Cases(books).check(cases.view(books).last_relief.items())


class Cases:
    """The case-level rules, asked of (county, case) keys and their last relief payments."""

    def __init__(self, books: Books) -> None:
        """Take what every case needs from the books' indexes and policy."""
        self.books = books
        self.amounts = books.index.case_amount
        self.approved = books.index.approved_amounts
        self.policy = books.policy

    def check(self, lasts: Iterable[tuple[tuple[str, str], Disbursement]]) -> list[Finding]:
        """Return the findings of cases given as ((county, case), last relief payment)."""
        books = self.books
        amounts = self.amounts
        approved = self.approved
        lowest = self.policy.lowest_ceiling
        single_tiers = self.policy.single_tiers
        findings: list[Finding] = []
        # Each rule asks its cheap question first (the lowest ceiling there is, the band, the
        # approved amount); only a case that may break it goes through the rule's own
        # function, which decides with the policy in force on its date. Each key is read once.
        for key, last in lasts:
            net = amounts.get(key, ZERO)
            if net <= ZERO:
                continue
            entry = last.entry
            meta = entry.meta
            on = meta.get("approved")
            if not isinstance(on, datetime.date):
                on = entry.date  # Without an `approved` date, the policy of its own date.
            level = meta.get("approval")
            if (level == "township" or level == "county") and net > lowest.get(level, net):
                findings.extend(_authority(books, last, net, on))
            ratio = meta.get("ratio")
            if isinstance(ratio, Decimal) and (last.procedure == "general" or last.settlement):
                tiers = single_tiers or self.policy.tiers(last.county, on)
                tier = tiers.find(ratio)
                if tier is None or not tier.minimum <= net <= tier.maximum:
                    findings.extend(_tier(books, last, net, on))
            limit = approved.get(key)
            if limit is not None and net > limit:
                record = books.index.approval_record(*key)
                if record is not None:
                    findings.extend(_over_approved(books, last, net, record))
        return findings


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
        text = f"ratio {ratio} is below the lowest tier, from {tiers.lowest} ({tiers.origin})"
    elif ratio >= tiers.highest:
        if level == "conference":
            return []
        text = (
            f"ratio {ratio} is at or above {tiers.highest}, which only the joint conference "
            f"decides, but it was approved by the {level} ({tiers.origin})"
        )
    else:
        tier = tiers.find(ratio)
        if tier is None:
            text = f"ratio {ratio} falls in no tier ({tiers.origin})"
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
