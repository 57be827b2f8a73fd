"""Synthetic recipients: names, masked numbers and keyed hashes, never a full number.

Each person gets an ID made by `ledger.recipients.make_id` and a card by `make_card`; only
their masks and keyed hashes (SPEC §6) leave this module. A person whose hash happens to hold
a run of 15 or more digits is drawn again, so that no digit scan of the books can mistake a
hash for an ID or card number.

Repeat recipients (the same household helped again) are drawn only from the same township,
for cases dated from 1 March, and at most once a year: so no two payments to one person lie
within a split window (30 days) of each other and no person is paid by two townships, and the
clean books raise neither SPLIT-PAYMENT nor RECIPIENT-REPEAT.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import re

from ledger import recipients
from ledger.demo import names

_LONG_DIGITS = re.compile(r"\d{15,}")
#: Card BIN-like prefixes of the synthetic cards (not real issuers' ranges on purpose).
_CARD_PREFIXES = ("621799", "622899", "623099")
REPEAT_FROM = (3, 1)  # month, day from which a case may go to a repeat recipient


@dataclasses.dataclass
class Person:
    """A recipient as the books see them."""

    name: str
    recipient: str
    id_masked: str
    card: str
    card_masked: str
    last_year: int = 0


class People:
    """Draws recipients for a city; deterministic for its random generator."""

    def __init__(self, rng: random.Random, key: bytes) -> None:
        self._rng = rng
        self._key = key
        self._ids: set[str] = set()
        self._card_seq = 0
        self._pools: dict[tuple[str, str], list[Person]] = {}

    def new_card(self) -> tuple[str, str]:
        """Return (card hash, card mask) of a fresh synthetic card."""
        while True:
            self._card_seq += 1
            prefix = _CARD_PREFIXES[self._card_seq % len(_CARD_PREFIXES)]
            number = recipients.make_card(prefix, self._card_seq * 7919 % 10**12, 19)
            hashed = recipients.card_hash(self._key, number)
            if not _LONG_DIGITS.search(hashed):
                return hashed, recipients.mask(number)

    def new(self, region: str, name: str | None = None) -> Person:
        """Return a fresh person registered in `region` (6 digits)."""
        rng = self._rng
        male = rng.random() < 0.5
        if name is None:
            given = names.GIVEN_MALE if male else names.GIVEN_FEMALE
            name = rng.choice(names.SURNAMES[: rng.choice((20, 60, len(names.SURNAMES)))])
            name += rng.choice(given)
        while True:
            born = datetime.date(1940, 1, 1) + datetime.timedelta(
                days=rng.randrange(70 * 365)
            )
            sequence = rng.randrange(500) * 2 + (1 if male else 0)
            number = recipients.make_id(region, born, sequence)
            if number in self._ids:
                continue
            hashed = recipients.recipient_hash(self._key, number)
            if _LONG_DIGITS.search(hashed):
                continue
            self._ids.add(number)
            card, card_masked = self.new_card()
            return Person(name, hashed, recipients.mask(number), card, card_masked)

    def pick(
        self,
        township: names.Township,
        region: str,
        date: datetime.date,
        repeat: float = 0.15,
    ) -> Person:
        """Return a recipient for a case of `township` dated `date`.

        Some cases go to a household helped in an earlier year (same township, not this year,
        case dated from 1 March); the rest to a new person.
        """
        pool = self._pools.setdefault((township.county, township.township), [])
        if pool and (date.month, date.day) >= REPEAT_FROM and self._rng.random() < repeat:
            for _ in range(4):
                person = self._rng.choice(pool)
                if person.last_year < date.year:
                    person.last_year = date.year
                    return person
        person = self.new(region)
        person.last_year = date.year
        pool.append(person)
        return person

    def stranger(self, region: str, name: str | None = None) -> Person:
        """Return a fresh person kept out of every pool (for planted faults)."""
        person = self.new(region, name)
        person.last_year = 9999
        return person
