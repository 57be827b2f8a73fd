"""The domain core of reserve: accounts, policy, recipients, findings, checks, reports."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("reserve-ledger")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

# Before any compiled module is imported: a source edited since the compiled build runs as
# source, never shadowed by its old compiled module (`ledger.native`).
from ledger import native as _native

_native.guard()
