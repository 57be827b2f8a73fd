"""SEAL-BROKEN in bean-check and Fava: a seal whose covered entries no longer hash to it.

A seal `custom "seal" "v1:<hex>"` dated D closes the books through D (SPEC §9): any later
edit, addition or deletion of an entry dated on or before D breaks it. The books declare:

    plugin "plugins.seal"

Signatures are verified only by `reserve audit --trust PUBKEY` (a plugin has no trusted key).
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("seal",)


def seal(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and a SEAL-BROKEN error for every broken seal."""
    return plugin.run("seal", entries, options_map, config_str)
