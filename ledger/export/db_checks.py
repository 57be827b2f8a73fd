"""Cross-book checks in SQL over every book exported to one database (SPEC §5, §7).

* `RECIPIENT-REPEAT` across counties: a payment to a recipient paid by a township of another
  county, in another book, within the later payment's `split-window` days before it (one
  recipient key city-wide makes the hashes comparable). One finding at the later payment.
* `DUPLICATE-CASE` across books: a case of one county in effect (its relief and advance
  postings net above zero) in two or more books: the county's books were exported more than
  once under different names, or its payments were booked twice. One finding per case.
* `EXPORT-MISMATCH` is `ledger.export.mismatch`'s.

Only payments dated on or before the audit date are considered. Findings are plain
`ledger.findings.Finding`s, rendered like every other audit's.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import Connection
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select

from ledger.export import schema
from ledger.findings import Finding
from ledger.findings import format_amount

Totals = Mapping[tuple[str, str], Decimal]


@dataclasses.dataclass(frozen=True)
class ExportedBook:
    """A row of the `books` table."""

    book_id: int
    name: str
    path: str
    as_of: datetime.date


def has_schema(connection: Connection) -> bool:
    """Return True if the database holds the export's tables."""
    names = set(inspect(connection).get_table_names())
    return {t.name for t in schema.metadata.sorted_tables} <= names


def exported_books(connection: Connection) -> list[ExportedBook]:
    """Return the exported books, by name."""
    b = schema.books
    rows = connection.execute(select(b.c.book_id, b.c.name, b.c.path, b.c.as_of).order_by(b.c.name))
    return [ExportedBook(int(r[0]), r[1], r[2], r[3]) for r in rows]


def amount_of_fen(fen_sum: int | None) -> Decimal:
    """Return a sum of integer fen as yuan."""
    return Decimal(int(fen_sum or 0)).scaleb(-2)


def recipient_repeats(connection: Connection, as_of: datetime.date) -> list[Finding]:
    """Return RECIPIENT-REPEAT findings between books of different counties."""
    p = schema.disbursements.alias("p")
    q = schema.disbursements.alias("q")
    e = schema.entries
    pb = schema.books.alias("pb")
    qb = schema.books.alias("qb")
    day = as_of.toordinal()
    query = (
        select(
            p.c.book_id, p.c.entry_id, e.c.file, e.c.line, p.c.date, p.c.county, p.c.township,
            p.c.township_name, p.c["case"], p.c.amount_text, p.c.currency, p.c.recipient,
            p.c.window_days, p.c.window_origin, pb.c.name, q.c.date, q.c.county,
            q.c.township_name, q.c.amount_text, q.c["case"], qb.c.name, p.c.day - q.c.day,
        )
        .select_from(p)
        .join(q, and_(p.c.recipient == q.c.recipient, p.c.book_id != q.c.book_id,
                      p.c.county != q.c.county))
        .join(e, and_(e.c.book_id == p.c.book_id, e.c.entry_id == p.c.entry_id))
        .join(pb, pb.c.book_id == p.c.book_id)
        .join(qb, qb.c.book_id == q.c.book_id)
        .where(
            p.c.recipient.is_not(None), ~p.c.settlement, ~q.c.settlement,
            p.c.day <= day, q.c.day <= day, p.c.day >= q.c.day,
            p.c.day - q.c.day < p.c.window_days,
        )
        .order_by(p.c.book_id, p.c.entry_id, q.c.day.desc(), qb.c.name)
    )
    found: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    for r in connection.execute(query):
        if (r[0], r[1]) in seen:
            continue  # One finding per later payment, naming the latest earlier one.
        seen.add((r[0], r[1]))
        message = (
            f"RECIPIENT-REPEAT recipient {r[11]} was paid {r[9]} {r[10]} by {r[7]} ({r[5]}, "
            f"book {r[14]}, case {r[8]}) on {r[4]}, {r[21]} day(s) after {r[18]} {r[10]} by "
            f"{r[17]} ({r[16]}, book {r[20]}, case {r[19]}) on {r[15]}: another county within "
            f"the split-window of {r[12]} days ({r[13]})"
        )
        found.append(Finding(
            code="RECIPIENT-REPEAT", message=message, file=r[2] or "", line=r[3] or 0,
            date=str(r[4]), county=r[5], township=r[6], township_name=r[7] or "",
            case=r[8] or "", amount=Decimal(r[9]) if r[9] else None, currency=r[10] or "",
            key=r[11],
        ))
    return found


