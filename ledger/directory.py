"""Counties and townships of the books, read from `open` directives (SPEC §2).

The counties are those with an `Assets:Treasury:<County>` account; the townships those with an
`Assets:Reserve:<County>:<Township>` account. Chinese names, population and bank accounts come
from the `open` metadata.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from beancount.core import data

from ledger import accounts


@dataclasses.dataclass(frozen=True)
class County:
    """A county (县/区) of the books."""

    county: str
    name: str
    bank_account: str
    meta: dict[str, Any] = dataclasses.field(compare=False, repr=False)


@dataclasses.dataclass(frozen=True)
class Township:
    """A township (乡镇/街道) of the books, known by its reserve account."""

    county: str
    township: str
    name: str
    population: int | None
    bank_account: str
    meta: dict[str, Any] = dataclasses.field(compare=False, repr=False)

    @property
    def reserve(self) -> str:
        """Return the township's reserve account."""
        return accounts.account_for("reserve", self.county, self.township)


@dataclasses.dataclass
class Directory:
    """The counties and townships of the books, with their names."""

    counties: dict[str, County] = dataclasses.field(default_factory=dict)
    townships: dict[tuple[str, str], Township] = dataclasses.field(default_factory=dict)
    #: Every project account opened, with its open entry.
    opens: dict[str, data.Open] = dataclasses.field(default_factory=dict)

    def township_name(self, county: str, township: str) -> str:
        """Return a township's Chinese name, else the county's, else the component."""
        found = self.townships.get((county, township))
        if found is not None:
            return found.name
        if not township:
            return self.county_name(county)
        return township

    def county_name(self, county: str) -> str:
        """Return a county's Chinese name, else its component."""
        found = self.counties.get(county)
        return found.name if found is not None else county

    def townships_of(self, county: str) -> list[Township]:
        """Return a county's townships in account order."""
        return [t for (c, _), t in sorted(self.townships.items()) if c == county]

    def township_by_account(self, bank_account: str) -> Township | None:
        """Return the township whose reserve has this bank account, if any."""
        digits = _digits(bank_account)
        for township in self.townships.values():
            if township.bank_account and _digits(township.bank_account) == digits:
                return township
        return None

    def county_by_account(self, bank_account: str) -> County | None:
        """Return the county whose treasury has this bank account, if any."""
        digits = _digits(bank_account)
        for county in self.counties.values():
            if county.bank_account and _digits(county.bank_account) == digits:
                return county
        return None

    def township_by_name(self, county: str | None, text: str) -> Township | None:
        """Return the township named by Chinese name or account component, if unique."""
        text = text.strip()
        found = [
            t
            for t in self.townships.values()
            if (county is None or t.county == county) and text in (t.name, t.township)
        ]
        return found[0] if len(found) == 1 else None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _text(meta: dict[str, Any], key: str) -> str:
    value = meta.get(key)
    return str(value) if value is not None else ""


def _population(value: Any) -> int | None:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def build(entries: Iterable[data.Directive]) -> Directory:
    """Return the directory of the books from their `open` entries."""
    directory = Directory()
    kind = data.Open
    for entry in [e for e in entries if e.__class__ is kind]:
        info = accounts.parse(entry.account)
        if info is None:
            continue
        directory.opens[entry.account] = entry
        meta = entry.meta or {}
        if info.role == "treasury":
            directory.counties[info.county] = County(
                info.county, _text(meta, "name") or info.county, _text(meta, "bank-account"), meta
            )
        elif info.role == "reserve":
            directory.townships[(info.county, info.township)] = Township(
                info.county,
                info.township,
                _text(meta, "name") or info.township,
                _population(meta.get("population")),
                _text(meta, "bank-account"),
                meta,
            )
    return directory
