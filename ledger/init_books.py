"""New books from a township table (SPEC §2, §4, §7): the text of every file `reserve init` writes.

`files(rows, opened)` returns relative path -> text for `main.beancount` (options, the
project's plugins, the Fava extension and options, the key-file setting, the includes),
`accounts.beancount` (every account of SPEC §2 for each county and township, Chinese names in
`open` metadata), `policy.beancount` (the seed policy of SPEC §4), `queries.beancount` (the
saved queries of `ledger.queries`) and `.gitignore` (the recipient key and lock files stay
out of version control). The command writes them atomically with `ledger.bookfile`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from ledger import accounts
from ledger.policy_rules import SEED_TEXT
from ledger.queries import QUERIES
from ledger.queries import QUERIES_TEXT

MAIN = "main.beancount"
KEY_FILE = "recipient.key"
INCLUDED: tuple[str, ...] = ("accounts.beancount", "policy.beancount", "queries.beancount")
PLUGINS: tuple[str, ...] = (
    "plugins.approval",
    "plugins.payments",
    "plugins.integrity",
    "plugins.advances",
    "plugins.reserve",
    "plugins.transit",
    "plugins.seal",
)
_LEAF_NAMES = {"small": "小额临时救助", "general": "一般程序临时救助", "emergency": "紧急程序临时救助"}
_TOWNSHIP_ROLES: tuple[tuple[str, str], ...] = (
    ("cash", "现金"),
    ("advances", "先行救助预付款"),
    ("intransit", "银行在途款项"),
    ("suspense", "待查款项"),
    ("bankfees", "银行手续费"),
    ("interest", "备用金利息"),
)


@dataclasses.dataclass(frozen=True)
class TownshipRow:
    """One township of the table `reserve init` reads (validated by the command)."""

    county: str
    township: str
    county_name: str
    township_name: str
    population: int
    bank_account: str
    county_bank_account: str
    row: int


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "").replace('"', "") + '"'


def _open(day: datetime.date, account: str, **meta: str | int) -> list[str]:
    lines = [f"{day.isoformat()} open {account} CNY"]
    for key, value in meta.items():
        shown = str(value) if isinstance(value, int) else _quoted(value)
        lines.append(f"  {key.replace('_', '-')}: {shown}")
    return lines


def accounts_text(rows: Sequence[TownshipRow], day: datetime.date) -> str:
    """Return `accounts.beancount`: every county's and township's accounts."""
    out = ["; Accounts (SPEC §2), written by `reserve init`.", ""]
    counties: dict[str, TownshipRow] = {}
    for row in rows:
        first = counties.setdefault(row.county, row)
        if not first.county_bank_account and row.county_bank_account:
            counties[row.county] = row
    for county, first in sorted(counties.items()):
        out.append(f"; {first.county_name}")
        treasury_meta: dict[str, str | int] = {"name": first.county_name}
        if first.county_bank_account:
            treasury_meta["bank_account"] = first.county_bank_account
        out += _open(day, accounts.account_for("treasury", county), **treasury_meta)
        out += _open(day, accounts.account_for("funding", county), name=first.county_name)
        out.append("")
        for row in sorted((r for r in rows if r.county == county), key=lambda r: r.township):
            out += _township(row, day)
    out += [f"{day.isoformat()} open Equity:Opening-Balances CNY", ""]
    return "\n".join(out)


def _township(row: TownshipRow, day: datetime.date) -> list[str]:
    name, county, township = row.township_name, row.county, row.township
    out = [f"; {name}"]
    out += _open(
        day, accounts.account_for("reserve", county, township),
        name=name, population=row.population, bank_account=row.bank_account,
    )
    for role, what in _TOWNSHIP_ROLES:
        out += _open(day, accounts.account_for(role, county, township), name=f"{name}{what}")
    for procedure in accounts.PROCEDURES:
        account = accounts.account_for("relief", county, township, procedure)
        out += _open(day, account, name=f"{name}{_LEAF_NAMES[procedure]}")
    out.append("")
    return out


def main_text(rows: Sequence[TownshipRow], day: datetime.date, source: str) -> str:
    """Return `main.beancount`: options, plugins, Fava settings and the includes."""
    names = sorted({r.county_name for r in rows})
    title = f"{names[0]}临时救助备用金" if len(names) == 1 else "临时救助备用金"
    when = day.isoformat()
    lines = [
        f"; Books of the temporary-assistance reserve, written by `reserve init` from {source}.",
        "; The recipient key (recipient.key) is not in version control: see docs/reports.md.",
        "",
        f"option \"title\" {_quoted(title)}",
        'option "operating_currency" "CNY"',
        "",
        *(f'plugin "{plugin}"' for plugin in PLUGINS),
        "",
        f'{when} custom "fava-extension" "reserve_fava"',
        f'{when} custom "fava-option" "language" "zh"',
        f'{when} custom "fava-option" "sidebar-show-queries" "{len(QUERIES)}"',
        f'{when} custom "reserve-config" "key-file" "{KEY_FILE}"',
        "",
        *(f'include "{name}"' for name in INCLUDED),
    ]
    return "\n".join(lines) + "\n"


def policy_text() -> str:
    """Return `policy.beancount`: the seed policy, to be overridden by later directives."""
    return (
        "; Policy (SPEC §4): the seed values. Override a number with a later directive, e.g.\n"
        ';   2026-01-01 custom "relief-authority" "township" 1000.00 CNY\n'
        ';     county: "Wanbailin"\n'
        ';     procedure: "emergency"\n\n'
        + SEED_TEXT
    )


GITIGNORE = f"""\
# The recipient key must never be committed (SPEC §6).
{KEY_FILE}
*.key
# Lock files of `reserve` writers.
.*.lock
"""


def files(rows: Sequence[TownshipRow], day: datetime.date, source: str) -> dict[str, str]:
    """Return relative path -> text of every file of new books."""
    return {
        "accounts.beancount": accounts_text(rows, day),
        "policy.beancount": policy_text(),
        "queries.beancount": QUERIES_TEXT,
        ".gitignore": GITIGNORE,
        MAIN: main_text(rows, day, source),
    }
