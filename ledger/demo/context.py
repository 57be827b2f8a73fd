"""State shared by the generator's planners: the city, the people, the blocks of each file.

`Context` holds everything the planners of townships (`township.py`), counties
(`county.py`) and faults (`faults.py`) add to, and the helpers they share: file names, case
numbers, the metadata of a disbursement and the approval record of a case.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import random
import re
from collections import defaultdict
from decimal import Decimal

from ledger import accounts
from ledger.demo import names
from ledger.demo import people
from ledger.demo import text
from ledger.demo.profile import Profile

# The seed policy of SPEC §4, which the demo books follow.
TOWNSHIP_CEILING = Decimal("500.00")
OVERRIDE_CEILING = Decimal(
    "1000.00"
)  # emergency relief approved by townships of one county
COUNTY_CEILING = Decimal("8000.00")
#: (ratio from, ratio to, amount min, amount max) of the seed tiers.
TIERS: tuple[tuple[Decimal, Decimal, Decimal, Decimal], ...] = (
    (Decimal(1), Decimal(2), Decimal("0.00"), Decimal("3000.00")),
    (Decimal(2), Decimal(3), Decimal("3000.00"), Decimal("5000.00")),
    (Decimal(3), Decimal(4), Decimal("5000.00"), Decimal("8000.00")),
)
ALLOCATION_MIN = Decimal("30000.00")
ALLOCATION_MAX = Decimal("50000.00")
CARRY_SHARE = Decimal("0.2")  # share of the allocation a township keeps over the year end
CATEGORIES = ("illness", "illness", "disaster", "accident", "education", "other")
_LONG_DIGITS = re.compile(r"\d{15,}")


@dataclasses.dataclass
class Case:
    """A relief case: who, how much, which procedure, who approved and when."""

    county: names.County
    township: names.Township
    number: str
    procedure: str
    approval: str
    amount: Decimal
    person: people.Person | None = None
    category: str = "other"
    applied: datetime.date | None = None
    approved: datetime.date | None = None
    ratio: Decimal | None = None
    notice: datetime.date | None = None
    decision: str = ""

    @property
    def approver(self) -> str:
        """Return the body that approved the case."""
        if self.approval == "township":
            return names.township_approver(self.township)
        if self.approval == "conference":
            return self.county.name + "临时救助联席会议"
        return self.county.bureau


@dataclasses.dataclass
class Context:
    """Everything the planners share."""

    profile: Profile
    rng: random.Random
    city: list[names.County]
    people: people.People
    blocks: dict[str, list[text.Block]] = dataclasses.field(
        default_factory=lambda: defaultdict(list)
    )
    #: Findings the planted faults must raise (see `fault_kit.expect`).
    manifest: list[dict[str, object]] = dataclasses.field(default_factory=list)
    case_seq: dict[tuple[str, str, int], int] = dataclasses.field(
        default_factory=lambda: defaultdict(int)
    )
    #: Reserve outflows of planted faults per (county, township, year).
    fault_outflow: dict[tuple[str, str, int], Decimal] = dataclasses.field(
        default_factory=lambda: defaultdict(Decimal)
    )
    allocation_override: dict[tuple[str, str, int], Decimal] = dataclasses.field(
        default_factory=dict
    )
    idle: set[tuple[str, str, int]] = dataclasses.field(default_factory=set)
    #: Days a township's cash box is left to a planted fault.
    cash_blocked: set[tuple[str, str, datetime.date]] = dataclasses.field(
        default_factory=set
    )
    #: Cash accounts allowed below zero (planted RESERVE-OVERDRAWN).
    overdraft_ok: set[str] = dataclasses.field(default_factory=set)
    #: Reserve balance each township carries into the next year.
    carry: dict[tuple[str, str], Decimal] = dataclasses.field(default_factory=dict)
    #: First advance case of each township-year (recovered in the first two townships).
    first_advance: dict[tuple[str, str, int], str] = dataclasses.field(default_factory=dict)
    extra_opens: list[text.Block] = dataclasses.field(default_factory=list)

    @property
    def override_county(self) -> names.County:
        """Return the county whose townships approve emergency relief up to 1,000."""
        return self.city[1] if len(self.city) > 1 else self.city[0]

    def add(self, block: text.Block) -> text.Block:
        """Add a block to its file and return it."""
        self.blocks[block.file].append(block)
        return block

    def next_case(self, township: names.Township, year: int, county: names.County) -> str:
        """Return the next case number of a township-year, e.g. "YZ-LX-2024-0007"."""
        key = (township.county, township.township, year)
        self.case_seq[key] += 1
        return f"{county.abbr}-{township.abbr}-{year}-{self.case_seq[key]:04d}"

    def sha(self, label: str) -> str:
        """Return a made-up SHA-256 for a bank file, free of long digit runs."""
        salt = 0
        while True:
            digest = hashlib.sha256(
                f"{self.profile.seed}|{label}|{salt}".encode()
            ).hexdigest()
            if not _LONG_DIGITS.search(digest):
                return digest
            salt += 1

    def township_ceiling(self, county: names.County, procedure: str) -> Decimal:
        """Return the township level's ceiling for a procedure in a county."""
        if procedure == "emergency" and county.county == self.override_county.county:
            return OVERRIDE_CEILING
        return TOWNSHIP_CEILING

    def day(
        self, year: int, first: tuple[int, int], last: tuple[int, int]
    ) -> datetime.date:
        """Return a random date of `year` between two (month, day) pairs inclusive."""
        start = datetime.date(year, *first)
        span = (datetime.date(year, *last) - start).days
        return start + datetime.timedelta(days=self.rng.randrange(span + 1))


