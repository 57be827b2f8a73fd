"""Full ID and card numbers in text copied from an input file, masked (SPEC §6).

The books never hold a full ID or card number, yet a bank writes them into its own free
text (`失败原因: 账号<card>已冻结`, `户名与证件<ID>不符`) and a register's clerk may type
one into a name or a note. Every text an import copies from a file into the books or its
output (payee and holder names, `fail-reason`, approver, decision, category text, messages
quoting a cell) goes through `mask_numbers` first.

What counts is what `PII-EXPOSED` reports (`ledger.checks.pii.exposed_kind`): a maximal run
of digits that is a valid ID (18 digits, or 17 and an X) or a Luhn-valid card of 16 to 19
digits. Full-width digits (`６２２８…`) are read as the digits they are. Such a run becomes
its masked form, first 6 + stars + last 4, as `id-masked` and `card-masked` are written
(`ledger.recipients.fast_mask`); any other run is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ledger.checks.pii import exposed_kind
from ledger.recipients import fast_mask

_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
# Sixteen digits in a row: the cheap test most texts stop at.
_SIXTEEN = re.compile(r"[0-9０-９]{16}")
# A maximal run of digits and the X that may close an ID.
_RUN = re.compile(r"[0-9０-９]+[XxＸｘ]?")


def has_number(texts: Iterable[str]) -> bool:
    """Return True if any text may hold a full number (a run of 16 digits or more)."""
    return _SIXTEEN.search("\n".join(texts)) is not None


def full_number(text: str) -> str | None:
    """Return "ID number" or "card number" if text holds one (as `PII-EXPOSED` sees it)."""
    if _SIXTEEN.search(text) is None:
        return None
    return exposed_kind(text.translate(_ASCII))


def mask_numbers(text: str) -> str:
    """Return text with every full ID or card number in it masked."""
    if _SIXTEEN.search(text) is None:
        return text
    return _RUN.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    written = match.group(0).translate(_ASCII)
    digits = written.rstrip("Xx")
    if not 16 <= len(digits) <= 19:
        return match.group(0)
    kind = exposed_kind(written)
    if kind is None:
        return match.group(0)
    # The X belongs to the number only when 17 digits and it make the ID.
    if kind == "ID number" and len(digits) == 17:
        return fast_mask(written.upper())
    return fast_mask(digits) + written[len(digits) :]
