"""EXPORT-MISMATCH: a book's per-account totals in SQL against the books' own (SPEC §5).

The SQL totals are summed exactly from integer fen (from the exact text for a number finer
than a fen). The reference is the books' own totals, or those recorded at export time
(`recorded_totals`). An amount in SQL that is no number is damage: it is named in the
finding, never a traceback. One finding per account, at its `open`.
"""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation

from sqlalchemy import Connection
from sqlalchemy import String
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import select

from ledger import accounts as accounts_mod
from ledger.export import schema
from ledger.export.db_checks import ExportedBook
from ledger.export.db_checks import Totals
from ledger.export.db_checks import amount_of_fen
from ledger.export.db_checks import township_names
from ledger.findings import Finding

#: Per (account, currency): what is wrong with its SQL rows (amounts that are no number).
Damage = dict[tuple[str, str], list[str]]


def _number(text: str | None) -> Decimal | None:
    """Return the Decimal an amount's text holds, None if it holds no finite number."""
    try:
        value = Decimal(text) if text is not None else None
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value is not None and value.is_finite() else None


def sql_totals(connection: Connection, book_id: int) -> tuple[dict[tuple[str, str], Decimal], Damage]:
    """Return a book's per-account totals as the SQL rows sum them (exactly), and the damage.

    Amounts are summed from integer fen; a number finer than a fen (fen NULL) from its text.
    A posting whose fen is NULL and whose text is no number is damage: it is named, and left
    out of the total.
    """
    p = schema.postings
    rows = connection.execute(
        select(p.c.account, p.c.currency, func.sum(p.c.amount_fen),
               func.count() - func.count(p.c.amount_fen))
        .where(p.c.book_id == book_id, p.c.amount_text.is_not(None))
        .group_by(p.c.account, p.c.currency)
    )
    totals: dict[tuple[str, str], Decimal] = {}
    damage: Damage = {}
    uneven: list[tuple[str, str]] = []
    for account, currency, fen_sum, not_fen in rows:
        totals[(account, currency)] = amount_of_fen(fen_sum)
        if not_fen:
            uneven.append((account, currency))
    for account, currency in uneven:  # Numbers finer than a fen: summed exactly from text.
        texts = connection.execute(
            select(p.c.entry_id, p.c.posting_no, p.c.amount_text).where(
                p.c.book_id == book_id, p.c.account == account, p.c.currency == currency,
                p.c.amount_fen.is_(None), p.c.amount_text.is_not(None),
            )
        )
        for entry_id, posting_no, text in texts:
            number = _number(text)
            if number is None:
                damage.setdefault((account, currency), []).append(
                    f"posting {posting_no} of entry {entry_id} has amount {text!r}, no number"
                )
            else:
                totals[(account, currency)] += number
    return totals, damage


def recorded_totals(
    connection: Connection, book_id: int
) -> tuple[dict[tuple[str, str], Decimal], Damage]:
    """Return the per-account totals recorded at export time (`totals`), and the damage.

    A recorded total that is no number is damage: it is named, and left out.
    """
    t = schema.totals
    rows = connection.execute(
        select(t.c.account, t.c.currency, t.c.amount_text).where(t.c.book_id == book_id)
    )
    totals: dict[tuple[str, str], Decimal] = {}
    damage: Damage = {}
    for account, currency, text in rows:
        number = _number(text)
        if number is None:
            damage[(account, currency)] = [f"its total recorded at export is {text!r}, no number"]
        else:
            totals[(account, currency)] = number
    return totals, damage


def mismatches(
    connection: Connection,
    book: ExportedBook,
    reference: Totals,
    against: str,
    damage: Damage | None = None,
) -> list[Finding]:
    """Return EXPORT-MISMATCH findings: accounts whose SQL total differs from the reference.

    One finding per account (SPEC §5: one per entry, here the account's `open`), stating each
    currency that differs and any damaged amount.

    Args:
      book: the exported book.
      reference: the books' own totals per (account, currency).
      against: what the reference is, for the message ("the books main.beancount").
      damage: what is wrong with the reference's rows, if it is the recorded totals.
    """
    in_sql, broken = sql_totals(connection, book.book_id)
    for key, told in (damage or {}).items():
        broken.setdefault(key, []).extend(told)
    a = schema.accounts
    opens = {
        r[0]: (r[1] or "", r[2] or 0, r[3])
        for r in connection.execute(
            # As text: a damaged date in SQL is shown as "", never a traceback.
            select(a.c.account, a.c.file, a.c.line, cast(a.c.open_date, String))
            .where(a.c.book_id == book.book_id)
        )
    }
    names = township_names(connection)
    facts: dict[str, list[str]] = {}
    differences: dict[str, tuple[Decimal, str]] = {}
    for key in sorted(set(in_sql) | set(reference) | set(broken)):
        account, currency = key
        sql_total = in_sql.get(key, Decimal(0))
        own = reference.get(key, Decimal(0))
        if key in broken:
            facts.setdefault(account, []).extend(f"{currency}: {why}" for why in broken[key])
        elif sql_total == own:
            continue
        else:
            facts.setdefault(account, []).append(
                f"totals {sql_total} {currency} in SQL but {own} {currency} in {against}"
            )
        differences.setdefault(account, (sql_total - own, currency))
    found = []
    for account, told in facts.items():
        info = accounts_mod.parse(account)
        county = info.county if info else ""
        township = info.township if info else ""
        name = names.get((county, township), "") if info else ""
        file, line, opened = opens.get(account, (book.path, 0, None))
        amount, currency = differences[account]
        where = f"{name} " if name else ""
        found.append(Finding(
            code="EXPORT-MISMATCH",
            message=(
                f"EXPORT-MISMATCH book {book.name}: {where}{account} "
                f"{'; '.join(told)}; export the book again"
            ),
            file=file, line=line, date=_iso(opened),
            county=county, township=township, township_name=name,
            amount=amount, currency=currency, key=account,
        ))
    return found


def _iso(text: str | None) -> str:
    """Return a date's text as YYYY-MM-DD, "" when it is none."""
    return text[:10] if text and len(text) >= 10 and text[4] == "-" and text[7] == "-" else ""
