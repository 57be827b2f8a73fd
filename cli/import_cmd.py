"""`reserve import`: book approval registers, bank request files and result files.

Thin over `importers.session`, which Fava's import page uses too (SPEC §7, §10).
"""

from __future__ import annotations

import click

from cli.errors import UsageError
from cli.options import books_argument
from importers import session


@click.command("import")
@books_argument
@click.argument(
    "files",
    nargs=-1,
    required=True,
    metavar="FILE...",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
)
@click.option("--account", metavar="ACCOUNT", help="Paying account (overrides 付款账号).")
@click.option("--dry-run", is_flag=True, help="Print the entries; write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
def command(
    books: str, files: tuple[str, ...], account: str | None, dry_run: bool, fmt: str
) -> None:
    """Import approval registers, bank request files (报盘) and result files (回盘).

    Registers are booked first, then request files, then result files. Every file is
    validated before anything is written; re-importing a file books nothing twice.
    ACCOUNT is a Beancount account or a bank account number of the books.

    \b
    Examples:
      reserve import books/main.beancount 审批台账.xlsx 报盘-2025-03.csv
      reserve import books/main.beancount 回盘-2025-03.txt --dry-run
      reserve import books/main.beancount 回盘.csv --account Assets:Treasury:Yingze
    """
    try:
        output = session.import_files(books, files, account, dry_run, fmt)
    except session.ImportFailed as exc:
        raise UsageError(str(exc)) from None
    click.echo(output, nl=False)
