"""The project's accounts (SPEC §2): parse names into roles, counties and townships.

Every account under one of the project prefixes has a fixed shape. `parse` turns an account
name into an `AccountInfo`; `shape_problem` says why one under a project prefix does not fit
(for `ACCOUNT-INVALID`). Accounts outside the project prefixes are left alone.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Final

# Role -> (prefix, number of components after the prefix, leaf values allowed or None).
_ROLES: Final[dict[str, tuple[str, int]]] = {
    "funding": ("Income:Funding", 1),
    "interest": ("Income:Interest", 2),
    "treasury": ("Assets:Treasury", 1),
    "reserve": ("Assets:Reserve", 2),
    "cash": ("Assets:Cash", 2),
    "advances": ("Assets:Advances", 2),
    "intransit": ("Assets:InTransit", 2),
    "suspense": ("Assets:Suspense", 2),
    "relief": ("Expenses:Relief", 3),
    "bankfees": ("Expenses:BankFees", 2),
}

PROCEDURES: Final[tuple[str, ...]] = ("small", "general", "emergency")
_LEAVES: Final = {"Small": "small", "General": "general", "Emergency": "emergency"}

#: Prefixes of the project accounts.
PROJECT_PREFIXES: Final[tuple[str, ...]] = tuple(prefix for prefix, _ in _ROLES.values())

# A county or township component: PascalCase pinyin, ASCII letters and digits.
_COMPONENT: Final[re.Pattern[str]] = re.compile(r"^[A-Z][A-Za-z0-9]*$")

#: Accounts a township's reserve or cash may hand money to (besides the county treasury).
TOWNSHIP_OUTFLOW_ROLES: Final[frozenset[str]] = frozenset(
    {"relief", "advances", "intransit", "suspense", "cash", "reserve", "bankfees"}
)


@dataclasses.dataclass(frozen=True)
class AccountInfo:
    """What a project account means.

    Attributes:
      account: the full name.
      role: one of funding, interest, treasury, reserve, cash, advances, intransit,
        suspense, relief, bankfees.
      county: county component.
      township: township component ("" for county-level accounts).
      procedure: small, general or emergency for relief accounts, else "".

    """

    account: str
    role: str
    county: str
    township: str = ""
    procedure: str = ""


def project_prefix(account: str) -> str | None:
    """Return the project prefix an account falls under, or None."""
    for prefix in PROJECT_PREFIXES:
        if account == prefix or account.startswith(prefix + ":"):
            return prefix
    return None


def shape_problem(account: str) -> str | None:
    """Return why a project account does not fit SPEC §2, or None if it fits (or is not one)."""
    prefix = project_prefix(account)
    if prefix is None:
        return None
    role = next(r for r, (p, _) in _ROLES.items() if p == prefix)
    size = _ROLES[role][1]
    rest = account[len(prefix) + 1 :].split(":") if account != prefix else []
    if len(rest) != size:
        expected = {1: "<County>", 2: "<County>:<Township>"}.get(
            size, "<County>:<Township>:<Small|General|Emergency>"
        )
        return f"expected {prefix}:{expected}"
    places = rest[:2] if role == "relief" else rest
    for component in places:
        if not _COMPONENT.match(component):
            return f"component {component!r} is not PascalCase ASCII pinyin"
    if role == "relief" and rest[2] not in _LEAVES:
        return f"procedure {rest[2]!r} is not Small, General or Emergency"
    return None


_CACHE: Final[dict[str, AccountInfo | None]] = {}


def parse(account: str) -> AccountInfo | None:
    """Return what a project account means, or None for other or malformed accounts."""
    try:
        return _CACHE[account]
    except KeyError:
        pass
    info = _parse(account)
    if len(_CACHE) < 200_000:
        _CACHE[account] = info
    return info


def _parse(account: str) -> AccountInfo | None:
    prefix = project_prefix(account)
    if prefix is None or shape_problem(account) is not None:
        return None
    role = next(r for r, (p, _) in _ROLES.items() if p == prefix)
    rest = account[len(prefix) + 1 :].split(":")
    if role in ("funding", "treasury"):
        return AccountInfo(account, role, rest[0])
    if role == "relief":
        return AccountInfo(account, role, rest[0], rest[1], _LEAVES[rest[2]])
    return AccountInfo(account, role, rest[0], rest[1])


def account_for(role: str, county: str, township: str = "", procedure: str = "") -> str:
    """Return the account name of a role, e.g. ("relief", "Yingze", "Liuxiang", "small")."""
    prefix = _ROLES[role][0]
    if role in ("funding", "treasury"):
        return f"{prefix}:{county}"
    if role == "relief":
        leaf = procedure.capitalize()
        return f"{prefix}:{county}:{township}:{leaf}"
    return f"{prefix}:{county}:{township}"
