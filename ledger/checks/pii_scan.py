"""Where the books' files hold a run of 16 to 19 digits, and which directive each is in.

The PII pre-filter (`ledger.checks.pii`) reads the books' files, not their entries: a full ID
or card number is a maximal run of 16 to 19 digits (SPEC §5), and almost no line holds one.
Finding runs of 16 digits in bytes costs well under a nanosecond a byte: each file is read in
chunks that stay in the processor's cache, mapped to "digit or not" with `bytes.translate`,
then searched with `bytes.find` (`has_run`). Only a file with such a run is read again whole,
to find its lines (`hits`): a line counts only for a *maximal* run of 16 to 19 digits (a run
of 20 or more, such as a long bank account number, is neither an ID nor a card number).

For each of those lines `hits` also finds the directive it belongs to, by its text: the
nearest line at or above it that starts with a date (every directive starts so, at the
start of a line, and its entry's `lineno` is that line). That header's date lets the check
find the entry among the entries of that date alone, instead of walking every entry. Text
can fool this only inside a string spanning lines: a line of it that starts with a date, or
holds a date that is no date. Then no entry starts at the line found, or the date cannot be
read, and the check walks the entries as before (`ledger.checks.pii`).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Final
from typing import NamedTuple

# Every digit becomes "0", every other byte a space: then a run is a plain substring.
_DIGIT_MAP: Final = bytes(0x30 if 0x30 <= i <= 0x39 else 0x20 for i in range(256))
_RUN16: Final = b"0" * 16
_LONGEST: Final = 19  # The longest maximal run that can be a number (a 19-digit card).
_OVERLAP: Final = len(_RUN16) - 1
_CHUNK: Final = 1 << 17  # 128 KiB: the chunk and its mapping stay in the cache.
# A directive's first line: a date as Beancount's lexer reads one, then a space or a tab.
_HEADER: Final[re.Pattern[bytes]] = re.compile(rb"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})[ \t]")


class Hit(NamedTuple):
    """A line holding a maximal run of 16 to 19 digits, and the directive it is in.

    Attributes:
      line: the line (1-based).
      start: the line of the nearest directive header at or above it; 0 when there is none
        (the line is above every directive of its file, so in no entry).
      on: that header's date; None when its text is no date.

    """

    line: int
    start: int
    on: datetime.date | None


def has_run(handle: io.RawIOBase) -> bool:
    """Return whether a binary file holds a run of 16 digits, read in cache-sized chunks.

    Each chunk is mapped and searched while it is in the cache (reading the whole file, then
    mapping it, then searching it goes through memory three times); the last 15 bytes of a
    chunk are kept in front of the next, so a run across two chunks is still found.
    """
    buffer = bytearray(_OVERLAP + _CHUNK)
    view = memoryview(buffer)
    buffer[:_OVERLAP] = b" " * _OVERLAP
    while True:
        got = handle.readinto(view[_OVERLAP:])
        if not got:
            return False
        end = _OVERLAP + got
        block = buffer if end == len(buffer) else buffer[:end]
        if block.translate(_DIGIT_MAP).find(_RUN16) >= 0:
            return True
        buffer[:_OVERLAP] = buffer[end - _OVERLAP : end]


def _runs(text: bytes) -> list[tuple[int, int]]:
    """Return (line, offset of its start) of each line holding a maximal run of 16-19 digits."""
    mapped = text.translate(_DIGIT_MAP)
    found: list[tuple[int, int]] = []
    line, counted = 1, 0
    at = mapped.find(_RUN16)
    while at >= 0:  # `at` starts a run: the search resumes after the end of the last one.
        end = at + len(_RUN16)
        while end < len(mapped) and mapped[end] == 0x30:
            end += 1
        if end - at <= _LONGEST:
            line += text.count(b"\n", counted, at)
            counted = at
            if not found or found[-1][0] != line:
                found.append((line, text.rfind(b"\n", 0, at) + 1))
        at = mapped.find(_RUN16, end)
    return found


def run_lines(text: bytes) -> list[int]:
    """Return the 1-based numbers of the lines holding a maximal run of 16 to 19 digits."""
    return [line for line, _ in _runs(text)]


def hits(text: bytes) -> list[Hit]:
    """Return the lines of a file's text holding a maximal run of 16 to 19 digits (`Hit`).

    The header of each is found going up line by line from it; the lines are counted once,
    front to back (each header is at or after the one before it).
    """
    found: list[Hit] = []
    line, counted = 1, 0  # The line number at offset `counted`.
    for hit_line, start in _runs(text):
        while _HEADER.match(text, start) is None and start > 0:
            start = text.rfind(b"\n", 0, start - 1) + 1
        match = _HEADER.match(text, start)
        if match is None:  # Above every directive of the file.
            found.append(Hit(hit_line, 0, None))
            continue
        line += text.count(b"\n", counted, start)
        counted = start
        try:
            on: datetime.date | None = datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            on = None
        found.append(Hit(hit_line, line, on))
    return found