def duplicate_cases(connection: Connection, as_of: datetime.date) -> list[Finding]:
    """Return DUPLICATE-CASE findings: one county's case in effect in several books."""
    e, p, a, b = schema.entries, schema.postings, schema.accounts, schema.books
    net = func.sum(p.c.amount_fen)
    per_book = (
        select(
            e.c.book_id, a.c.county, e.c["case"], net.label("fen"),
            func.min(e.c.entry_id).label("entry_id"), func.min(a.c.township).label("township"),
            func.min(p.c.currency).label("currency"),
        )
        .select_from(e)
        .join(p, and_(p.c.book_id == e.c.book_id, p.c.entry_id == e.c.entry_id))
        .join(a, and_(a.c.book_id == p.c.book_id, a.c.account == p.c.account))
        .where(e.c.type == "transaction", e.c["case"].is_not(None),
               a.c.role.in_(("relief", "advances")), e.c.date <= as_of)
        .group_by(e.c.book_id, a.c.county, e.c["case"])
        .having(net > 0)
        .cte("per_book")
    )
    dup = (
        select(per_book.c.county, per_book.c["case"])
        .group_by(per_book.c.county, per_book.c["case"])
        .having(func.count() > 1)
        .cte("dup")
    )
    query = (
        select(per_book.c.county, per_book.c["case"], b.c.name, per_book.c.fen,
               per_book.c.township, e.c.file, e.c.line, e.c.date, per_book.c.currency)
        .select_from(per_book)
        .join(dup, and_(dup.c.county == per_book.c.county, dup.c["case"] == per_book.c["case"]))
        .join(b, b.c.book_id == per_book.c.book_id)
        .join(e, and_(e.c.book_id == per_book.c.book_id, e.c.entry_id == per_book.c.entry_id))
        .order_by(per_book.c.county, per_book.c["case"], b.c.name)
    )
    groups: dict[tuple[str, str], list[tuple[str, int, str, str, int, datetime.date, str]]] = (
        defaultdict(list)
    )
    for r in connection.execute(query):
        groups[(r[0], r[1])].append((r[2], r[3], r[4], r[5] or "", r[6] or 0, r[7], r[8] or ""))
    names = township_names(connection)
    found = []
    for (county, case), rows in groups.items():
        _, fen, township, file, line, date, currency = rows[-1]
        listed = ", ".join(
            f"{n} ({format_amount(amount_of_fen(f))} {c})" for n, f, _, _, _, _, c in rows
        )
        message = (
            f"DUPLICATE-CASE case {case} of {names.get((county, ''), county)} ({county}) is in "
            f"effect in {len(rows)} exported books: {listed}; the county's books were exported "
            "more than once under different names, or its payments booked twice"
        )
        found.append(Finding(
            code="DUPLICATE-CASE", message=message, file=file, line=line, date=str(date),
            county=county, township=township or "",
            township_name=names.get((county, township or ""), township or ""), case=case,
            amount=amount_of_fen(fen), currency=currency,
        ))
    return found


def township_names(connection: Connection) -> dict[tuple[str, str], str]:
    """Return the Chinese name of each (county, township) exported; a county's at (c, "")."""
    a = schema.accounts
    rows = connection.execute(
        select(a.c.county, a.c.township, a.c.name).where(
            a.c.role.in_(("treasury", "reserve")), a.c.name.is_not(None)
        )
    )
    return {(r[0], r[1] or ""): r[2] for r in rows}
