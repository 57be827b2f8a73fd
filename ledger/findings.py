"""Findings: the one typed result of every check (SPEC §5, §7).

A finding is data. It becomes a Beancount error (for `bean-check` and Fava, the message
starting with its code) or an object of the audit's JSON output. Checks never raise for bad
user data: they return findings.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from typing import Final
from typing import NamedTuple

#: Every finding code of SPEC §5, with its severity.
SEVERITY: Final[dict[str, str]] = {
    "APPROVAL-MISSING": "error",
    "WRONG-LEVEL": "error",
    "OVER-AUTHORITY": "error",
    "TIER-MISMATCH": "error",
    "PAID-BEFORE-APPROVAL": "error",
    "NOTICE-MISSING": "error",
    "PAID-OVER-APPROVED": "error",
    "SPLIT-PAYMENT": "error",
    "DUPLICATE-CASE": "error",
    "PAYEE-MISMATCH": "error",
    "ADVANCE-OVERDUE": "error",
    "ADVANCE-LATE": "warning",
    "ADVANCE-UNLINKED": "error",
    "ADVANCE-OVERSETTLED": "error",
    "ALLOCATION-RANGE": "error",
    "RESERVE-OVERDRAWN": "error",
    "RESERVE-MISUSE": "error",
    "SUSPENSE-OPEN": "error",
    "RESERVE-IDLE": "warning",
    "TRANSIT-OVERDUE": "error",
    "REISSUE-OVERDUE": "error",
    "RECIPIENT-REPEAT": "warning",
    "PII-EXPOSED": "error",
    "ACCOUNT-INVALID": "error",
    "SEAL-BROKEN": "error",
    "POLICY-INVALID": "error",
    "BANK-UNMATCHED": "error",
    "EXPORT-MISMATCH": "error",
    "BEANCOUNT": "error",
}

CODES: Final[tuple[str, ...]] = tuple(SEVERITY)
WARNINGS: Final[frozenset[str]] = frozenset(c for c, s in SEVERITY.items() if s == "warning")
#: Findings about a township-year, located at the township's reserve `open`: one per
#: (code, township, year), so several may share that entry (`unique`).
YEAR_LEVEL: Final[frozenset[str]] = frozenset({"ALLOCATION-RANGE", "RESERVE-IDLE"})


class ReserveError(NamedTuple):
    """A Beancount error raised by the project's plugins.

    It has the shape Beancount and Fava expect of every error: `source` is a meta dict with
    `filename` and `lineno`, `message` one sentence starting with the finding code.
    """

    source: dict[str, Any]
    message: str
    entry: Any


@dataclasses.dataclass(frozen=True)
class Finding:
    """One finding of one check about one entry (or one township-year, bank row, ...).

    Attributes:
      code: one of `CODES`.
      message: the full sentence, starting with the code.
      file: file of the entry the finding is about ("" when there is none).
      line: line of that entry (0 when there is none).
      date: ISO date of the entry or event, or "".
      county: county account component, or "".
      township: township account component, or "".
      township_name: the township's Chinese name (or the county's, for county-level ones).
      case: the case number, or "".
      amount: the amount in question, or None.
      currency: the amount's currency, or "".
      explained: True when a `custom "explained"` entry covers it.
      entry: the Beancount entry it is about, if any (not exported).
      key: the account (or "<reserve account> <year>") the finding is about, which an
        `explained` directive can name besides the case (a year-level finding's account
        alone also names it: `subjects`).

    """

    code: str
    message: str
    file: str = ""
    line: int = 0
    date: str = ""
    county: str = ""
    township: str = ""
    township_name: str = ""
    case: str = ""
    amount: Decimal | None = None
    currency: str = ""
    explained: bool = False
    entry: Any = dataclasses.field(default=None, compare=False, repr=False)
    key: str = ""

    @property
    def severity(self) -> str:
        """Return "error" or "warning"."""
        return SEVERITY.get(self.code, "error")

    @property
    def subjects(self) -> tuple[str, ...]:
        """Return every subject an `explained` directive may name: its case, its account.

        A year-level finding (`YEAR_LEVEL`, key "<reserve account> <year>") is about that
        account too: the plain account covers every year's finding of its code, the key
        that one year alone.
        """
        found = [self.case, self.key]
        if self.code in YEAR_LEVEL:
            account, _, year = self.key.rpartition(" ")
            if account and year.isdigit():
                found.append(account)
        return tuple(s for s in dict.fromkeys(found) if s)

    def with_explained(self, explained: bool = True) -> Finding:
        """Return a copy marked as explained (or not)."""
        return dataclasses.replace(self, explained=explained)

    def to_error(self) -> ReserveError:
        """Return the finding as a Beancount error located at its entry."""
        source = {"filename": self.file or "<reserve>", "lineno": self.line or 0}
        return ReserveError(source, self.message, self.entry)

    def to_json(self) -> dict[str, Any]:
        """Return the audit JSON object of SPEC §7."""
        return {
            "code": self.code,
            "severity": self.severity,
            "explained": self.explained,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "date": self.date,
            "county": self.county,
            "township": self.township,
            "township_name": self.township_name,
            "case": self.case,
            "amount": format_amount(self.amount),
            "currency": self.currency,
        }


JSON_FIELDS: Final[tuple[str, ...]] = (
    "code",
    "severity",
    "explained",
    "message",
    "file",
    "line",
    "date",
    "county",
    "township",
    "township_name",
    "case",
    "amount",
    "currency",
)


def format_amount(amount: Decimal | None) -> str:
    """Return an amount as a string with at least two decimals ("650.00"), or ""."""
    if amount is None:
        return ""
    quantized = amount.quantize(Decimal("0.01")) if amount.as_tuple().exponent >= -2 else amount  # type: ignore[operator]
    return f"{quantized:f}"


def location(meta: Mapping[str, Any] | None) -> tuple[str, int]:
    """Return (file, line) of an entry's meta, tolerating missing keys."""
    if not meta:
        return "", 0
    filename = meta.get("filename") or ""
    lineno = meta.get("lineno") or 0
    return str(filename), int(lineno) if isinstance(lineno, int) else 0


