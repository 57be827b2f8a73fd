"""Writing to the books safely: atomic files, explicit includes, one writer at a time.

Every command that adds entries (import, allocate, seal) goes through `Transaction`: it takes
an exclusive lock on the books, stages whole new file contents, and on commit writes each to a
temporary file in the same folder, fsyncs it and renames it over the old one, the main file
(with any new `include` line) last. A crash leaves either the old or the new state of each
file, and a new file is only reachable once the main file's include names it.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path
from types import TracebackType


def atomic_write(path: Path, text: str) -> None:
    """Replace path's contents with text atomically (temp file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # Keep an existing file's mode; a new file gets the usual 0666 less the umask.
        if path.exists():
            mode = path.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def include_line(main: Path, target: Path) -> str:
    """Return the `include` line naming target relative to the main file's folder."""
    relative = os.path.relpath(target, main.parent).replace(os.sep, "/")
    return f'include "{relative}"'


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
        """Take the books' lock (waits for another writer to finish)."""
        self._lock_fd = os.open(self._lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
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
        """Write every staged file atomically, the main file last; return the paths."""
        main_text = self.current(self.main)
        lines = set(main_text.splitlines())
        new_includes = [include_line(self.main, p) for p in self._includes]
        missing = [line for line in new_includes if line not in lines]
        if missing:
            if main_text and not main_text.endswith("\n"):
                main_text += "\n"
            main_text += "\n".join(missing) + "\n"
            self._staged[self.main] = main_text
        written = []
        for path in sorted(self._staged, key=lambda p: p == self.main):
            atomic_write(path, self._staged[path])
            written.append(path)
        self._staged.clear()
        self._includes.clear()
        return written
