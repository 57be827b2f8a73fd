"""Policy in force (SPEC §4): scope-then-recency resolution over the seed and the books.

For a date D the most specific scope that has a directive of the kind dated on or before D
wins (county+procedure, county, procedure, global), and within it the latest such directive.
A tier set is every `relief-tier` of the latest date in the winning scope, replaced whole by a
newer set. Directives dated after the audit date are not used.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from typing import Final

from beancount.core import data

from ledger import policy_rules
from ledger.findings import Finding
from ledger.findings import location
from ledger.policy_rules import Rule
from ledger.tiers import Tier
from ledger.tiers import TierSet


@dataclasses.dataclass(frozen=True)
class Setting:
    """A resolved setting: its value(s) and the directive it comes from."""

    values: tuple[Any, ...]
    currency: str
    rule: Rule

    @property
    def value(self) -> Any:
        """Return the setting's last value (the ceiling, the number of days, the share)."""
        return self.values[-1]

    @property
    def origin(self) -> str:
        """Return how messages cite it: "policy of 2015-06-01"."""
        return self.rule.origin


_Key = tuple[str, str, str, str]  # kind, level, county, procedure
#: The kinds whose value is a number of days (`Policy.days`).
DAYS_KINDS: Final[tuple[str, ...]] = tuple(
    kind for kind, shape in policy_rules.KINDS.items() if shape == ("int",)
)


