"""The area of a spreadsheet's sheets, checked before a sheet is read.

python-calamine makes every cell of a sheet's used area, from its first filled cell to its
farthest one, when it loads the sheet. A stray cell at XFD1048576 in a file of a few
kilobytes asks for 17 billion cells: the allocation fails inside calamine and ends the
process (no Python exception). So the area is read first from the XLSX itself: each
worksheet's `<dimension ref="A1:E1001"/>`, which Excel and every writer we know put at its
top; a worksheet without one has its cells' references scanned. An XLS sheet is at most
65,536 rows by 256 columns, and is checked once loaded (`importers.table`).

A file crafted to lie in its `<dimension>` can still exhaust the memory; an office imports
its own bank's files, and the stray cell of a clerk is the case this guards against. Every
worksheet is checked, hidden ones too (the reader skips those, but a stray cell there is
as much a mistake). A zip that is no XLSX (an ODS) is refused: its area cannot be read here.
"""

from __future__ import annotations

import re
import zipfile

from importers.errors import InputError

#: The largest sheet area read: a bank file or register has a few columns, and rows up to
#: a few hundred thousand.
MAX_COLUMNS = 256
MAX_CELLS = 5_000_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL = re.compile(rb'<(?:\w+:)?c\s+r="([A-Z]+)(\d+)"')
_HEAD = 16_384
_CHUNK = 1 << 20


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check(path: str, sheet: str, height: int, width: int) -> None:
    """Refuse a sheet whose used area is larger than a bank file or register holds."""
    if width > MAX_COLUMNS or height * width > MAX_CELLS:
        raise InputError(
            path,
            f"sheet {sheet} uses {height:,} rows × {width:,} columns (to its farthest filled "
            f"cell): more than a bank file or register holds ({MAX_COLUMNS} columns, "
            f"{MAX_CELLS:,} cells at most); delete the stray cells far from the table",
        )


def check_xlsx(path: str) -> None:
    """Refuse an XLSX with a worksheet too large to load (`check`), before loading it."""
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return  # Not a readable zip: calamine says what is wrong with it.
    with book:
        if "xl/workbook.xml" not in book.namelist():
            # A zip that is no XLSX (an ODS, a DOCX): SPEC §10 takes XLSX and XLS, and only
            # an XLSX's area can be read here before the reader loads it.
            raise InputError(path, "a zip file that is no XLSX workbook (an XLSX or XLS is taken)")
        for info in book.infolist():
            name = info.filename
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                height, width = _area(book, info)
                check(path, repr(name.rsplit("/", 1)[-1]), height, width)


def _area(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Return (rows, columns) of a worksheet's used area."""
    with book.open(info) as stream:
        head = stream.read(_HEAD)
        found = _DIMENSION.search(head)
        if found is not None:
            first_col, first_row, last_col, last_row = found.groups()
            if last_col is None:
                return 1, 1
            rows = int(last_row) - int(first_row) + 1
            return rows, _column(last_col) - _column(first_col) + 1
        # No dimension: the cells' references, chunk by chunk (a reference cut at a
        # chunk's end is read with the next chunk's start).
        low_row = low_col = 10**9
        high_row = high_col = 0
        text, tail = head, b""
        while text:
            text = tail + text
            for col, row in _CELL.findall(text):
                c, r = _column(col), int(row)
                low_col, high_col = min(low_col, c), max(high_col, c)
                low_row, high_row = min(low_row, r), max(high_row, r)
            tail = text[-64:]
            text = stream.read(_CHUNK)
    if not high_row:
        return 0, 0
    return high_row - low_row + 1, high_col - low_col + 1
