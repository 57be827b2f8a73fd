"""Personal data (SPEC §6): ID and card validation, masking and keyed hashes.

The books never hold a full ID or card number. A recipient is known by
`r-` + the first 16 hex digits of HMAC-SHA256(key, normalised ID); a card by `c-` + the same
over its digits. Only importing needs the key.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import operator
import os
import re
import unicodedata
from pathlib import Path
from typing import Final

_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK: Final = "10X98765432"
#: The check character of an ID whose weighted sum is n (mod 11) is CHECK_CHARACTERS[n].
CHECK_CHARACTERS: Final = _CHECK
_SPACE: Final[re.Pattern[str]] = re.compile(r"\s+")
# ASCII digits only: `\d` and `int` also take other scripts' digits (٠-٩), which NFKC keeps.
_ID15: Final[re.Pattern[str]] = re.compile(r"[0-9]{15}")
_ID18: Final[re.Pattern[str]] = re.compile(r"[0-9]{17}[0-9X]")
KEY_ENV: Final = "RESERVE_RECIPIENT_KEY"
MIN_KEY_BYTES: Final = 32

RECIPIENT_RE: Final[re.Pattern[str]] = re.compile(r"^r-[0-9a-f]{16}$")
CARD_RE: Final[re.Pattern[str]] = re.compile(r"^c-[0-9a-f]{16}$")
_HEX: Final = "0123456789abcdef"


def is_hash(value: str, prefix: str) -> bool:
    """Return True if `value` is `prefix` and 16 lowercase hex digits (`RECIPIENT_RE`'s form).

    What `RECIPIENT_RE.fullmatch` (prefix "r-") and `CARD_RE.fullmatch` ("c-") answer,
    without a regular expression: asked of every payment, where a match costs more than the
    rest of the question (`ledger.checks.vouch`).
    """
    # Stripping the hex digits from both ends leaves nothing only if every one is one.
    return len(value) == 18 and value.startswith(prefix) and not value[2:].strip(_HEX)


class KeyError_(Exception):
    """The recipient key is missing, unreadable or too short."""


def normalise(text: str) -> str:
    """Return text after NFKC, without whitespace or a leading apostrophe, upper-cased."""
    text = unicodedata.normalize("NFKC", text)
    text = _SPACE.sub("", text)
    text = text.lstrip("'")
    return text.upper()


def check_digit(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID."""
    total = sum(map(operator.mul, map(int, first17), _WEIGHTS))
    return _CHECK[total % 11]


def to_18(id15: str) -> str:
    """Return the 18-character form of a 15-digit ID (century 19, check digit added)."""
    first17 = id15[:6] + "19" + id15[6:]
    return first17 + check_digit(first17)


def birth_date_ok(id18: str) -> bool:
    """Return True if characters 7-14 of an 18-character ID are a real date from 1900 on."""
    try:
        born = datetime.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))
    except ValueError:
        return False
    return born.year >= 1900


def id_problem(raw: str) -> str | None:
    """Return why a text is not a valid ID number, or None if it is one."""
    text = normalise(raw)
    if not text.isascii():
        return "an ID number is written with the digits 0-9 (and a final X) only"
    if _ID15.fullmatch(text):
        text = to_18(text)
    if not _ID18.fullmatch(text):
        return "an ID number has 18 characters (17 digits and a digit or X) or 15 digits"
    if not birth_date_ok(text):
        return f"birth date {text[6:14]} is not a real date"
    if check_digit(text[:17]) != text[17]:
        return "check digit does not match (GB 11643)"
    return None


def is_valid_id(raw: str) -> bool:
    """Return True for a valid 18- (or 15-) character ID number."""
    return id_problem(raw) is None


def canonical_id(raw: str) -> str:
    """Return the ID in the form that is hashed: normalised, 15 digits converted to 18."""
    text = normalise(raw)
    if _ID15.fullmatch(text):
        text = to_18(text)
    return text


def luhn_ok(digits: str) -> bool:
    """Return True if a string of ASCII digits passes the Luhn check."""
    if not (digits.isdigit() and digits.isascii()):
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def card_digits(raw: str) -> str:
    """Return a card number's digits after normalisation."""
    return "".join(ch for ch in normalise(raw) if ch.isdigit())


def is_valid_card(raw: str) -> bool:
    """Return True for a 16-19 digit Luhn-valid card number."""
    digits = card_digits(raw)
    return 16 <= len(digits) <= 19 and luhn_ok(digits)


def mask(number: str) -> str:
    """Return first 6 + stars + last 4 characters, e.g. `140105********1234`."""
    text = normalise(number)
    if len(text) <= 10:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 10) + text[-4:]


def parse_key(hex_text: str, origin: str) -> bytes:
    """Return key bytes from one line of hex; raise KeyError_ naming its origin when unfit."""
    # A second line would otherwise be read as the rest of one longer key (SPEC §6).
    lines = [line for line in hex_text.splitlines() if line.strip()]
    if len(lines) > 1:
        raise KeyError_(
            f"the recipient key in {origin} has {len(lines)} lines; a key is one line "
            "of hex digits"
        )
    text = hex_text.strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise KeyError_(f"the recipient key in {origin} is not hex") from None
    if len(key) < MIN_KEY_BYTES:
        raise KeyError_(
            f"the recipient key in {origin} has {len(key)} bytes; at least {MIN_KEY_BYTES} "
            f"bytes ({2 * MIN_KEY_BYTES} hex digits) are needed"
        )
    return key