def tx_file(county: names.County, year: int) -> str:
    """Return the transactions file of a county-year."""
    return f"{county.county.lower()}/{year}-transactions.beancount"


def approvals_file(county: names.County, year: int) -> str:
    """Return the approvals file of a county-year."""
    return f"{county.county.lower()}/{year}-approvals.beancount"


def account(role: str, township: names.Township, procedure: str = "") -> str:
    """Return a township's project account of a role."""
    return accounts.account_for(role, township.county, township.township, procedure)


def days(n: int) -> datetime.timedelta:
    """Return a timedelta of n days."""
    return datetime.timedelta(days=n)


def disbursement_meta(
    case: Case, *, expense: bool = True
) -> list[tuple[str, text.MetaValue]]:
    """Return the metadata SPEC §3 asks of a disbursement of this case."""
    assert case.person is not None
    meta: list[tuple[str, text.MetaValue]] = [
        ("case", case.number),
        ("recipient", case.person.recipient),
    ]
    if expense:
        assert case.approved is not None
        meta += [("approval", case.approval), ("approver", case.approver)]
        meta.append(("approved", case.approved))
        if case.ratio is not None:
            meta.append(("ratio", case.ratio))
        if case.notice is not None:
            meta.append(("notice", case.notice))
        if case.decision:
            meta.append(("decision", case.decision))
    meta.append(("category", case.category))
    if case.applied is not None:
        meta.append(("applied", case.applied))
    meta.append(("id-masked", case.person.id_masked))
    return meta


def approval_record(ctx: Context, case: Case, year: int, mark: str = "") -> text.Block:
    """Add and return the `custom "approval"` record of a case (dated its approval)."""
    assert case.person is not None and case.approved is not None
    meta: list[tuple[str, text.MetaValue]] = [
        ("township", case.township.township),
        ("procedure", case.procedure),
        ("approval", case.approval),
        ("approver", case.approver),
        ("recipient", case.person.recipient),
        ("name", case.person.name),
    ]
    if case.applied is not None:
        meta.append(("applied", case.applied))
    for key, value in (("ratio", case.ratio), ("notice", case.notice)):
        if value is not None:
            meta.append((key, value))
    if case.decision:
        meta.append(("decision", case.decision))
    meta += [("category", case.category), ("id-masked", case.person.id_masked)]
    values = f"{text.quote(case.number)} {case.amount} {text.CURRENCY}"
    block = text.custom(
        case.approved,
        approvals_file(case.county, year),
        "approval",
        values,
        meta,
        mark=mark,
    )
    return ctx.add(block)