class Policy:
    """The seed plus the books' valid policy directives dated on or before the audit date."""

    def __init__(
        self, rules: Iterable[Rule], findings: list[Finding], counties: Iterable[str] = ()
    ) -> None:
        """Index the rules by kind and scope; keep the POLICY-INVALID findings."""
        self.findings = findings
        self._rules: dict[_Key, list[Rule]] = defaultdict(list)
        self._tiers: dict[str, dict[datetime.date, list[Rule]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for rule in rules:
            if rule.kind == "relief-tier":
                self._tiers[rule.county][rule.date].append(rule)
                continue
            level = rule.values[0] if rule.kind == "relief-authority" else ""
            self._rules[(rule.kind, level, rule.county, rule.procedure)].append(rule)
        for bucket in self._rules.values():
            bucket.sort(key=lambda r: r.date)
        self._dates = {key: [r.date for r in bucket] for key, bucket in self._rules.items()}
        self._tier_dates = {c: sorted(sets) for c, sets in self._tiers.items()}
        self._cache: dict[tuple[Any, ...], Any] = {}
        self._days: dict[tuple[str, str, datetime.date], int] = {}
        #: The lowest ceiling of each level in any scope and at any date: a case at or under
        #: it is within every ceiling that can be in force, so it needs no lookup.
        self.lowest_ceiling: dict[str, Decimal] = {}
        for (kind, level, _, _), bucket in self._rules.items():
            if kind == "relief-authority":
                lowest = min(r.values[-1] for r in bucket)
                self.lowest_ceiling[level] = min(lowest, self.lowest_ceiling.get(level, lowest))
        #: Per kind of days setting, per county: (since, days). From `since` on no directive
        #: of that kind for that county (its own or a global one) is newer, so every date on
        #: or after it has the same answer: `days` compares a date instead of resolving.
        self.settled_days: dict[str, dict[str, tuple[datetime.date, int]]] = {}
        #: Per county: (since, the tier set in force from `since` on), the same for the tiers.
        self.settled_tiers: dict[str, tuple[datetime.date, TierSet]] = {}
        for county in counties:
            for kind in DAYS_KINDS:
                dates = self._dates.get((kind, "", county, ""), []) + self._dates.get(
                    (kind, "", "", ""), []
                )
                if dates:
                    since = max(dates)
                    self.settled_days.setdefault(kind, {})[county] = (
                        since, self.days(kind, county, since)
                    )
            tier_dates = self._tier_dates.get(county, []) + self._tier_dates.get("", [])
            if tier_dates:  # The seed always has a set (a bare Policy in a test may not).
                since = max(tier_dates)
                self.settled_tiers[county] = (since, self.tiers(county, since))

    def _latest(self, key: _Key, on: datetime.date) -> Rule | None:
        dates = self._dates.get(key)
        if not dates:
            return None
        i = bisect.bisect_right(dates, on)
        return self._rules[key][i - 1] if i else None

    def _resolve(
        self, kind: str, level: str, county: str, procedure: str, on: datetime.date
    ) -> Setting | None:
        cache_key = (kind, level, county, procedure, on)
        if cache_key in self._cache:
            return self._cache[cache_key]  # type: ignore[no-any-return]
        scopes = [(county, procedure), (county, ""), ("", procedure), ("", "")]
        found = None
        for scope_county, scope_procedure in scopes:
            if (scope_county and not county) or (scope_procedure and not procedure):
                continue
            rule = self._latest((kind, level, scope_county, scope_procedure), on)
            if rule is not None:
                values = rule.values[1:] if kind == "relief-authority" else rule.values
                found = Setting(values, rule.currency, rule)
                break
        self._cache[cache_key] = found
        return found

    def authority(
        self, level: str, county: str, procedure: str, on: datetime.date
    ) -> Setting | None:
        """Return the ceiling of an approval level (township/county); None for conference."""
        if level not in policy_rules.LEVELS:
            return None
        return self._resolve("relief-authority", level, county, procedure, on)

    def setting(self, kind: str, county: str, on: datetime.date) -> Setting:
        """Return a county-scoped setting (deadlines, windows, allocation range, idle share).

        The seed always provides one, so this never fails for a seed kind. A days setting
        asked of a date on or after its last change for the county (`settled_days`) is
        resolved for that date: every later date shares its answer.
        """
        settled = self.settled_days.get(kind)
        since = settled.get(county) if settled is not None else None
        if since is not None and on >= since[0]:
            on = since[0]
        found = self._resolve(kind, "", county, "", on)
        if found is None:  # Only when asked for a kind the seed does not have.
            raise LookupError(kind)
        return found

    def days(self, kind: str, county: str, on: datetime.date) -> int:
        """Return a number of days (advance-deadline, split-window, notice-days, ...).

        Asked per payment by the window and notice rules: a date on or after the setting's
        last change for the county (`settled_days`) has its answer at once; any other
        (kind, county, date) is resolved once and kept.
        """
        settled = self.settled_days.get(kind)
        found = settled.get(county) if settled is not None else None
        if found is not None and on >= found[0]:
            return found[1]
        key = (kind, county, on)
        days = self._days.get(key)
        if days is None:
            days = self._days[key] = int(self.setting(kind, county, on).value)
        return days

    def tiers(self, county: str, on: datetime.date) -> TierSet:
        """Return the tier set in force: the latest set ≤ on, county scope before global.

        A date on or after the last change of the county's tiers (`settled_tiers`) has its
        answer at once; any other (county, date) is resolved once and kept.
        """
        settled = self.settled_tiers.get(county)
        if settled is not None and on >= settled[0]:
            return settled[1]
        cache_key = ("tiers", county, on)
        found = self._cache.get(cache_key)
        if found is None:
            for scope in ([county] if county else []) + [""]:
                dates = self._tier_dates.get(scope, [])
                i = bisect.bisect_right(dates, on)
                if i:
                    found = self._tier_set(scope, dates[i - 1])
                    break
            assert found is not None  # The seed always has a tier set.
            self._cache[cache_key] = found
        return found

    def _tier_set(self, scope: str, day: datetime.date) -> TierSet:
        """Return the set of one scope and date, made once (many dates share it)."""
        cache_key = ("tier-set", scope, day)
        found = self._cache.get(cache_key)
        if found is None:
            rules = self._tiers[scope][day]
            tiers = tuple(sorted((Tier(*r.values) for r in rules), key=lambda t: t.ratio_from))
            # A set the books add to on the seed's own date cites both (`Rule.origin`).
            origin = " and ".join(dict.fromkeys(r.origin for r in rules))
            found = TierSet(tiers, rules[0].date, rules[0].currency, origin)
            self._cache[cache_key] = found
        return found


def _pair_finding(rule: Rule, what: str) -> Finding:
    """Return POLICY-INVALID at the second of two directives that cannot stand together."""
    file, line = location(rule.meta)
    return Finding(
        code="POLICY-INVALID",
        message=f"POLICY-INVALID {what}",
        file=file,
        line=line,
        date=rule.date.isoformat(),
        county=rule.county,
        key=rule.kind,
    )


def build(
    entries: Iterable[data.Directive], counties: Iterable[str], as_of: datetime.date
) -> Policy:
    """Return the policy of the books as of the audit date, with its POLICY-INVALID findings."""
    county_set = frozenset(counties)
    findings: list[Finding] = []
    own: list[Rule] = []
    seed = list(policy_rules.SEED_RULES)
    custom, kinds = data.Custom, policy_rules.KINDS
    # A comprehension on the class first: most entries are transactions, looked at no further.
    for entry in [e for e in entries if e.__class__ is custom and e.type in kinds]:
        if entry.date > as_of:
            continue
        parsed = policy_rules.parse(entry, county_set)
        if isinstance(parsed, Finding):
            findings.append(parsed)
        else:
            own.append(parsed)
    # The seed is in force as if written on 1900-01-01 before the books' first line: a
    # directive of the books of that date is judged with it, and is the second of a pair.
    for first, second in policy_rules.conflicts(seed + own):
        first_file, first_line = location(first.meta)
        where = "the seed policy" if first.seed else f"{first_file}:{first_line}"
        findings.append(
            _pair_finding(
                second,
                f'custom "{second.kind}" of {second.date}: values '
                f"{list(map(str, second.values))} disagree with {list(map(str, first.values))} "
                f"of the same scope and date at {where}",
            )
        )
    tier_sets: dict[tuple[str, datetime.date], list[Rule]] = defaultdict(list)
    for rule in seed + own:
        if rule.kind == "relief-tier":
            tier_sets[(rule.county, rule.date)].append(rule)
    flagged: set[int] = set()
    for tier_set in tier_sets.values():
        for first, second in policy_rules.overlaps(tier_set):
            if second.seed:  # The finding belongs at the books' directive, once.
                first, second = second, first
            if id(second) in flagged:
                continue
            flagged.add(id(second))
            findings.append(
                _pair_finding(
                    second,
                    f'custom "relief-tier" {second.values[0]} {second.values[1]} of '
                    f"{second.date}: its ratio range overlaps "
                    f"{first.values[0]}-{first.values[1]} of the same set"
                    f"{' (the seed policy)' if first.seed else ''}",
                )
            )
    return Policy(seed + own, findings, county_set)
