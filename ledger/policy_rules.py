"""Policy directives (SPEC §4): the seed, and the parsing of the books' own directives.

A policy directive is a `custom` entry of one of the kinds in `KINDS`. Parsing turns each into
a `Rule` or, when its shape is wrong, a `POLICY-INVALID` finding located at the directive and
showing the values it was parsed into.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from typing import Final
from typing import TypeGuard

from beancount.core import amount as bc_amount
from beancount.core import data

from ledger import accounts
from ledger.findings import Finding
from ledger.findings import location

# Kind -> the value types it takes ("level", "amount", "number", "int").
KINDS: Final[dict[str, tuple[str, ...]]] = {
    "relief-authority": ("level", "amount"),
    "relief-tier": ("number", "number", "amount", "amount"),
    "reserve-allocation": ("amount", "amount"),
    "advance-deadline": ("int",),
    "split-window": ("int",),
    "notice-days": ("int",),
    "transit-deadline": ("int",),
    "reserve-idle": ("number",),
}
LEVELS: Final[tuple[str, ...]] = ("township", "county")
SEED_DATE: Final = datetime.date(1900, 1, 1)
SEED_WRITTEN: Final = "2015-06-01"
#: The file name of the seed's directives (their meta), which tells them from a directive
#: the books date 1900-01-01 themselves.
SEED_FILE: Final = "<seed policy>"
_INTERNAL_META: Final = frozenset({"filename", "lineno"})

SEED_TEXT: Final = """\
2015-06-01 custom "relief-authority" "township" 500.00 CNY
2015-06-01 custom "relief-authority" "county" 8000.00 CNY
2015-06-01 custom "relief-tier" 1 2 0.00 CNY 3000.00 CNY
2015-06-01 custom "relief-tier" 2 3 3000.00 CNY 5000.00 CNY
2015-06-01 custom "relief-tier" 3 4 5000.00 CNY 8000.00 CNY
2015-06-01 custom "reserve-allocation" 30000.00 CNY 50000.00 CNY
2015-06-01 custom "advance-deadline" 30
2015-06-01 custom "split-window" 30
2015-06-01 custom "notice-days" 7
2015-06-01 custom "transit-deadline" 15
2015-06-01 custom "reserve-idle" 0.5
"""


@dataclasses.dataclass(frozen=True)
class Rule:
    """One valid policy directive.

    Attributes:
      kind: the directive's kind, e.g. "relief-authority".
      date: its date (1900-01-01 for the seed).
      values: its values: Decimal for numbers and amounts' numbers, str for levels.
      currency: the currency of its amounts, or "".
      county: scope county, or "".
      procedure: scope procedure, or "".
      meta: the directive's meta (file and line).

    """

    kind: str
    date: datetime.date
    values: tuple[Any, ...]
    currency: str
    county: str
    procedure: str
    meta: dict[str, Any] = dataclasses.field(compare=False, repr=False)

    @property
    def seed(self) -> bool:
        """Return True for a seed directive (not for one the books date 1900-01-01)."""
        return self.meta.get("filename") == SEED_FILE

    @property
    def origin(self) -> str:
        """Return how messages cite it: "policy of 2017-01-01".

        The seed is cited by the date SPEC §4 writes it with (2015-06-01), though it is in
        force from 1900-01-01; a directive of the books dated 1900-01-01 by its own date.
        """
        return f"policy of {SEED_WRITTEN if self.seed else self.date.isoformat()}"


def _seed_rules() -> list[Rule]:
    rules = []
    for line in SEED_TEXT.splitlines():
        _, _, kind_and_values = line.partition(' custom "')
        kind, _, rest = kind_and_values.partition('" ')
        tokens = rest.split()
        values: list[Any] = []
        currency = ""
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.startswith('"'):
                values.append(token.strip('"'))
            elif i + 1 < len(tokens) and tokens[i + 1] == "CNY":
                values.append(Decimal(token))
                currency = "CNY"
                i += 1
            else:
                values.append(Decimal(token))
            i += 1
        meta = data.new_metadata(SEED_FILE, 0)
        rules.append(Rule(kind, SEED_DATE, tuple(values), currency, "", "", meta))
    return rules


SEED_RULES: Final[tuple[Rule, ...]] = tuple(_seed_rules())


def _shown(values: Iterable[Any]) -> str:
    return " ".join(repr(getattr(v, "value", v)) for v in values)


def _invalid(entry: data.Custom, why: str) -> Finding:
    file, line = location(entry.meta)
    values = _shown(entry.values)
    scope = {k: v for k, v in (entry.meta or {}).items() if k not in _INTERNAL_META}
    scope_text = f" scope {scope}" if scope else ""
    return Finding(
        code="POLICY-INVALID",
        message=f'POLICY-INVALID custom "{entry.type}" {values}{scope_text}: {why}',
        file=file,
        line=line,
        date=entry.date.isoformat(),
        county=str(scope.get("county", "")),
        entry=entry,
        key=entry.type,
    )


def parse(entry: data.Custom, counties: frozenset[str]) -> Rule | Finding:
    """Return the rule a policy directive states, or the POLICY-INVALID finding it raises."""
    shape = KINDS[entry.type]
    raw = [v.value for v in entry.values]
    if len(raw) != len(shape):
        return _invalid(entry, f"takes {len(shape)} values ({', '.join(shape)}), got {len(raw)}")
    values: list[Any] = []
    currencies = set()
    for position, (kind, value) in enumerate(zip(shape, raw, strict=True), start=1):
        if kind == "level":
            if not isinstance(value, str) or value not in LEVELS:
                return _invalid(
                    entry, f"value {position} must be the level township or county, got {value!r}"
                )
            values.append(value)
        elif kind == "amount":
            if not isinstance(value, bc_amount.Amount) or value.number is None:
                return _invalid(entry, f"value {position} must be an amount, got {value!r}")
            if value.number < 0:
                return _invalid(entry, f"value {position} must not be negative")
            currencies.add(value.currency)
            values.append(value.number)
        else:
            if isinstance(value, bool) or not isinstance(value, Decimal):
                return _invalid(entry, f"value {position} must be a number, got {value!r}")
            if value < 0:
                return _invalid(entry, f"value {position} must not be negative")
            if kind == "int" and value != value.to_integral_value():
                return _invalid(entry, f"value {position} must be a whole number of days")
            values.append(value)
    if len(currencies) > 1:
        return _invalid(entry, f"amounts in different currencies {sorted(currencies)}")
    meta = entry.meta or {}
    county = ""
    procedure = ""
    for key, value in meta.items():
        if key in _INTERNAL_META or key.startswith("__"):
            continue
        if key == "county":
            if not isinstance(value, str) or value not in counties:
                return _invalid(entry, f"county {value!r} is not a county of the books")
            county = value
        elif key == "procedure" and entry.type == "relief-authority":
            if not isinstance(value, str) or value not in accounts.PROCEDURES:
                return _invalid(entry, f"procedure {value!r} is not small, general or emergency")
            procedure = value
        else:
            return _invalid(entry, f"unknown scope key {key!r}")
    if entry.type == "relief-tier" and values[0] >= values[1]:
        return _invalid(entry, "ratio-from must be below ratio-to")
    if entry.type in ("relief-tier", "reserve-allocation"):
        low, high = values[-2], values[-1]
        if low > high:
            return _invalid(entry, f"minimum {low} is above maximum {high}")
    if entry.type == "reserve-idle" and values[0] > 1:
        return _invalid(entry, "the idle share is a fraction between 0 and 1")
    currency = currencies.pop() if currencies else ""
    return Rule(entry.type, entry.date, tuple(values), currency, county, procedure, meta)


def is_policy(entry: data.Directive) -> TypeGuard[data.Custom]:
    """Return True for a policy directive (and for `custom "conference"`, itself invalid)."""
    return isinstance(entry, data.Custom) and entry.type in KINDS


def conflicts(rules: list[Rule]) -> list[tuple[Rule, Rule]]:
    """Return pairs of rules of one kind, level, scope and date that disagree (tiers aside)."""
    seen: dict[tuple[Any, ...], Rule] = {}
    pairs = []
    for rule in rules:
        if rule.kind == "relief-tier":
            continue
        level = rule.values[0] if rule.kind == "relief-authority" else ""
        key = (rule.kind, level, rule.county, rule.procedure, rule.date)
        first = seen.setdefault(key, rule)
        if first is not rule and (first.values, first.currency) != (rule.values, rule.currency):
            pairs.append((first, rule))
    return pairs


def overlaps(tier_set: list[Rule]) -> list[tuple[Rule, Rule]]:
    """Return pairs of tiers of one set whose ratio ranges overlap: one per tier overlapped.

    In order of ratio-from, each tier is compared with the tier reaching furthest among
    those before it, not only with its neighbour: 4-5 lies inside 1-10 even after 2-3.
    Each pair is (that earlier tier, the tier that overlaps it).
    """
    ordered = sorted(tier_set, key=lambda r: (r.values[0], r.values[1]))
    pairs = []
    furthest: Rule | None = None
    for rule in ordered:
        if furthest is not None and rule.values[0] < furthest.values[1]:
            pairs.append((furthest, rule))
        if furthest is None or rule.values[1] > furthest.values[1]:
            furthest = rule
    return pairs
