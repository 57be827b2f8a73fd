"""Shared fixtures: inline ledgers (`load_doc`), synthetic people, a recipient key."""

from __future__ import annotations

import datetime
import inspect
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from ledger import books as books_mod
from ledger.books import Books

#: A demo-only key (never used for real books).
TEST_KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"


@pytest.fixture
def recipient_key(monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Set RESERVE_RECIPIENT_KEY to the test key and return its bytes."""
    monkeypatch.setenv("RESERVE_RECIPIENT_KEY", TEST_KEY_HEX)
    return bytes.fromhex(TEST_KEY_HEX)


def write_books(tmp_path: Path, text: str, name: str = "main.beancount") -> Path:
    """Write a ledger text (dedented) to tmp_path/name and return its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def books_from(tmp_path: Path) -> Callable[..., Books]:
    """Return a function loading a ledger text as Books (uncached) with an audit date."""

    def load(text: str, as_of: str | datetime.date = "2026-01-01") -> Books:
        date = as_of if isinstance(as_of, datetime.date) else datetime.date.fromisoformat(as_of)
        return books_mod.load(write_books(tmp_path, text), date)

    return load


@pytest.fixture
def load_doc(request: pytest.FixtureRequest, books_from: Callable[..., Books]) -> Books:
    """Return the Books of the calling test's docstring (the ledger), as of 2026-01-01.

    A test may set `as_of` by a module or class attribute `AS_OF = "YYYY-MM-DD"`.
    """
    doc = inspect.getdoc(request.function) or ""
    as_of = getattr(request.instance, "AS_OF", None) or getattr(request.module, "AS_OF", None)
    return books_from(doc, as_of or "2026-01-01")
