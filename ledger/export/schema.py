"""The SQL schema of `reserve export` (SQLAlchemy Core; SQLite and PostgreSQL).

Every table but `books` carries `book_id`: re-exporting a book deletes and rewrites exactly
its rows, in one transaction. Amounts are exact, never floating point: `*_fen` holds the
number × 100 as an integer (NULL when the number has more than two decimals), `*_text` the
number as Beancount holds it (`str(Decimal)`), `currency` its currency. Dates are SQL DATEs.
docs/sql.md documents each column and shows queries.
"""

from __future__ import annotations

from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Column
from sqlalchemy import Date
from sqlalchemy import ForeignKey
from sqlalchemy import ForeignKeyConstraint
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import MetaData
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import Text

#: Version of this schema, kept in `books.schema_version`.
SCHEMA_VERSION = 1

metadata = MetaData()


def _book() -> Column[int]:
    return Column(
        "book_id", Integer, ForeignKey("books.book_id", ondelete="CASCADE"), primary_key=True
    )


def _amount(prefix: str = "amount") -> list[Column[object]]:
    return [
        Column(f"{prefix}_fen", BigInteger, comment="number × 100, NULL if not whole fen"),
        Column(f"{prefix}_text", Text, comment="the exact decimal number"),
    ]


books = Table(
    "books",
    metadata,
    Column("book_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True, comment="--book NAME"),
    Column("path", Text, nullable=False, comment="absolute path of the main file"),
    Column("as_of", Date, nullable=False, comment="audit date of the exported findings"),
    Column("exported_at", Text, nullable=False, comment="ISO timestamp, UTC"),
    Column("entries", Integer, nullable=False),
    Column("postings", Integer, nullable=False),
    Column("schema_version", Integer, nullable=False),
    comment="One row per exported book.",
)

accounts = Table(
    "accounts",
    metadata,
    _book(),
    Column("account", String(400), primary_key=True),
    Column("open_date", Date),
    Column("close_date", Date),
    Column("currencies", Text, comment="space-separated constraint currencies"),
    Column("role", String(20), comment="treasury, reserve, relief, ... (NULL: other)"),
    Column("county", String(100)),
    Column("township", String(100)),
    Column("procedure", String(20)),
    Column("name", Text, comment="Chinese name from the open metadata"),
    Column("population", BigInteger),
    Column("bank_account", Text),
    Column("budget_code", Text),
    Column("file", Text),
    Column("line", Integer),
    comment="Every account opened in the book, with the project's attributes.",
)

entries = Table(
    "entries",
    metadata,
    _book(),
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, nullable=False),
    Column("type", String(20), nullable=False, comment="transaction, open, custom, ..."),
    Column("flag", String(4)),
    Column("payee", Text),
    Column("narration", Text),
    Column("tags", Text, comment="space-separated, sorted"),
    Column("links", Text, comment="space-separated, sorted"),
    Column("account", String(400), comment="of open, close, balance, pad, note, document"),
    Column("custom_type", String(100), comment="of custom entries"),
    Column("detail", Text, comment="other values, as text"),
    Column("case", Text, comment="case metadata (or the case a reversal names)"),
    Column("recipient", String(40)),
    Column("file", Text),
    Column("line", Integer),
    comment="Every directive of the book, in Beancount's order (entry_id from 1).",
)

postings = Table(
    "postings",
    metadata,
    _book(),
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("posting_no", Integer, primary_key=True, autoincrement=False),
    Column("account", String(400), nullable=False),
    *_amount(),
    Column("currency", String(24)),
    Column("cost_text", Text, comment="cost as Beancount prints it, if any"),
    Column("price_text", Text, comment="price as Beancount prints it, if any"),
    Column("flag", String(4)),
    ForeignKeyConstraint(
        ["book_id", "entry_id"], ["entries.book_id", "entries.entry_id"], ondelete="CASCADE"
    ),
    comment="Every posting of every transaction (posting_no from 1).",
)

