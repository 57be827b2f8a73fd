"""The domain core of reserve: accounts, policy, recipients, findings, checks, reports."""

from __future__ import annotations

from importlib import metadata

try:
    __version__ = metadata.version("reserve-ledger")
except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
