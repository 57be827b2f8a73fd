"""What an import did: counts and amounts per outcome, and the failures to re-issue."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

#: Outcomes in the order they are reported.
KINDS: tuple[str, ...] = (
    "approvals",
    "in_transit",
    "paid",
    "advances",
    "suspense",
    "pending",
    "failed",
    "returned",
    "skipped",
)

LABELS: dict[str, str] = {
    "approvals": "approval records",
    "in_transit": "sent to the bank (in transit)",
    "paid": "paid as relief",
    "advances": "paid as emergency advances",
    "suspense": "paid without approval (suspense)",
    "pending": "pending at the bank",
    "failed": "failed (to re-issue)",
    "returned": "returned (退票)",
    "skipped": "skipped, already booked",
}


@dataclasses.dataclass
class Tally:
    """A count and an amount."""

    count: int = 0
    amount: Decimal = Decimal("0.00")

    def add(self, amount: Decimal) -> None:
        """Count one more row of an amount."""
        self.count += 1
        self.amount += amount


@dataclasses.dataclass(frozen=True)
class Failure:
    """A failed or returned row, with the bank's reason, for re-issue."""

    file: str
    row: int
    status: str
    case: str
    name: str
    card_masked: str
    amount: Decimal
    reason: str

    def to_json(self) -> dict[str, Any]:
        """Return the failure as JSON-ready values."""
        fields = dataclasses.asdict(self)
        fields["amount"] = f"{self.amount:.2f}"
        return fields


@dataclasses.dataclass
class Outcome:
    """Tallies of one import, and its failures."""

    tallies: dict[str, Tally] = dataclasses.field(
        default_factory=lambda: {kind: Tally() for kind in KINDS}
    )
    failures: list[Failure] = dataclasses.field(default_factory=list)
    files: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def add(self, kind: str, amount: Decimal) -> None:
        """Count a row under an outcome."""
        self.tallies[kind].add(amount)

    def to_json(self) -> dict[str, Any]:
        """Return the tallies and failures as JSON-ready values."""
        return {
            "files": self.files,
            **{
                kind: {"count": tally.count, "amount": f"{tally.amount:.2f}"}
                for kind, tally in self.tallies.items()
            },
            "failures": [failure.to_json() for failure in self.failures],
        }

    def text(self) -> list[str]:
        """Return one line per outcome with rows, and the failures."""
        lines = []
        for kind in KINDS:
            tally = self.tallies[kind]
            if tally.count:
                lines.append(
                    f"  {LABELS[kind]:<34} {tally.count:>7,}  {tally.amount:>14,.2f} CNY"
                )
        if not lines:
            lines.append("  nothing to book")
        if self.failures:
            lines.append("Failed and returned payments (re-issue):")
            for f in self.failures:
                case = f.case or "(no approval)"
                lines.append(
                    f"  {f.file}, row {f.row}: {case} {f.name} {f.card_masked} "
                    f"{f.amount:.2f} CNY {f.status}: {f.reason or 'no reason given'}"
                )
        return lines
