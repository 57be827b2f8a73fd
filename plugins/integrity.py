"""Integrity of the books: PII-EXPOSED, ACCOUNT-INVALID, POLICY-INVALID.

Personal data must never stand in the books in full (only masked forms and keyed hashes),
project accounts must have the shape the checks rely on, and policy directives must be
well formed, or every limit drawn from them is in doubt.

Paste into the top-level file:

    plugin "plugins.integrity"
"""

from __future__ import annotations

from typing import Any

from ledger import plugin

__plugins__ = ("integrity",)


def integrity(
    entries: list[Any], options_map: dict[str, Any], config_str: str | None = None
) -> tuple[list[Any], list[Any]]:
    """Run the integrity checks as a Beancount plugin."""
    return plugin.run("integrity", entries, options_map, config_str)
