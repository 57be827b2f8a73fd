"""TRANSIT-OVERDUE and REISSUE-OVERDUE in bean-check and Fava: bank payments left hanging.

Money sent to the bank waits in `Assets:InTransit` until the bank's result file is imported;
a (batch, case) still there after `transit-deadline` days means a result was never booked. A
failed or returned payment (or a `payout-failed` record) must be paid again within the same
deadline, or the household never got its relief (SPEC §3, §5). The books declare:

    plugin "plugins.transit"

or, to fix the audit date (else today): `plugin "plugins.transit" "{'as_of': '2025-12-31'}"`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("transit",)


def transit(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and an error for every transit finding."""
    return plugin.run("transit", entries, options_map, config_str)
