"""Where the import page keeps uploaded files, and how big they may be.

Uploaded bank files hold full ID and card numbers, so they do not stay: each process keeps
its previews in one private folder (`Spool`), removed when the process exits; a process
starting removes the folders of earlier processes that are surely abandoned (`sweep`). An
upload larger than `max_upload()` bytes is refused before it is stored (`TooLarge`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import IO

#: The largest upload (all files of one preview, as sent), unless the environment says more.
MAX_UPLOAD_MB = 50
#: The environment variable that sets another limit, in megabytes (1 MB = 1024 * 1024 bytes).
MAX_UPLOAD_VARIABLE = "RESERVE_FAVA_MAX_UPLOAD_MB"
#: The prefix of the upload folders in the system's temporary folder.
PREFIX = "reserve-fava-"
#: The file in a process's upload folder naming the process that owns it.
PID_FILE = "pid"
#: How old (in seconds, by modification time) an earlier process's folder must be to be removed.
STALE_AFTER = 24 * 3600


def max_upload() -> int:
    """Return the largest upload accepted, in bytes: `RESERVE_FAVA_MAX_UPLOAD_MB` or 50 MB.

    A value that is not a positive number of megabytes is ignored (the default holds).
    """
    text = os.environ.get(MAX_UPLOAD_VARIABLE, "").strip()
    try:
        megabytes = float(text) if text else MAX_UPLOAD_MB
    except ValueError:
        megabytes = MAX_UPLOAD_MB
    if not megabytes > 0 or megabytes == float("inf"):
        megabytes = MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


class TooLarge(Exception):
    """An upload is larger than the limit (nothing of it is kept)."""


def copy_limited(source: IO[bytes], target: Path, room: int) -> int:
    """Copy a stream to a new file and return its size; raise `TooLarge` beyond `room` bytes."""
    size = 0
    with open(target, "xb") as out:
        while chunk := source.read(1024 * 1024):
            size += len(chunk)
            if size > room:
                raise TooLarge
            out.write(chunk)
    return size


def _alive(pid: int) -> bool:
    """Return True unless the process is surely gone (another user's process counts as alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep(parent: str | None = None, *, now: float | None = None) -> list[Path]:
    """Remove earlier processes' upload folders that are surely abandoned; return them.

    A folder `reserve-fava-*` in the temporary folder is removed only when all hold: it is
    a real folder (not a link) owned by this user; it was last modified more than a day ago
    (`STALE_AFTER`); and it has no readable pid file (a folder of an older version, or a
    preview's folder) or its pid file names a process that no longer exists. A running
    server's folder is kept however old, and so is any folder whose owner cannot be told.
    """
    base = Path(parent or tempfile.gettempdir())
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = sorted(base.glob(PREFIX + "*"))
    except OSError:
        return removed
    for folder in candidates:
        try:
            info = folder.lstat()
        except OSError:
            continue
        if (
            not folder.is_dir()
            or folder.is_symlink()
            or info.st_uid != os.getuid()
            or moment - info.st_mtime <= STALE_AFTER
        ):
            continue
        try:
            owner = int((folder / PID_FILE).read_text(encoding="ascii").split()[0])
        except FileNotFoundError:
            owner = 0
        except (OSError, ValueError, IndexError):
            continue  # Unreadable: keep it.
        if owner and _alive(owner):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


class Spool:
    """This process's upload folder: `<tmp>/reserve-fava-<pid>-<random>/`, with a pid file.

    Created on the first upload and removed when the process exits (`atexit`; a process
    killed by a signal leaves it for a later process's `sweep`).
    """

    def __init__(self, parent: str | None = None) -> None:
        """Use a folder under `parent` (default: the system's temporary folder)."""
        self._parent = parent
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def folder(self) -> Path:
        """Return the process's upload folder, created (private to this user) if needed."""
        with self._lock:
            if self._folder is None or not self._folder.is_dir():
                folder = Path(
                    tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=self._parent)
                )
                (folder / PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
                if self._folder is None:
                    atexit.register(self.remove)
                self._folder = folder
            return self._folder

    def new(self) -> Path:
        """Return a new private folder for one preview."""
        return Path(tempfile.mkdtemp(prefix="upload-", dir=self.folder()))

    def remove(self) -> None:
        """Remove the process's upload folder and everything in it."""
        with self._lock:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)


#: The upload folder of this process.
SPOOL = Spool()

_swept = threading.Lock()
_swept_once: list[bool] = []


def sweep_once() -> None:
    """Run `sweep` the first time it is called in this process (a page being created)."""
    with _swept:
        if _swept_once:
            return
        _swept_once.append(True)
    with contextlib.suppress(OSError):
        sweep()


