"""APPROVAL-MISSING: the metadata SPEC §3 requires of a disbursement, and its value sets.

Every disbursement needs `case` and `recipient` (in hash form); an expense (a positive posting
to `Expenses:Relief`, settlements included) needs `approval` (township, county or conference),
`approver` and `approved` (a date); `ratio` (a number) for general relief and for emergency
settlements approved by the county; `decision` when approved by the conference. A settlement's
`^adv-` link must name its own case. Keys with a set of values (`approval`, `bank-status`,
`category`) must hold one of them where present, and `instalment` must read "k/n". An imported
row (one carrying `source-sha256`) needs `batch`, `bank-row`, `card` and `bank-status`, and a
payee wherever the bank wrote a `holder`. `notice` is NOTICE-MISSING's, not this module's.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any
from typing import Final
from typing import cast

from ledger import recipients
from ledger.checks import cases
from ledger.checks import vouch
from ledger.disbursement import Disbursement

_INSTALMENT_RE: Final[re.Pattern[str]] = re.compile(r"([1-9][0-9]*)/([1-9][0-9]*)")
_LONG_DIGITS: Final[re.Pattern[str]] = re.compile(r"[0-9]{12,}")


def text(meta: dict[str, Any], key: str) -> str | None:
    """Return a non-empty string value, else None."""
    value = meta.get(key)
    return value if isinstance(value, str) and value.strip() else None


def date(meta: dict[str, Any], key: str) -> datetime.date | None:
    """Return a date value, else None."""
    value = meta.get(key)
    return value if isinstance(value, datetime.date) else None


def number(meta: dict[str, Any], key: str) -> Decimal | None:
    """Return a number value (not a boolean), else None."""
    value = meta.get(key)
    return value if isinstance(value, Decimal) else None


def instalment(meta: dict[str, Any]) -> tuple[int, int] | None:
    """Return (k, n) of a well-formed `instalment` "k/n" (1 ≤ k ≤ n), else None."""
    value = meta.get("instalment")
    match = _INSTALMENT_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    k, n = int(match[1]), int(match[2])
    return (k, n) if k <= n else None


def needs_ratio(d: Disbursement) -> bool:
    """Return True for general relief and emergency settlements approved by the county."""
    if d.procedure == "general":
        return True
    return d.settlement and d.procedure == "emergency" and cases.level_of(d) == "county"


def kind(d: Disbursement) -> str:
    """Return how messages name a disbursement: "small relief", "advance", ..."""
    if d.is_advance:
        return "advance"
    if d.settlement:
        return f"{d.procedure} settlement"
    return f"{d.procedure} relief"


def _shown(value: Any) -> str:
    # A text quoted; a number, date or amount as it is written in the books; a long run of
    # digits (an ID or card number written as a number) masked, never echoed.
    shown = repr(value) if isinstance(value, str) else str(value)
    shown = _LONG_DIGITS.sub(lambda run: recipients.mask(run[0]), shown)
    return shown if len(shown) <= 24 else shown[:21] + "..."


def problems(d: Disbursement) -> list[str]:
    """Return what a disbursement lacks ("lacks ...") and its values outside their sets."""
    meta = d.meta
    missing: list[str] = []
    wrong: list[str] = []
    case = meta.get("case")
    if case is not None and not isinstance(case, str):
        wrong.append(f"case {_shown(case)} is not a text")
    elif text(meta, "case") is None:
        missing.append("case")
    recipient = meta.get("recipient")
    if recipient is None:
        missing.append("recipient")
    elif not isinstance(recipient, str) or not recipients.RECIPIENT_RE.fullmatch(recipient):
        # Never echo it: a recipient not in hash form may be a full ID number.
        wrong.append("recipient is not a hash r-<16 hex digits>")
    if not d.is_advance:
        _expense(d, missing, wrong)
    _sets(meta, wrong)
    if "source-sha256" in meta:
        _imported(d, missing, wrong)
    parts = [f"lacks {', '.join(missing)}"] if missing else []
    return parts + wrong


def _expense(d: Disbursement, missing: list[str], wrong: list[str]) -> None:
    meta = d.meta
    level = meta.get("approval")
    if level is None:
        missing.append("approval")
    elif not vouch.one_of(level, cases.LEVELS):
        wrong.append(f"approval {_shown(level)} is not township, county or conference")
    if "approver" not in meta:
        missing.append("approver")
    elif text(meta, "approver") is None:
        wrong.append("approver is not a text")
    if "approved" not in meta:
        missing.append("approved")
    elif date(meta, "approved") is None:
        wrong.append(f"approved {_shown(meta['approved'])} is not a date")
    if needs_ratio(d):
        if "ratio" not in meta:
            missing.append("ratio")
        elif number(meta, "ratio") is None:
            wrong.append(f"ratio {_shown(meta['ratio'])} is not a number")
    if isinstance(level, str) and level == "conference":
        if "decision" not in meta:
            missing.append("decision")
        elif text(meta, "decision") is None:
            wrong.append("decision is not a text")
    case = text(meta, "case")
    if d.settlement and case is not None:
        for link in sorted(cast(Any, d.entry).links or ()):  # Untyped: `strings` in pii.
            if link.startswith("adv-") and not cases.names_case(link, case):
                wrong.append(f"its link ^{link} names another case than {case}")


def _sets(meta: dict[str, Any], wrong: list[str]) -> None:
    status = meta.get("bank-status")
    if status is not None and not vouch.one_of(status, vouch.BANK_STATUSES):
        wrong.append(f"bank-status {_shown(status)} is not paid, failed, pending or returned")
    category = meta.get("category")
    if category is not None and not vouch.one_of(category, vouch.CATEGORIES):
        wrong.append(f"category {_shown(category)} is not one of {', '.join(vouch.CATEGORIES)}")
    if "instalment" in meta and instalment(meta) is None:
        wrong.append(f"instalment {_shown(meta['instalment'])} is not k/n with 1 ≤ k ≤ n")
    for key in ("holder", "agent"):
        if key in meta and not isinstance(meta[key], str):
            wrong.append(f"{key} is not a text")


def _imported(d: Disbursement, missing: list[str], wrong: list[str]) -> None:
    meta = d.meta
    if "batch" not in meta:
        missing.append("batch")
    elif text(meta, "batch") is None:
        wrong.append("batch is not a text")
    row = meta.get("bank-row")
    if row is None:
        missing.append("bank-row")
    elif isinstance(row, bool) or not isinstance(row, Decimal | int):
        wrong.append(f"bank-row {_shown(row)} is not a number")
    card = meta.get("card")
    if card is None:
        missing.append("card")
    elif not isinstance(card, str) or not recipients.CARD_RE.fullmatch(card):
        wrong.append("card is not a hash c-<16 hex digits>")
    if "bank-status" not in meta:
        missing.append("bank-status")
    if "holder" in meta and not (d.entry.payee or "").strip():
        missing.append("a payee to compare with holder")
