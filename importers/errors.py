"""The one exception of the importers: bad input, naming the file, row and column.

Reading a bank file or an approval register validates every cell before anything is
returned; the first problem found is raised as an `InputError`. The command layer turns it
into exit code 2 and prints `str(error)`, e.g.
`bank.csv, row 7, column 金额: amount -5.00 is not positive`. A message may quote a cell:
any full ID or card number in it is masked (`importers.pii_text`, SPEC §6).
"""

from __future__ import annotations

from importers.pii_text import mask_numbers


class InputError(Exception):
    """Bad input: names the file, row and column.

    Attributes:
      path: the file as it was named on the command line.
      message: what is wrong, one sentence without the location.
      row: the 1-based physical row (line) of the file, or None for the whole file.
      column: the column's header as written in the file, or None.

    """

    def __init__(
        self, path: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.path = path
        self.message = mask_numbers(message)
        self.row = row
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [self.path]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts) + ": " + self.message
