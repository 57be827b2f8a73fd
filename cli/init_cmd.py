"""`reserve init`: new books from a township table (SPEC §2, §4, §7)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from cli import township_table
from cli.errors import UsageError
from cli.options import parse_date
from importers.errors import InputError
from ledger import bookfile
from ledger import init_books

KEY_HINT = (
    "Next: put the city's recipient key in {key} (the same key for every county's books;\n"
    "never commit it). To make a new one:\n"
    '  python -c "import secrets; print(secrets.token_hex(32))" > {key}'
)


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
@click.option(
    "--townships", "table", required=True, type=click.Path(dir_okay=False), metavar="FILE",
    help="Township table (CSV or XLSX).",
)
@click.option(
    "--date", "opened", metavar="YYYY-MM-DD",
    help="Date of the open entries (default: 1 January of this year).",
)
def command(directory: Path, table: str, opened: str | None) -> None:
    """Create new books in DIR from a table of townships.

    The table has one row per township with the columns county, township (account
    components, PascalCase pinyin), county_name, township_name, population, bank_account
    and optional county_bank_account; the Chinese headers 区县, 乡镇, 区县名称, 乡镇名称,
    人口, 账号, 区县账号 are accepted. DIR gets main.beancount (the plugins, the Fava
    extension, the key-file setting), accounts.beancount, policy.beancount (the seed
    policy), queries.beancount (saved queries) and a .gitignore keeping recipient.key out.
    The key itself is not created: the books of one city share one key.

    Exit 0 on success, 2 for a bad table (naming file, row and column) or existing books;
    nothing is written then.

    \b
    Examples:
      reserve init books --townships townships.csv
      reserve init books --townships 乡镇.xlsx --date 2018-01-01
    """
    day = parse_date(opened, "--date") or datetime.date(datetime.date.today().year, 1, 1)
    try:
        rows = township_table.read(table)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    texts = init_books.files(rows, day, Path(table).name)
    existing = [name for name in texts if (directory / name).exists()]
    if existing:
        raise UsageError(
            f"{directory / existing[0]} exists: reserve init does not overwrite books"
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with bookfile.Transaction(directory / init_books.MAIN) as change:
            for name, text in texts.items():
                change.replace(Path(name), text)
            change.commit()
    except OSError as exc:
        raise UsageError(f"{directory}: {exc.strerror or exc}") from None
    counties = len({r.county for r in rows})
    click.echo(
        f"wrote {directory / init_books.MAIN}: {counties} county(ies), {len(rows)} township(s)"
    )
    click.echo(KEY_HINT.format(key=directory / init_books.KEY_FILE))
