"""Booking uploaded files through `reserve import`, with a dry run first.

The import page must book exactly what `reserve import` books, so it runs that command: the
same click command, in a child process (`cli_import`), first with `--dry-run` for the preview
and, once confirmed, without it. A child process keeps the command's own locking, atomic writes,
exit codes and messages, and cannot disturb Fava's threads (click writes to the process's
standard output). The interface is one function, `Importer`; a library function with the same
signature can replace `cli_import`.

Uploaded files are kept in a private temporary folder per preview (`Uploads`), under a random
token, until they are booked or pushed out by newer previews. Where those folders live, how
they are removed, and how large an upload may be is `reserve_fava.spool`'s.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from reserve_fava import spool

#: How many previews are kept (older uploads are deleted).
KEEP = 8
#: The longest an import may run, in seconds.
TIMEOUT = 900
_RUN_CLI = "from cli.main import main; main(prog_name='reserve')"


@dataclasses.dataclass(frozen=True)
class Run:
    """The outcome of one `reserve import` run.

    Attributes:
      exit_code: 0 on success, 2 for bad input (nothing written), as the command exits.
      output: what the command printed on standard output (the booking summary).
      errors: what it printed on standard error (the message naming file, row and column).
    """

    exit_code: int
    output: str
    errors: str

    @property
    def ok(self) -> bool:
        """Return True when the command succeeded."""
        return self.exit_code == 0

    @property
    def digest(self) -> str:
        """Return a fingerprint of what was printed (to tie a confirm to its preview)."""
        text = f"{self.exit_code}\0{self.output}\0{self.errors}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Importer(Protocol):
    """Book files into the books (or, with `dry_run`, only say what would be booked)."""

    def __call__(
        self, books: str, files: Sequence[str], account: str, *, dry_run: bool
    ) -> Run:
        """Run the import and return its outcome."""


def cli_import(books: str, files: Sequence[str], account: str, *, dry_run: bool) -> Run:
    """Run `reserve import BOOKS FILE... [--account A] [--dry-run]` in a child process."""
    args = [sys.executable, "-c", _RUN_CLI, "import", books, *files]
    if account:
        args += ["--account", account]
    if dry_run:
        args.append("--dry-run")
    try:
        done = subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            cwd=str(Path(books).parent),
            env=dict(os.environ),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return Run(2, "", f"reserve import could not run: {error}")
    return Run(done.returncode, done.stdout, done.stderr)


def safe_name(filename: str, number: int) -> str:
    """Return a file name to store an upload under: its own name if harmless (Chinese kept).

    The importers read the suffix (`.csv`, `.xlsx`), so a name that has to be replaced keeps
    its suffix.
    """
    base = own_name(filename)
    harmless = (
        base
        and not base.startswith(".")
        and len(base.encode("utf-8")) <= 200
        and all(c.isprintable() and c not in "/\\:*?\"<>|" for c in base)
    )
    if harmless:
        return base
    suffix = "".join(c for c in Path(base).suffix if c.isascii() and (c.isalnum() or c == "."))
    name = secure_filename(base) or f"file-{number}"
    return name if name.endswith(suffix) else name + suffix


def own_name(filename: str) -> str:
    """Return an uploaded file's name as the user's machine called it (no folders)."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


@dataclasses.dataclass
class Upload:
    """One preview: the uploaded files, the account asked for and the dry run's outcome.

    Attributes:
      folder: the private temporary folder holding the files.
      names: the names the files are stored under in `folder`.
      account: the paying account asked for ("" for none).
      originals: the files' own names, as uploaded (same order as `names`).
    """

    folder: Path
    names: list[str]
    account: str
    preview: Run | None = None
    booked: Run | None = None
    originals: list[str] = dataclasses.field(default_factory=list)
    #: Held by the confirm that is booking: a second confirm waits for it, then finds `booked`.
    busy: threading.Lock = dataclasses.field(
        default_factory=threading.Lock, repr=False, compare=False
    )

    @property
    def paths(self) -> list[str]:
        """Return the paths of the uploaded files."""
        return [str(self.folder / name) for name in self.names]

    @property
    def shown_names(self) -> list[str]:
        """Return the files' own names (the stored names where none was kept)."""
        return self.originals or self.names

    def shown(self, text: str) -> str:
        """Return the command's text with each stored file's path replaced by its own name.

        `reserve import` names the files as it was given them: the server's temporary
        paths, which mean nothing to the person who uploaded them.
        """
        folders = dict.fromkeys((str(self.folder), os.path.realpath(self.folder)))
        for folder in folders:
            pairs = zip(self.names, self.shown_names, strict=False)
            for stored, own in sorted(pairs, key=lambda pair: -len(pair[0])):  # Longest first.
                text = text.replace(os.path.join(folder, stored), own)
            text = text.replace(folder + os.sep, "")
        return text


class Uploads:
    """The previews of one ledger, by token (thread-safe; the oldest are deleted)."""

    def __init__(self) -> None:
        """Start with no uploads."""
        self._items: OrderedDict[str, Upload] = OrderedDict()
        self._lock = threading.Lock()

    def save(
        self, files: Sequence[FileStorage], account: str, *, limit: int | None = None
    ) -> tuple[str, Upload]:
        """Store uploaded files in a new private folder; return its token and record.

        Raises:
          spool.TooLarge: when the files together hold more than `limit` bytes (default
            `spool.max_upload()`); nothing is kept.
        """
        room = spool.max_upload() if limit is None else limit
        folder = spool.SPOOL.new()
        names: list[str] = []
        originals: list[str] = []
        try:
            for number, storage in enumerate(files, start=1):
                name = safe_name(storage.filename or "", number)
                if name in names:
                    name = f"{number}-{name}"
                room -= spool.copy_limited(storage.stream, folder / name, room)
                names.append(name)
                own = own_name(storage.filename or "") or name
                originals.append(f"{own} ({number})" if own in originals else own)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        token = secrets.token_urlsafe(16)
        upload = Upload(folder, names, account.strip(), originals=originals)
        with self._lock:
            self._items[token] = upload
            while len(self._items) > KEEP:
                _, old = self._items.popitem(last=False)
                shutil.rmtree(old.folder, ignore_errors=True)
        return token, upload

    def get(self, token: str) -> Upload | None:
        """Return the upload of a token, if it is still kept."""
        with self._lock:
            return self._items.get(token)

    def discard_files(self, upload: Upload) -> None:
        """Delete an upload's files (after booking); its record stays for the result page."""
        shutil.rmtree(upload.folder, ignore_errors=True)
