"""The generator's settings (`Profile`) and the demo-only recipient key."""

from __future__ import annotations

import dataclasses
import datetime
import os
from pathlib import Path

from ledger import recipients

#: The fixed demo key (32 bytes). DEMO ONLY: it is public, so hashes made with it protect
#: nothing. It has no run of 15 or more digits, so no scan mistakes it for a number.
DEMO_KEY_HEX = "de30de30de30de30cafef00dcafef00dbeefbeefbeefbeef5eed5eed5eed5eed"

#: The audit date the clean books and the fault manifest are made for.
DEFAULT_AS_OF = datetime.date(2026, 11, 28)


class DemoError(Exception):
    """A setting the generator cannot honour (the command turns it into exit 2)."""


@dataclasses.dataclass(frozen=True)
class Profile:
    """What to generate.

    Attributes:
      counties: number of counties (县/区).
      townships_per_county: townships (乡镇/街道) in each county.
      years: the calendar years of the books, consecutive, all before `as_of`'s year.
      disbursements: relief cases to generate over all townships and years (about one
        disbursement in effect each).
      seed: seed of the `random.Random` everything is drawn from.
      faults: faults planted per finding code (0: clean books).
      plugins: write the `plugin` lines of the project's plugins into main.beancount.
      key_file: a key file to hash recipients with instead of the demo key; the books name it
        (relative to the output folder) and it is not copied.
      as_of: the audit date the manifest assumes.
    """

    counties: int = 2
    townships_per_county: int = 3
    years: tuple[int, ...] = (2024, 2025)
    disbursements: int = 300
    seed: int = 1
    faults: int = 0
    plugins: bool = True
    key_file: Path | None = None
    as_of: datetime.date = DEFAULT_AS_OF

    def validate(self) -> None:
        """Raise DemoError for settings that cannot give consistent books."""
        if self.counties < 1 or self.townships_per_county < 1:
            raise DemoError("--counties and --townships-per-county must be at least 1")
        if not self.years:
            raise DemoError("--years needs at least one year")
        years = sorted(self.years)
        if years != list(range(years[0], years[0] + len(years))):
            raise DemoError(
                "--years must be consecutive: a year without allocation between two allocated "
                "years is itself an ALLOCATION-RANGE finding"
            )
        if years[-1] >= self.as_of.year:
            raise DemoError(
                f"--years must end before {self.as_of.year} (the audit year), so that every "
                "year of the books is complete"
            )
        if self.disbursements < 0 or self.faults < 0:
            raise DemoError("--disbursements and --faults cannot be negative")
        slots = self.counties * self.townships_per_county
        if self.faults and slots < 2:
            raise DemoError("planting faults needs at least two townships")
        if self.faults > slots:
            raise DemoError(
                f"--faults {self.faults} needs as many townships (SUSPENSE-OPEN is found once "
                f"per account); the books have {slots}"
            )
        if self.faults * 2 > slots * len(self.years):
            raise DemoError(
                f"--faults {self.faults} needs {self.faults * 2} township-years for the "
                f"year-level faults; the books have {slots * len(self.years)}"
            )


def parse_years(text: str) -> tuple[int, ...]:
    """Return years from "2024,2025" or "2023-2025"."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return tuple(range(first, last + 1))
        return tuple(sorted({int(part) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise DemoError(
            f"--years: {text!r} is not a list of years like 2024,2025"
        ) from None


def demo_key(profile: Profile) -> bytes:
    """Return the key recipients are hashed with (the demo key unless a key file is named)."""
    if profile.key_file is None:
        return bytes.fromhex(DEMO_KEY_HEX)
    try:
        text = Path(profile.key_file).read_text(encoding="ascii")
        return recipients.parse_key(text, str(profile.key_file))
    except (OSError, UnicodeDecodeError, recipients.KeyError_) as exc:
        raise DemoError(str(exc)) from None


def key_reference(profile: Profile, out_dir: Path) -> str:
    """Return the key-file path the books name (relative to the output folder)."""
    if profile.key_file is None:
        return "demo-key.hex"
    return os.path.relpath(Path(profile.key_file).resolve(), out_dir.resolve())
