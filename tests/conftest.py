"""Shared fixtures: inline ledgers (`load_doc`), synthetic people, a recipient key.

Also the fixtures shared by the modules of one subject: the Fava test city, the export
databases and books, the clean demo books. Their helper modules (`fava_fixtures`,
`export_fixtures`, `sql_fixtures`, `demo_fixtures`) are imported inside the fixtures, so
that loading this file never imports Fava, SQLAlchemy or the demo generator.
"""

from __future__ import annotations

import datetime
import inspect
import textwrap
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ledger import books as books_mod
from ledger.books import Books

if TYPE_CHECKING:
    from flask.testing import FlaskClient
    from sqlalchemy import Engine

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


# The Fava test city (tests/test_reserve_fava_*.py) -----------------------------------------


@pytest.fixture
def books_path(tmp_path: Path) -> Path:
    from fava_fixtures import write_fava_books

    return write_fava_books(tmp_path)


@pytest.fixture
def client(books_path: Path) -> FlaskClient:
    from fava_fixtures import client_for

    return client_for(books_path)[1]


# Export databases and books (tests/test_ledger_export_*.py) --------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh database URL: a SQLite file, or a new database on the test server."""
    import sql_fixtures as fx

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'city.sqlite'}"
        return
    fx.require_postgres()
    with fx.postgres_database() as url:
        yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """Yield an engine on the test database."""
    from ledger.export import urls

    made = urls.connect(db_url)
    yield made
    made.dispose()


@pytest.fixture
def book_a(tmp_path: Path) -> Books:
    import sql_fixtures as fx
    from export_fixtures import AS_OF

    return books_mod.load(fx.write(tmp_path / "yingze", fx.BOOK_A), AS_OF)


@pytest.fixture
def book_b(tmp_path: Path) -> Books:
    import sql_fixtures as fx
    from export_fixtures import AS_OF

    return books_mod.load(fx.write(tmp_path / "wanbailin", fx.BOOK_B), AS_OF)


# The clean demo books (tests/test_ledger_demo_*.py) ----------------------------------------


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from demo_fixtures import SMALL

    from ledger.demo import generate

    out = tmp_path_factory.mktemp("clean")
    generate(SMALL, out)
    return out