def shown_path(path: str, base: str | None = None) -> str:
    """Return how a finding's file is shown: relative to `base` (default: the working folder).

    As is when it lies outside `base`, on another drive, or is no file ("<string>").
    """
    if not path or path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path), base or os.getcwd())
    except ValueError:  # Another drive (Windows).
        return path
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return path
    return relative


def sort_key(finding: Finding) -> tuple[str, int, str, str]:
    """Return the audit's order: file, line, code, case."""
    return (finding.file, finding.line, finding.code, finding.case)


def to_errors(findings: Iterable[Finding], *, include_warnings: bool = False) -> list[ReserveError]:
    """Return Beancount errors for findings (warnings and explained ones left out)."""
    return [
        f.to_error()
        for f in findings
        if not f.explained and (include_warnings or f.severity == "error")
    ]


def explain(findings: Iterable[Finding], covered: Callable[[str, str], bool]) -> list[Finding]:
    """Return findings with those covered by `explained` marked explained (SPEC §3).

    A finding is covered when `covered(code, subject)` holds for its case or for its account
    (`Finding.subjects`): "that case (or account)".
    """
    return [
        f.with_explained() if any(covered(f.code, s) for s in f.subjects) else f
        for f in findings
    ]


def identity(finding: Finding) -> tuple[str, int, str] | None:
    """Return what makes a finding one (SPEC §5: one per (code, entry)), None if no entry.

    Year-level findings (`YEAR_LEVEL`) share the township's reserve `open`: they are one per
    (code, township, year), which their `key` "<reserve account> <year>" names.
    """
    if finding.entry is None:
        return None
    year = finding.key if finding.code in YEAR_LEVEL else ""
    return (finding.code, id(finding.entry), year)


def merge(first: Finding, other: Finding) -> Finding:
    """Return one finding stating both facts: `first`'s fields, both messages.

    The message goes on with "; " and the other's message without its code (and without
    its "<where>:" when that is the same, e.g. the same seal). It is explained only when
    both are: one explained fact does not hide the other.
    """
    code = f"{other.code} "
    rest = other.message[len(code):] if other.message.startswith(code) else other.message
    where, sep, text = rest.partition(": ")
    own = first.message[len(code):] if first.message.startswith(code) else first.message
    if sep and own.partition(": ")[0] == where:
        rest = text
    message = first.message if rest in first.message else f"{first.message}; {rest}"
    return dataclasses.replace(
        first, message=message, explained=first.explained and other.explained
    )


def unique(findings: Iterable[Finding]) -> list[Finding]:
    """Return findings with one per (code, entry) (`identity`), in their order (SPEC §5).

    Findings of one identity are merged into the first (`merge`): its fields, every message.
    Findings without an entry are all kept.
    """
    kept: list[Finding] = []
    at: dict[tuple[str, int, str], int] = {}
    for f in findings:
        key = identity(f)
        if key is None:
            kept.append(f)
        elif key in at:
            kept[at[key]] = merge(kept[at[key]], f)
        else:
            at[key] = len(kept)
            kept.append(f)
    return kept
