"""APPROVAL-MISSING … PAID-OVER-APPROVED in bean-check and Fava: payments and their approvals.

Every relief payment must carry who approved it, when, at which level and (for the general
procedure) the ratio and the public notice; a case must stay within the ceiling of its level,
the band of its ratio and the amount of its approval record (SPEC §5). Auditors ask first for
exactly these: a payment the register cannot justify. The books declare:

    plugin "plugins.approval"

or, to fix the audit date (else today): `plugin "plugins.approval" "{'as_of': '2025-12-31'}"`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("approval",)


def approval(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and an error for every approval finding."""
    return plugin.run("approval", entries, options_map, config_str)
