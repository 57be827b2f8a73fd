"""The compiled build of the checks' hot modules, and the guard against stale compiled code.

The modules in `MODULES` are compiled with mypyc when the project is installed (`setup.py`,
`docs/compiled.md`): the approval and integrity checks on a city of 100,000 disbursements
then take under 5 % of Beancount's load (issue 3). Each compiled module sits next to its
source, as `<name>.cpython-311-<platform>.so`, and Python imports it before the `.py`.

An editable install compiles in place, so a source edited after the build would be shadowed
by its old compiled module: tests and audits would run code that is not the code on disk.
The build therefore records each source's SHA-256 in `BUILD_FILE`; `guard()` (run by
`ledger/__init__.py`, before any of these modules is imported) compares them with the
sources, and if any differs it makes every listed module load from its source, with one
warning that names the file and says how to rebuild. It is all or none: compiled modules
call one another directly, so a mix of old compiled and new source code is never run.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

#: The modules compiled by mypyc: the shared views and the approval, payments and integrity
#: families (issue 3's checks), with what they call on every entry.
MODULES: tuple[str, ...] = (
    "ledger.accounts",
    "ledger.directory",
    "ledger.disbursement",
    "ledger.findings",
    "ledger.index",
    "ledger.money",
    "ledger.policy",
    "ledger.policy_rules",
    "ledger.postings",
    "ledger.recipients",
    "ledger.tiers",
    "ledger.checks.approval",
    "ledger.checks.approval_case",
    "ledger.checks.approval_meta",
    "ledger.checks.cases",
    "ledger.checks.integrity",
    "ledger.checks.paid_dates",
    "ledger.checks.payment_duplicates",
    "ledger.checks.payment_finding",
    "ledger.checks.payment_windows",
    "ledger.checks.payments",
    "ledger.checks.pii",
    "ledger.checks.pii_scan",
    "ledger.checks.vouch",
)

#: Written by the build next to this file: {"ledger/index.py": "<sha256>", ...}.
BUILD_FILE = "native_build.json"

_ROOT = Path(__file__).resolve().parent.parent


class NativeWarning(RuntimeWarning):
    """The compiled modules are older than their sources: the sources run instead."""


def source_path(module: str, root: Path = _ROOT) -> Path:
    """Return the `.py` file of a listed module under `root` (the directory of `ledger/`)."""
    return root.joinpath(*module.split(".")).with_suffix(".py")


def digest(path: Path) -> str:
    """Return the SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest(root: Path = _ROOT) -> dict[str, str]:
    """Return the build record to write: each listed source's path and SHA-256."""
    return {
        source_path(m, root).relative_to(root).as_posix(): digest(source_path(m, root))
        for m in MODULES
    }


def compiled(module: str) -> bool:
    """Return True if a module (imported now if it is not yet) runs as compiled code."""
    spec = importlib.import_module(module).__spec__
    origin = (spec.origin if spec is not None else None) or ""
    return not origin.endswith(".py")


def stale(root: Path = _ROOT) -> list[str]:
    """Return the sources that differ from the build's record ([] if none, or no build)."""
    record = root / "ledger" / BUILD_FILE
    if not record.is_file():
        return []
    try:
        built = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [record.relative_to(root).as_posix()]
    changed = []
    for name, sha in sorted(built.items()) if isinstance(built, dict) else ():
        path = root / name
        if not path.is_file() or digest(path) != sha:
            changed.append(name)
    return changed


class _SourceFirst(importlib.abc.MetaPathFinder):
    """Load the listed modules from their `.py` files, never from a compiled module."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in MODULES:
            return None
        source = source_path(fullname, self.root)
        if not source.is_file():  # Its compiled module is older than this: never run it.
            raise ImportError(
                f"reserve: {source} is missing; restore it, or reinstall (`pip install -e .`)",
                name=fullname,
            )
        loader = importlib.machinery.SourceFileLoader(fullname, str(source))
        return importlib.util.spec_from_file_location(fullname, source, loader=loader)


def guard(root: Path = _ROOT) -> list[str]:
    """Run the sources instead of compiled modules that are older than them.

    Returns the changed sources ([] when the compiled modules are current, or absent).
    """
    changed = stale(root)
    if changed and not any(isinstance(f, _SourceFirst) for f in sys.meta_path):
        sys.meta_path.insert(0, _SourceFirst(root))
        warnings.warn(
            f"reserve: {', '.join(changed)} changed since the compiled build; running the "
            "sources (slower). Rebuild with `pip install -e .`.",
            NativeWarning,
            stacklevel=2,
        )
    return changed