def load_key(key_file: str | Path | None = None) -> bytes:
    """Return the recipient key: `RESERVE_RECIPIENT_KEY`, else the key file named.

    Raises:
      KeyError_: no key, an unreadable file, not hex, or shorter than 32 bytes.

    """
    env = os.environ.get(KEY_ENV)
    if env:
        return parse_key(env, KEY_ENV)
    if key_file is None:
        raise KeyError_(
            f"no recipient key: set {KEY_ENV} or name a key file with "
            '`custom "reserve-config" "key-file" "PATH"` in the books'
        )
    path = Path(key_file)
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyError_(f"cannot read the recipient key file {path}: {exc}") from None
    return parse_key(text, str(path))


def keyed_hash(key: bytes, message: str) -> str:
    """Return the first 16 lower-case hex digits of HMAC-SHA256(key, message)."""
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()[:16]


def recipient_hash(key: bytes, id_number: str) -> str:
    """Return the `recipient` value of an ID number: `r-` + 16 hex."""
    return "r-" + keyed_hash(key, canonical_id(id_number))


def card_hash(key: bytes, card_number: str) -> str:
    """Return the `card` value of a card number: `c-` + 16 hex."""
    return "c-" + keyed_hash(key, card_digits(card_number))


def make_id(region: str, born: datetime.date, sequence: int) -> str:
    """Return a synthetic 18-character ID with a valid check digit (for tests and demos)."""
    first17 = f"{region}{born:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)


def make_card(prefix: str, sequence: int, length: int = 19) -> str:
    """Return a synthetic Luhn-valid card number (for tests and demos)."""
    body = f"{prefix}{sequence:0{length - 1 - len(prefix)}d}"
    for last in "0123456789":
        if luhn_ok(body + last):
            return body + last
    raise AssertionError("unreachable: one Luhn digit always fits")


class Hasher:
    """Keyed hashes and masks of rows, equal to `recipient_hash`/`card_hash` but faster.

    The readers hand over IDs in canonical form and cards as digits; for those the HMAC
    is computed from prepared copies of the inner and outer SHA-256 states (RFC 2104): no
    normalisation, no key schedule and no `hmac` wrapper per row. Anything else takes the
    general functions.
    """

    def __init__(self, key: bytes) -> None:
        """Prepare the keyed inner and outer hash states."""
        self.key = key
        block = hashlib.sha256().block_size
        padded = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(
            block, b"\0"
        )
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in padded))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in padded))

    def digest16(self, text: str) -> str:
        """Return `keyed_hash(key, text)` for an ASCII text."""
        inner = self._inner.copy()
        inner.update(text.encode("ascii"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:16]

    def cards(self, cards: list[str]) -> list[str]:
        """Return `[self.card(card) for card in cards]`, in one loop without calls."""
        inner, outer = self._inner.copy, self._outer.copy
        hashes: list[str] = []
        append = hashes.append
        for card in cards:
            if not (card.isdigit() and card.isascii()):
                append(card_hash(self.key, card))
                continue
            state = inner()
            state.update(card.encode("ascii"))
            final = outer()
            final.update(state.digest())
            append("c-" + final.digest()[:8].hex())  # 16 hex digits: half the hexdigest
        return hashes

    def recipients(self, id_numbers: list[str]) -> list[str]:
        """Return `[self.recipient(n) for n in id_numbers]`, in one loop without calls."""
        inner, outer, canonical = self._inner.copy, self._outer.copy, _ID18.fullmatch
        hashes: list[str] = []
        append = hashes.append
        for id_number in id_numbers:
            if not id_number:
                append("")
            elif canonical(id_number):
                state = inner()
                state.update(id_number.encode("ascii"))
                final = outer()
                final.update(state.digest())
                append("r-" + final.digest()[:8].hex())
            else:
                append(recipient_hash(self.key, id_number))
        return hashes

    def recipient(self, id_number: str) -> str:
        """Return the `recipient` hash of an ID ("" for no ID)."""
        if not id_number:
            return ""
        if _ID18.fullmatch(id_number):
            return "r-" + self.digest16(id_number)
        return recipient_hash(self.key, id_number)

    def card(self, card: str) -> str:
        """Return the `card` hash of a card number."""
        if card.isdigit() and card.isascii():
            return "c-" + self.digest16(card)
        return card_hash(self.key, card)


def fast_check_digit(first17: str) -> str:
    """Return `check_digit(first17)` for 17 ASCII digits, with one C-level conversion.

    The GB 11643 weights are 2**k mod 11 (k = 17 … 1), and 13 ≡ 2 (mod 11): the weighted
    sum is therefore 2 × (the digits read in base 13) mod 11.
    """
    return CHECK_CHARACTERS[2 * int(first17, 13) % 11]


def fast_mask(number: str) -> str:
    """Return `mask(number)` ("" for none), skipping normalisation for clean input."""
    if not number:
        return ""
    if number.isascii() and number.isalnum() and number == number.upper():
        if len(number) <= 10:
            return "*" * len(number)
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return mask(number)
