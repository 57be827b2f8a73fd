"""`reserve audit`: every check of SPEC §5 with one audit date."""

from __future__ import annotations

import click

from cli import render
from cli.errors import UsageError
from cli.options import as_of_option
from cli.options import audited
from cli.options import books_for_audit
from cli.options import parse_date
from ledger import audit as audit_mod
from ledger.findings import sort_key


@click.command("audit")
@click.argument("books", required=False, type=click.Path(dir_okay=False), metavar="BOOKS")
@as_of_option
@click.option(
    "--bank",
    "banks",
    multiple=True,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="A bank result file to reconcile against (repeatable).",
)
@click.option(
    "--trust",
    metavar="PUBKEY",
    type=click.Path(dir_okay=False),
    help="Public key (PEM) that must have signed every seal.",
)
@click.option("--db", metavar="URL", help="Audit every book exported to this database.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def command(
    books: str | None,
    as_of: str | None,
    banks: tuple[str, ...],
    trust: str | None,
    db: str | None,
    fmt: str,
) -> None:
    """Run every check on BOOKS and list the findings.

    Exit 0 when no unexplained error-level finding remains, 1 when one does, 2 for bad input.
    The books are loaded without Beancount's cache, and every check runs with the audit date
    whether or not the books declare the plugins. The audit date is --as-of, else the as_of
    of the project plugins' config in the books (plugin "plugins.advances"
    "{'as_of': 'YYYY-MM-DD'}"; plugins declaring different dates are exit 2), else today.

    \b
    Examples:
      reserve audit books/main.beancount
      reserve audit books/main.beancount --as-of 2025-12-31 --format json
      reserve audit books/main.beancount --bank 回盘-2025-03.csv
    """
    date = parse_date(as_of, "--as-of")
    if db is not None and (banks or trust):
        option = "--bank" if banks else "--trust"
        raise UsageError(
            f"{option} checks one book's files against BOOKS; it cannot be used with --db "
            "(run reserve audit BOOKS --bank/--trust on that book)"
        )
    if db is not None:
        from cli.db_audit import run_db_audit

        run_db_audit(db, fmt, books, date)
        return
    if books is None:
        raise UsageError("give BOOKS, or --db URL for the cross-book checks")
    loaded = books_for_audit(books, date)
    findings = audited(books, loaded)
    if banks:
        from cli.bank_audit import bank_findings

        findings = sorted(findings + bank_findings(loaded, list(banks)), key=sort_key)
    if trust:
        from cli.trust import with_trust

        findings = with_trust(loaded, trust, findings)
    notes = render.unsigned_notes(loaded.index.unsigned_explanations)
    click.echo(render.render(findings, fmt, loaded.as_of.isoformat(), notes), nl=False)
    raise SystemExit(audit_mod.exit_code(findings))
