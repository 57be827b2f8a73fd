"""Writing to the books safely: all-or-nothing changes, explicit includes, one writer at a time.

Every command that adds entries (import, allocate, seal) goes through `Transaction`: it takes
an exclusive lock on the books and stages whole new file contents. `commit` then

1. writes each new content to a temporary file beside its target and fsyncs it;
2. writes a journal naming every (temporary file, target) pair and renames it into place:
   this rename is the commit point;
3. renames each temporary file over its target (the main file, with any new `include`
   line, last) and removes the journal.

A crash before step 2 leaves the books as they were (its temporary files, never included
anywhere, may remain beside their targets: docs/reliability.md); a crash after it is rolled
forward by `recover`, which every writer, a dry run and `ledger.books.load` run first.
Either way the books end exactly before or after the change.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import tempfile
from pathlib import Path
from types import TracebackType

#: Fault injection for the crash tests: SIGKILL this process after that many renames.
KILL_AFTER_ENV = "RESERVE_TEST_KILL_AFTER_RENAMES"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    # Keep an existing file's mode; a new file gets the usual 0666 less the umask.
    if path.exists():
        return path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _write_temp(path: Path, text: str) -> Path:
    """Write text to a new temporary file beside path (fsynced); return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write(path: Path, text: str) -> None:
    """Replace one file's contents with text atomically (temp file, fsync, rename)."""
    tmp = _write_temp(path, text)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def include_line(main: Path, target: Path) -> str:
    """Return the `include` line naming target relative to the main file's folder."""
    relative = os.path.relpath(target, main.parent).replace(os.sep, "/")
    return f'include "{relative}"'


def journal_path(main: Path) -> Path:
    """Return the journal file of the books whose top-level file is main."""
    return main.parent / f".{main.name}.journal"


def recover(main: str | os.PathLike[str]) -> bool:
    """Finish a committed change interrupted by a crash; return True if there was one.

    The caller must hold the books' lock (writers do), or accept racing a writer (a reader
    finding a journal only ever completes renames the writer itself would make).
    """
    journal = journal_path(Path(main).resolve())
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return False
    except (OSError, ValueError):
        journal.unlink(missing_ok=True)  # A torn journal was never renamed into place.
        return False
    for tmp, target in pairs:
        if os.path.exists(tmp):
            os.replace(tmp, target)
            _fsync_dir(Path(target).parent)
    journal.unlink(missing_ok=True)
    _fsync_dir(journal.parent)
    return True


class Transaction:
    """An exclusive, all-or-nothing change to the books' files.

    Usage:
        with bookfile.Transaction(main_file) as change:
            change.append(Path("2025/yingze.beancount"), text)
            change.commit()
    Without `commit()` nothing is written.
    """

    def __init__(self, main_file: str | os.PathLike[str]) -> None:
        """Prepare a change of the books whose top-level file is main_file."""
        self.main = Path(main_file).resolve()
        self._lock_path = self.main.parent / f".{self.main.name}.lock"
        self._lock_fd: int | None = None
        self._staged: dict[Path, str] = {}
        self._includes: list[Path] = []

    def __enter__(self) -> Transaction:
        """Take the books' lock (waits for another writer), then finish any crashed change."""
        self._lock_fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        recover(self.main)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Release the lock; staged changes not committed are dropped."""
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def current(self, path: Path) -> str:
        """Return a file's text as staged so far (or on disk, or "")."""
        path = self._resolve(path)
        if path in self._staged:
            return self._staged[path]
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def _resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else (self.main.parent / path).resolve()

    def append(self, path: Path, text: str, header: str = "") -> None:
        """Stage text appended to a file (created with header if new, then included)."""
        path = self._resolve(path)
        existing = self.current(path)
        if not existing and not path.exists():
            existing = header
            if path != self.main:
                self._includes.append(path)
        if existing and not existing.endswith("\n"):
            existing += "\n"
        separator = "\n" if existing.strip() else ""
        self._staged[path] = existing + separator + text

    def replace(self, path: Path, text: str) -> None:
        """Stage a whole new text for a file."""
        self._staged[self._resolve(path)] = text

    def commit(self) -> list[Path]:
        """Write every staged file, all or nothing, the main file last; return the paths."""
        main_text = self.current(self.main)
        lines = set(main_text.splitlines())
        new_includes = [include_line(self.main, p) for p in self._includes]
        missing = [line for line in new_includes if line not in lines]
        if missing:
            if main_text and not main_text.endswith("\n"):
                main_text += "\n"
            main_text += "\n".join(missing) + "\n"
            self._staged[self.main] = main_text
        order = sorted(self._staged, key=lambda p: (p == self.main, str(p)))
        temps: list[Path] = []
        try:
            for path in order:
                temps.append(_write_temp(path, self._staged[path]))
            pairs = [[str(t), str(p)] for t, p in zip(temps, order, strict=True)]
            journal = journal_path(self.main)
            tmp_journal = _write_temp(journal, json.dumps(pairs, ensure_ascii=False))
        except BaseException:
            for tmp in temps:
                tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp_journal, journal)  # The commit point.
        _fsync_dir(journal.parent)
        kill_after = os.environ.get(KILL_AFTER_ENV)
        for done, (tmp, path) in enumerate(zip(temps, order, strict=True)):
            if kill_after is not None and done == int(kill_after):
                os.kill(os.getpid(), signal.SIGKILL)
            os.replace(tmp, path)
            _fsync_dir(path.parent)
        journal.unlink()
        _fsync_dir(journal.parent)
        self._staged.clear()
        self._includes.clear()
        return order
