"""SPLIT-PAYMENT, DUPLICATE-CASE, PAYEE-MISMATCH in bean-check and Fava: who was paid, how often.

A need split into several small payments to stay under a township's ceiling, one case paid
twice, or money sent to an account another person holds are the classic leaks of relief funds
(SPEC §5). RECIPIENT-REPEAT, a warning, is shown by `reserve audit` and the Fava pages only.
The books declare:

    plugin "plugins.payments"

or, to fix the audit date (else today): `plugin "plugins.payments" "{'as_of': '2025-12-31'}"`.
"""

from __future__ import annotations

from typing import Any

from beancount.core import data

from ledger import plugin

__plugins__ = ("payments",)


def payments(
    entries: list[data.Directive],
    options_map: dict[str, Any],
    config_str: str | None = None,
) -> tuple[list[data.Directive], list[Any]]:
    """Return the entries unchanged and an error for every payments finding (not warnings)."""
    return plugin.run("payments", entries, options_map, config_str)
