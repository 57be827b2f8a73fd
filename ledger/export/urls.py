"""Database URLs of the export: the default beside the books, validation, clear errors.

`reserve export` and `reserve audit --db` take a SQLAlchemy URL: `sqlite:///PATH` or
`postgresql+psycopg://user@host:port/db` (`postgresql://` and `postgres://` mean psycopg 3).
A plain path ending in `.sqlite`, `.sqlite3` or `.db` is a SQLite file. Without `--db` the
export writes `reserve.sqlite` beside the books' main file. Every problem (a malformed URL, an
unsupported database, a server that does not answer) is a `DatabaseError` with one clear
sentence, raised before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy
from sqlalchemy import exc
from sqlalchemy.engine import URL
from sqlalchemy.engine import Engine

#: File name of the default database, beside the books' main file.
DEFAULT_NAME = "reserve.sqlite"
_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_PG_DRIVERS = {"postgresql", "postgres", "postgresql+psycopg"}


class DatabaseError(Exception):
    """The database cannot be used: bad URL, unsupported, unreachable, or not an export."""


def default_url(books_path: str | Path) -> str:
    """Return the URL of the default database: reserve.sqlite beside the books."""
    return f"sqlite:///{Path(books_path).resolve().parent / DEFAULT_NAME}"


def parse(url: str) -> URL:
    """Return the SQLAlchemy URL of a `--db` value, normalised to a supported driver.

    Raises:
      DatabaseError: a malformed URL, or a database other than SQLite and PostgreSQL.
    """
    text = url.strip()
    if "://" not in text:
        if text.lower().endswith(_SQLITE_SUFFIXES):
            return sqlalchemy.engine.make_url(f"sqlite:///{Path(text).resolve()}")
        raise DatabaseError(
            f"--db {url!r} is not a database URL (sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DB) nor a .sqlite file"
        )
    try:
        parsed = sqlalchemy.engine.make_url(text)
    except exc.ArgumentError:
        raise DatabaseError(f"--db {url!r} is not a valid database URL") from None
    if parsed.drivername in _PG_DRIVERS:
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername not in ("sqlite", "sqlite+pysqlite"):
        raise DatabaseError(
            f"--db: database {parsed.drivername!r} is not supported "
            "(use sqlite:///PATH or postgresql+psycopg://...)"
        )
    if parsed.get_backend_name() == "sqlite" and not parsed.database:
        raise DatabaseError("--db: a SQLite URL needs a file (sqlite:///PATH), not memory")
    if parsed.get_backend_name() == "postgresql" and not parsed.database:
        raise DatabaseError(f"--db {shown(parsed)!r}: the URL names no database")
    return parsed


def shown(url: URL) -> str:
    """Return a URL for messages, its password hidden."""
    return url.render_as_string(hide_password=True)


def connect(url: str, *, must_exist: bool = False) -> Engine:
    """Return an engine for a `--db` value, after checking that the database answers.

    Args:
      url: the `--db` value.
      must_exist: for reading (the SQL audit): a SQLite file must already exist (SQLite
        would otherwise create an empty one).

    Raises:
      DatabaseError: the URL is bad, or the database cannot be reached.
    """
    parsed = parse(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if must_exist and not path.is_file():
            raise DatabaseError(f"--db {shown(parsed)!r}: no such database file {path}")
        if not path.parent.is_dir():
            raise DatabaseError(f"--db {shown(parsed)!r}: folder {path.parent} does not exist")
    else:
        kwargs["connect_args"] = {"connect_timeout": 10}
    try:
        engine = sqlalchemy.create_engine(parsed, **kwargs)
    except (exc.ArgumentError, exc.NoSuchModuleError, ImportError) as error:
        raise DatabaseError(f"--db {shown(parsed)!r}: {error}") from None
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except exc.DBAPIError as error:
        engine.dispose()
        reason = " ".join(str(error.orig).split()) if error.orig is not None else str(error)
        raise DatabaseError(f"--db {shown(parsed)!r}: cannot connect: {reason}") from None
    return engine