entry_metadata = Table(
    "metadata",
    metadata,
    _book(),
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("posting_no", Integer, primary_key=True, autoincrement=False, comment="0: entry"),
    Column("key", String(200), primary_key=True),
    Column("type", String(10), nullable=False, comment="text, number, date, bool, amount"),
    Column("value_text", Text, comment="text; an amount as '450.00 CNY'"),
    Column("value_number", Text, comment="exact decimal text of a number or amount"),
    Column("value_date", Date),
    Column("value_bool", Boolean),
    ForeignKeyConstraint(
        ["book_id", "entry_id"], ["entries.book_id", "entries.entry_id"], ondelete="CASCADE"
    ),
    comment="Typed metadata of entries and postings (not filename/lineno).",
)

approvals = Table(
    "approvals",
    metadata,
    _book(),
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, nullable=False),
    Column("case", Text),
    Column("county", String(100)),
    Column("township", String(100)),
    Column("township_name", Text),
    Column("procedure", String(20)),
    Column("approval", String(20)),
    Column("approver", Text),
    Column("recipient", String(40)),
    Column("name", Text),
    *_amount(),
    Column("currency", String(24)),
    Column("ratio_text", Text),
    Column("applied", Date),
    Column("notice", Date),
    Column("decision", Text),
    Column("category", Text),
    comment='The approval register: one row per custom "approval".',
)

disbursements = Table(
    "disbursements",
    metadata,
    _book(),
    Column("entry_id", Integer, primary_key=True, autoincrement=False),
    Column("date", Date, nullable=False),
    Column("day", Integer, nullable=False, comment="date as a day number (proleptic ordinal)"),
    Column("county", String(100), nullable=False),
    Column("township", String(100), nullable=False),
    Column("township_name", Text),
    Column("procedure", String(20), nullable=False, comment="small/general/emergency/advance"),
    Column("account", String(400), nullable=False),
    *_amount(),
    Column("currency", String(24)),
    Column("case", Text),
    Column("recipient", String(40)),
    Column("settlement", Boolean, nullable=False, comment="an advance's settlement"),
    Column("window_days", Integer, nullable=False, comment="split-window in force"),
    Column("window_origin", Text, comment="the policy directive it comes from"),
    comment="Transactions paying relief or an advance, dated up to the book's as_of.",
)

findings = Table(
    "findings",
    metadata,
    _book(),
    Column("finding_no", Integer, primary_key=True, autoincrement=False),
    Column("code", String(40), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("explained", Boolean, nullable=False),
    Column("message", Text, nullable=False),
    Column("file", Text),
    Column("line", Integer),
    Column("date", Date),
    Column("county", String(100)),
    Column("township", String(100)),
    Column("township_name", Text),
    Column("case", Text),
    *_amount(),
    Column("currency", String(24)),
    comment="The book's audit findings as of books.as_of.",
)

bank_batches = Table(
    "bank_batches",
    metadata,
    _book(),
    Column("batch", String(200), primary_key=True),
    Column("rows", Integer, nullable=False, comment="entries carrying the batch"),
    Column("paid", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("pending", Integer, nullable=False),
    Column("returned", Integer, nullable=False),
    *_amount(),
    Column("currency", String(24)),
    Column("first_date", Date),
    Column("last_date", Date),
    Column("source_sha256", Text, comment="space-separated hashes of the bank files"),
    comment="Bank batches (代发批次): imported rows and payout-failed records per batch.",
)

totals = Table(
    "totals",
    metadata,
    _book(),
    Column("account", String(400), primary_key=True),
    Column("currency", String(24), primary_key=True),
    *_amount(),
    comment="Per-account totals computed from the books at export time (EXPORT-MISMATCH).",
)

Index("disbursements_recipient", disbursements.c.recipient, disbursements.c.day)
Index("disbursements_case", disbursements.c.county, disbursements.c["case"])

#: Tables holding a book's rows, children first (the order to delete them in).
BOOK_TABLES: tuple[Table, ...] = (
    entry_metadata,
    postings,
    approvals,
    disbursements,
    findings,
    bank_batches,
    totals,
    accounts,
    entries,
)
