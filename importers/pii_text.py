"""Full ID and card numbers in text copied from an input file, masked (SPEC §6).

The books never hold a full ID or card number, yet a bank writes them into its own free
text (`失败原因: 账号<card>已冻结`, `户名与证件<ID>不符`) and a register's clerk may type
one into a name or a note. Every text an import copies from a file into the books or its
output (payee and holder names, `fail-reason`, approver, decision, category text, messages
quoting a cell) goes through `mask_numbers` first.

A full number is, in this order:

1. the row's own card or ID number (and a 15-digit form of the ID), wherever it stands and
   however it is grouped by spaces or dashes, whether or not it passes its check: the row
   gives it as its card, so it is one;
2. a maximal run of digits that `PII-EXPOSED` reports (`ledger.checks.pii.exposed_kind`):
   a valid ID (18 digits, or 17 and an X) or a Luhn-valid card of 16 to 19 digits; or a
   run of 15 digits that is a first-generation ID (a region code and a real YYMMDD birth
   date: it has no check digit);
3. a number written in groups (`6217 0000 0000 0000 038`, `140105-19600501-001X`): a run
   of digit groups split by one separator, all spaces or all dashes, whose digits together
   are a valid ID or a Luhn-valid card of 16 to 19 digits.

Full-width digits, spaces and dashes are read as the ASCII ones. Such a number becomes its
masked form, first 6 + stars + last 4, as `id-masked` and `card-masked` are written
(`ledger.recipients.fast_mask`); any other run (an amount, a date, a batch number, a
20-digit account) is left as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Sequence

from ledger import recipients
from ledger.checks.pii import exposed_kind
from ledger.recipients import fast_mask

# One character for one: positions in the translated text are those of the text.
_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ－\u3000", "0123456789Xx- ")
# Twelve digits or more, maybe split by spaces or dashes: the cheap test most texts stop at
# (the shortest number masked is a row's own 12-digit account).
_MANY = re.compile(r"[0-9０-９](?:[\s\-－]*[0-9０-９]){11,}")
_NOT_DIGIT = re.compile(r"[^0-9]+")
# A maximal run of digits and the X that may close an ID.
_RUN = re.compile(r"[0-9]+[Xx]?")
# A run of digit groups split by single spaces, or by single dashes.
_GROUPS = re.compile(r"(?<![0-9])(?:[0-9]+(?: [0-9]+)+|[0-9]+(?:-[0-9]+)+)[Xx]?")
_REGION = frozenset("12345678")  # the first digit of a region code (11 to 82)


def has_number(texts: Iterable[str]) -> bool:
    """Return True if any text may hold a full number (12 digits or more, maybe grouped)."""
    return _MANY.search("\n".join(texts)) is not None


def full_number(text: str) -> str | None:
    """Return "ID number" or "card number" if text holds one (steps 2 and 3 above)."""
    spans = _spans(text, ())
    return spans[0][2] if spans else None


def mask_numbers(text: str, own: Sequence[str] = ()) -> str:
    """Return text with every full ID or card number in it masked.

    Args:
      text: a text copied from an input file.
      own: the row's own card and ID numbers (ASCII digits, an ID maybe ending in X).

    """
    if _MANY.search(text) is None:
        return text
    spans = _spans(text, own)
    if not spans:
        return text
    parts, end = [], 0
    for start, stop, _kind, masked in sorted(spans):
        parts += [text[end:start], masked]
        end = stop
    return "".join(parts) + text[end:]


def _spans(text: str, own: Sequence[str]) -> list[tuple[int, int, str, str]]:
    """Return (start, end, kind, masked form) of each full number in text."""
    work = text.translate(_ASCII)
    found: list[tuple[int, int, str, str]] = []

    def take(start: int, end: int, kind: str, number: str) -> None:
        nonlocal work
        found.append((start, end, kind, fast_mask(number)))
        work = work[:start] + "*" * (end - start) + work[end:]  # seen by no later step

    digits_only = _NOT_DIGIT.sub("", work)
    for number in _own_forms(own):
        if number.rstrip("X") in digits_only:
            for match in _own_pattern(number).finditer(work):
                take(match.start(), match.end(), "own number", number)
    for match in _RUN.finditer(work):
        kind, number = _kind(match.group(0))
        if kind is not None:
            take(match.start(), match.start() + len(number), kind, number)
    for match in _GROUPS.finditer(work):
        kind, number = _kind(match.group(0).replace(" ", "").replace("-", ""))
        if kind is not None and len(number.rstrip("X")) >= 16:
            take(match.start(), match.end(), kind, number)
    return found


def _own_forms(own: Sequence[str]) -> list[str]:
    """Return the row's numbers to look for, an 18-digit ID of the 1900s in both forms."""
    forms = []
    for number in own:
        number = number.upper()
        if len(number) < 12 or not number.rstrip("X").isdigit() or not number.isascii():
            continue
        forms.append(number)
        if len(number) == 18 and number[6:8] == "19":
            forms.append(number[:6] + number[8:17])
    return forms


def _own_pattern(number: str) -> re.Pattern[str]:
    """Return a pattern of number's characters with any spaces or dashes between them."""
    chars = ["[Xx]" if ch == "X" else ch for ch in number]
    return re.compile(r"[\s\-]*".join(chars))


def _kind(written: str) -> tuple[str | None, str]:
    """Return the kind of a run of ASCII digits (and X) and the part that is the number."""
    digits = written.rstrip("Xx")
    if len(digits) == 15:
        return ("ID number", digits) if _first_generation(digits) else (None, "")
    if not 16 <= len(digits) <= 19:
        return None, ""
    kind = exposed_kind(written)
    if kind == "ID number" and len(digits) == 17:
        return kind, written.upper()  # the X belongs to the ID
    return kind, digits


def _first_generation(digits: str) -> bool:
    """Return True for 15 digits that are a first-generation ID: region, YYMMDD, sequence."""
    return digits[0] in _REGION and recipients.birth_date_ok(recipients.to_18(digits))
