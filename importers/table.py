"""Read any input sheet into raw cells with their 1-based row numbers.

Bank files and approval registers come as CSV (UTF-8 with or without BOM, or GBK/GB18030),
`|`-delimited TXT, XLSX or XLS (SPEC §10). The format is told by content, not by the file
name: a ZIP signature is XLSX, an OLE2 signature is XLS (both read by python-calamine),
anything else is text, decoded as UTF-8 (BOM removed) or else GB18030 (a superset of GBK),
split on `|`, `,` or tab, whichever is most frequent in its first lines.

Cells are returned as the reader gives them: strings for text files; for spreadsheets also
floats, ints, bools and dates (calamine's types). Rows with no cell filled are dropped;
every kept row carries its physical row number (for a text file, the line on which the
record ends) so that every later message can name it. Interpreting cells is the work of
`importers.cells`.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import python_calamine

from importers import sheet_area
from importers.errors import InputError
from ledger.plugin import no_gc

#: One raw cell: what csv or calamine returned.
Cell = (
    str
    | int
    | float
    | bool
    | datetime.date
    | datetime.datetime
    | datetime.time
    | datetime.timedelta
)

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SNIFF_LINES = 20
_SNIFF_CHUNK = 1 << 16
_LAST_SHEET: dict[str, list[tuple[int, Sequence[Cell]]]] = {}


@dataclasses.dataclass(frozen=True)
class Table:
    """The non-empty rows of one file.

    Attributes:
      path: the file as named by the caller.
      sha256: hex SHA-256 of the file's bytes.
      format: "csv", "txt" (`|`-delimited), "tsv", "xlsx" or "xls".
      rows: (1-based physical row number, cells) for every row with a filled cell.

    """

    path: str
    sha256: str
    format: str
    rows: tuple[tuple[int, Sequence[Cell]], ...]


#: Reading makes a few objects per cell, none in cycles: the cyclic garbage collector's
#: passes over them took a fifth of the time of reading a 100,000-row file.
bulk = no_gc


def decode(path: str, data: bytes) -> str:
    """Return the text of a file: UTF-8 (a BOM removed), else GB18030.

    Raises:
      InputError: the bytes are neither.

    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"the file is neither UTF-8 nor GBK/GB18030 text (byte {exc.start})"
        ) from None


def sniff_delimiter(text: str) -> str:
    """Return `|`, `,` or tab: the one most frequent in the first lines of the text."""
    # Splitting a 100,000-line text to keep 20 lines costs more than the reading: split a
    # chunk, and the whole text only if the chunk holds no more than those lines.
    lines = text[:_SNIFF_CHUNK].splitlines()
    if len(lines) <= _SNIFF_LINES and len(text) > _SNIFF_CHUNK:
        lines = text.splitlines()
    head = "\n".join(lines[:_SNIFF_LINES])
    counts = {delim: head.count(delim) for delim in ("|", ",", "\t")}
    return max(counts, key=lambda delim: counts[delim])


def _text_rows(
    path: str, text: str, delimiter: str, limit: int | None
) -> list[tuple[int, Sequence[Cell]]]:
    source = io.StringIO(text, newline="")
    # A `|` file is not quoted: a quote in a memo is a plain character there.
    if delimiter == "|":
        reader = csv.reader(source, delimiter=delimiter, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(source, delimiter=delimiter)
    try:
        if limit is None:
            # `any` on strings is a C-level loop: rows of empty cells are dropped cheaply.
            return [(reader.line_num, cells) for cells in reader if any(cells)]
        rows: list[tuple[int, Sequence[Cell]]] = []
        for cells in reader:
            if any(cells):
                rows.append((reader.line_num, cells))
                if len(rows) >= limit:
                    break
        return rows
    except csv.Error as exc:  # A cell over csv's limit (131,072 characters), a NUL, ...
        raise InputError(path, f"cannot read the text as a table: {exc}", reader.line_num) from None


def _sheet_rows(path: str, xlsx: bool) -> list[tuple[int, Sequence[Cell]]]:
    if xlsx:
        sheet_area.check_xlsx(path)  # Before calamine makes every cell of a huge area.
    try:
        book = python_calamine.CalamineWorkbook.from_path(path)
        for index in range(len(book.sheet_names)):
            meta = book.sheets_metadata[index]
            if meta.visible != python_calamine.SheetVisibleEnum.Visible:
                continue  # a hidden sheet is not what the clerk sees
            sheet = book.get_sheet_by_index(index)
            sheet_area.check(path, repr(sheet.name), sheet.height, sheet.width)
            data = sheet.to_python(skip_empty_area=False)
            # `count` compares in C: a row is kept unless every cell is "".
            rows: list[tuple[int, Sequence[Cell]]] = [
                (number, cells)
                for number, cells in enumerate(data, start=1)
                if cells.count("") != len(cells)
            ]
            if rows:
                return rows
    except python_calamine.CalamineError as exc:
        raise InputError(path, f"cannot read the spreadsheet: {exc}") from None
    return []


def read_table(path: str | Path, limit: int | None = None) -> Table:
    """Return the non-empty rows of a CSV, TXT, XLSX or XLS file.

    Args:
      path: the file.
      limit: keep only the first this many non-empty rows (for identifying a file).

    Raises:
      InputError: unreadable, undecodable or empty.

    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read the file: {exc.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    rows: list[tuple[int, Sequence[Cell]]]
    if data.startswith((_ZIP, _OLE2)):
        fmt = "xlsx" if data.startswith(_ZIP) else "xls"
        # Identifying a file reads its first rows, then the import reads it all; calamine
        # parses a whole sheet either way (half a second at 100,000 rows), so the last
        # sheet read is kept, by the hash of its bytes, for the next read of the same file.
        cached = _LAST_SHEET.pop(digest, None)
        rows = cached if cached is not None else _sheet_rows(name, fmt == "xlsx")
        if limit is not None:
            _LAST_SHEET.clear()
            _LAST_SHEET[digest] = rows
    else:
        text = decode(name, data)
        delimiter = sniff_delimiter(text)
        fmt = {"|": "txt", ",": "csv", "\t": "tsv"}[delimiter]
        rows = _text_rows(name, text, delimiter, limit)
    if not rows:
        raise InputError(name, "the file is empty: it has no filled row")
    if limit is not None:
        rows = rows[:limit]
    return Table(path=name, sha256=digest, format=fmt, rows=tuple(rows))
