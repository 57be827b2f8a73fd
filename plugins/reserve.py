"""ALLOCATION-RANGE, RESERVE-OVERDRAWN, RESERVE-MISUSE, SUSPENSE-OPEN in bean-check and Fava.

Each township's reserve (备用金) is allocated yearly within the `reserve-allocation` range, may
pay out only the township's own relief (and the accounts that carry it), must never end a day
below zero, and money parked in suspense must be explained (SPEC §5). A treasury or cash box
below zero is an overdraft too. RESERVE-IDLE is a warning: `reserve audit` and the Fava pages
show it, bean-check does not. The books declare:

    plugin "plugins.reserve"

or, to fix the audit date (else today): `plugin "plugins.reserve" "{'as_of': '2025-12-31'}"`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("reserve",)


def reserve(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and an error for every reserve finding."""
    return plugin.run("reserve", entries, options_map, config_str)
