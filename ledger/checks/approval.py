"""The approval family (SPEC §5): each payment approved, at the right level, in time.

Per payment in effect (a reversed one was a booking error, corrected by its reversal):
APPROVAL-MISSING (`approval_meta`), WRONG-LEVEL, PAID-BEFORE-APPROVAL and NOTICE-MISSING. Per
case, at its last relief payment: OVER-AUTHORITY, TIER-MISMATCH and PAID-OVER-APPROVED
(`approval_case`). A check whose input is missing or ill-typed skips the payment; the gap is
APPROVAL-MISSING (NOTICE-MISSING for `notice`), reported once per payment.
"""

from __future__ import annotations

import datetime

from ledger.books import Books
from ledger.checks import approval_case
from ledger.checks import approval_meta
from ledger.checks import cases
from ledger.checks.paid_dates import PaidDates
from ledger.checks.paid_dates import paid_dates
from ledger.checks.payment_finding import finding
from ledger.checks.payment_finding import money
from ledger.checks.vouch import APPROVED
from ledger.checks.vouch import LEVEL
from ledger.checks.vouch import NOTICE
from ledger.checks.vouch import RATIO
from ledger.checks.vouch import vouch
from ledger.disbursement import Disbursement
from ledger.findings import Finding
from ledger.findings import unique


def check(books: Books) -> list[Finding]:
    """Return the approval family's findings as of the audit date."""
    view = cases.view(books)
    per_case = approval_case.Cases(books)
    findings = _Payments(books, view, per_case).check(view.disbursements)
    return unique(findings + per_case.findings)


class _Payments:
    """The per-payment rules: APPROVAL-MISSING, WRONG-LEVEL, PAID-BEFORE-APPROVAL, NOTICE.

    The case rules (`approval_case`) are asked at each case's last relief payment in the
    same loop, while that payment's metadata is in the processor's cache and its `approval`
    and `approved` values already read: every case has one (`CaseView.last_relief`), and it
    is a relief payment in effect, which this loop meets once. A payment knows its case
    (`Disbursement.group`), and its case its last relief payment, unless a payment of it was
    undone (`CaseView.changed`, empty in most books).
    """

    def __init__(
        self, books: Books, view: cases.CaseView, per_case: approval_case.Cases
    ) -> None:
        self.books = books
        self.undone = view.reversed
        self.changed = view.changed
        self.per_case = per_case
        self.dates = paid_dates(books)

    def check(self, payments: list[Disbursement]) -> list[Finding]:
        """Return the per-payment findings of these payments, in their order."""
        books = self.books
        undone = self.undone
        policy = books.policy
        dates = self.dates
        changed = self.changed
        case_rules = self.per_case.case
        findings: list[Finding] = []
        for d in payments:
            if id(d.entry) in undone:  # The id alone: the transaction is not looked at.
                continue
            # Each rule first asks the cheap question "can this payment raise it?"; only a
            # payment that may is looked at closely (and messages are made only for findings).
            keys = vouch(d.meta, d.procedure, d.settlement)
            if keys is None:
                gaps = approval_meta.problems(d)
                if gaps:
                    text = f"{money(d.amount, d.currency)} {approval_meta.kind(d)} {'; '.join(gaps)}"
                    findings.append(finding(books, "APPROVAL-MISSING", d, text))
            procedure = d.procedure
            if procedure == "advance":
                continue
            if keys is None:
                meta = d.meta
                level, approved = meta.get("approval"), meta.get("approved")
                if not isinstance(level, str):  # An amount raises when compared with text.
                    level = None
                ratio, notice = meta.get("ratio"), meta.get("notice")
            else:  # What `vouch` read; ratio and notice only of general relief.
                level, approved = keys[LEVEL], keys[APPROVED]
                general = procedure == "general"
                ratio = keys[RATIO] if general else None
                notice = keys[NOTICE] if general else None
            group = d.group
            if group is not None and (
                group.last_relief is d
                if not changed or group not in changed
                else changed[group] is d
            ):
                case_rules(group, d, level, approved, ratio)
            if procedure != "small" and procedure != "general":
                continue
            if (level != "township") if procedure == "small" else (level == "township"):
                findings.extend(_wrong_level(books, d))
            if not isinstance(approved, datetime.date):
                approved = None
            elif not d.settlement and (
                d.date < approved
                or (d.holds_out and not d.pays_out and not dates.surely_left_by(d, approved))
            ):
                findings.extend(_paid_before(books, d, dates))
            if procedure == "general" and (
                approved is None
                or not isinstance(notice, datetime.date)
                or policy.days("notice-days", d.county, approved) > (approved - notice).days
            ):
                findings.extend(_notice(books, d))
        return findings


def _wrong_level(books: Books, d: Disbursement) -> list[Finding]:
    level = cases.level_of(d)
    if not level:
        return []
    if d.procedure == "small" and level != "township":
        why = f"small relief must be approved by the township; it was approved by the {level}"
    elif d.procedure == "general" and level == "township":
        why = (
            "general relief must be approved by the county (or its conference); "
            "it was approved by the township"
        )
    else:
        return []
    text = f"{money(d.amount, d.currency)} {why}"
    return [finding(books, "WRONG-LEVEL", d, text)]


def _paid_before(books: Books, d: Disbursement, dates: PaidDates) -> list[Finding]:
    approved = approval_meta.date(d.meta, "approved")
    if d.settlement or d.procedure not in ("small", "general") or approved is None:
        return []
    paid = dates.left_on(d)
    if paid >= approved:
        return []
    how = "paid" if paid == d.date else f"sent to the bank on {paid.isoformat()} and paid"
    text = (
        f"{money(d.amount, d.currency)} {how} {(approved - paid).days} day(s) before its "
        f"approval of {approved.isoformat()}"
    )
    if paid != d.date:
        text += f" (booked {d.date.isoformat()})"
    return [finding(books, "PAID-BEFORE-APPROVAL", d, text)]


def _notice(books: Books, d: Disbursement) -> list[Finding]:
    if d.procedure != "general":
        return []
    notice = approval_meta.date(d.meta, "notice")
    if notice is None:
        shown = "lacks notice" if "notice" not in d.meta else "has a notice that is not a date"
        text = f"{money(d.amount, d.currency)} general relief {shown} (公示)"
        return [finding(books, "NOTICE-MISSING", d, text)]
    approved = approval_meta.date(d.meta, "approved")
    if approved is None:
        return []  # The gap is APPROVAL-MISSING's.
    setting = books.policy.setting("notice-days", d.county, approved)
    days = int(setting.value)
    if (approved - notice).days >= days:
        return []
    text = (
        f"{money(d.amount, d.currency)} approved on {approved.isoformat()}, "
        f"{(approved - notice).days} day(s) after the notice of {notice.isoformat()}, "
        f"fewer than the {days} notice days ({setting.origin})"
    )
    return [finding(books, "NOTICE-MISSING", d, text)]
