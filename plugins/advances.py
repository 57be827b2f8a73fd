"""ADVANCE-OVERDUE, ADVANCE-UNLINKED, ADVANCE-OVERSETTLED in bean-check and Fava.

An emergency advance (先行救助) is relief paid before its approval is complete; it must be
settled into an expense or recovered within `advance-deadline` days (SPEC §3, §5). An advance
never settled is the key audit finding, and advances are followed only by their one `^adv-`
link, so a posting to `Assets:Advances` without exactly one such link is an error too.
ADVANCE-LATE is a warning: `reserve audit` and the Fava pages show it, bean-check does not.
The books declare:

    plugin "plugins.advances"

or, to fix the audit date (else today): `plugin "plugins.advances" "{'as_of': '2025-12-31'}"`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("advances",)


def advances(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and an error for every advance finding."""
    return plugin.run("advances", entries, options_map, config_str)
