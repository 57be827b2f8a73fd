"""A fast text scan of the books for what an import needs, without a Beancount load.

Loading large books costs seconds (parse, booking, plugins); an import only needs the reserve
and treasury `open`s (the directory), the approval records, the seals, the key-file setting,
the accounts opened and the identity metadata of imported bank rows. This module reads the
main file and every file it includes (explicit `include` lines, relative to the including
file) line by line and picks those out. It understands the layout Beancount's printer and
this project's writers use: a directive on a line starting with its date, metadata and
postings on indented lines below it. Books written by hand in that layout are read the same.
"""

from __future__ import annotations

import datetime
import glob
import re
from decimal import Decimal
from decimal import InvalidOperation
from pathlib import Path
from typing import Any

from beancount.core import data

from importers.identity import LedgerState
from importers.identity import StateBuilder
from ledger.books import BooksError

_HEAD = re.compile(r"(\d{4})-(\d{2})-(\d{2})\s+(\S+)\s*(.*)")
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_NUMBER = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]*)?")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INCLUDE = re.compile(r'include\s+"((?:[^"\\]|\\.)*)"')
_LINK = re.compile(r"\^(adv-[A-Za-z0-9\-_/.]+)")
_WANTED = ("approval", "seal", "reserve-config", "payout-failed")


def unescape(text: str) -> str:
    """Return a string literal's value."""
    if "\\" not in text:
        return text
    return re.sub(r"\\(.)", r"\1", text)


def parse_value(text: str) -> Any:
    """Return a metadata value: string, date, number, else the text as written."""
    text = text.strip()
    if text.startswith('"'):
        found = _STRING.match(text)
        return unescape(found.group(1)) if found else text
    if ";" in text:
        text = text.split(";", 1)[0].strip()
    found = _DATE.fullmatch(text)
    if found:
        try:
            return datetime.date(*(int(part) for part in found.groups()))
        except ValueError:
            return text
    if _NUMBER.fullmatch(text):
        try:
            return Decimal(text.replace(",", ""))
        except InvalidOperation:
            return text
    return text


class _Block:
    """The directive being read: its header and the indented lines below it."""

    __slots__ = ("date", "kind", "lines", "rest")

    def __init__(self, date: datetime.date, kind: str, rest: str) -> None:
        self.date = date
        self.kind = kind
        self.rest = rest
        self.lines: list[str] = []


def _meta_and_postings(
    lines: list[str],
) -> tuple[dict[str, Any], list[tuple[str, Decimal]]]:
    meta: dict[str, Any] = {}
    postings: list[tuple[str, Decimal]] = []
    for line in lines:
        first = line[0]
        if "a" <= first <= "z":
            if not postings:  # Metadata after a posting belongs to the posting.
                key, _, value = line.partition(":")
                meta[key] = parse_value(value)
        elif "A" <= first <= "Z":
            parts = line.split()
            if len(parts) >= 2 and _NUMBER.fullmatch(parts[1]):
                postings.append((parts[0], Decimal(parts[1].replace(",", ""))))
    return meta, postings


def _finish(block: _Block, builder: StateBuilder) -> None:
    kind = block.kind
    if kind == "open":
        account = block.rest.split()[0] if block.rest.split() else ""
        meta, _ = _meta_and_postings(block.lines)
        builder.open(data.Open(meta, block.date, account, [], None))
    elif kind == "custom":
        values = _STRING.findall(block.rest)
        if not values:
            return
        name = values[0]
        if name == "seal":
            builder.seal_on(block.date)
        elif name == "reserve-config" and len(values) >= 3:
            builder.config(unescape(values[1]), unescape(values[2]))
        elif name in ("approval", "payout-failed") and len(values) >= 2:
            tail = _STRING.sub(" ", block.rest).split()
            numbers = [part for part in tail if _NUMBER.fullmatch(part)]
            if not numbers:
                return
            amount = Decimal(numbers[0].replace(",", ""))
            meta, _ = _meta_and_postings(block.lines)
            if name == "approval":
                builder.approval(unescape(values[1]), amount, meta)
            else:
                builder.bank(block.date, meta, [], amount)
    else:
        meta, postings = _meta_and_postings(block.lines)
        link = _LINK.search(block.rest)
        if link:
            meta["__link__"] = link.group(1)
        builder.bank(block.date, meta, postings)


def _scan_file(path: Path, builder: StateBuilder, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BooksError(f"{path}: cannot read the books file ({exc})") from None
    block: _Block | None = None
    includes: list[str] = []
    for line in text.split("\n"):
        if not line:
            continue
        first = line[0]
        if first == " " or first == "\t":
            if block is not None:
                stripped = line.strip()
                if stripped and stripped[0] != ";":
                    block.lines.append(stripped)
            continue
        if block is not None:
            _finish(block, builder)
            block = None
        if "0" <= first <= "9":
            found = _HEAD.match(line)
            if found is None:
                continue
            kind, rest = found.group(4), found.group(5)
            if kind == "open":
                builder.opened.add(rest.split()[0] if rest.split() else "")
                if not rest.startswith(("Assets:Treasury:", "Assets:Reserve:")):
                    continue
            elif kind == "custom":
                if not rest.startswith(tuple(f'"{name}"' for name in _WANTED)):
                    continue
            elif not (kind in ("*", "!", "txn") or len(kind) == 1):
                continue
            date = datetime.date(*(int(found.group(i)) for i in (1, 2, 3)))
            block = _Block(date, kind, rest)
        elif first == "i":
            found = _INCLUDE.match(line)
            if found:
                includes.append(unescape(found.group(1)))
    if block is not None:
        _finish(block, builder)
    for name in includes:
        target = path.parent / name
        if any(ch in name for ch in "*?["):
            for match in sorted(glob.glob(str(target))):
                _scan_file(Path(match).resolve(), builder, seen)
        elif not target.is_file():
            raise BooksError(f"{path}: included file {name} does not exist")
        else:
            _scan_file(target.resolve(), builder, seen)


def scan(main_file: str | Path) -> LedgerState:
    """Return what the books at main_file hold for an import.

    Raises:
      BooksError: the main file or an included file is missing or unreadable.

    """
    main = Path(main_file).resolve()
    if not main.is_file():
        raise BooksError(f"{main_file}: no such books file")
    builder = StateBuilder(str(main))
    _scan_file(main, builder, set())
    return builder.build()
