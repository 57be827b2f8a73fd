"""`reserve seal` and `reserve keygen`: close the books through a date (SPEC §9)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from cli.errors import UsageError
from cli.options import books_argument
from cli.options import parse_date
from ledger import bookfile
from ledger import books as books_mod
from ledger import seal as seal_mod
from ledger import signing
from ledger.checks import seal as seal_check


def _load_key(key_file: str | None) -> signing.PrivateKey | None:
    if key_file is None:
        return None
    try:
        pem = Path(key_file).read_bytes()
    except OSError as exc:
        raise UsageError(f"--key {key_file}: {exc.strerror or exc}") from None
    try:
        return signing.load_private(pem, f"--key {key_file}")
    except signing.KeyFileError as exc:
        raise UsageError(str(exc)) from None


def _check_date(through: datetime.date, books: books_mod.Books) -> None:
    today = books_mod.today()
    if through >= today:
        raise UsageError(
            f"--through {through}: a seal must be dated before today ({today}); "
            "entries of the day may still be booked"
        )
    latest = seal_mod.latest_seal(books.entries)
    if latest is not None and through < latest[0]:
        raise UsageError(
            f"--through {through}: the books are already sealed through {latest[0]}; "
            f"a new seal must be dated {latest[0]} or later"
        )
    broken = seal_check.verify(books.entries, str(books.root))
    if broken:
        raise UsageError(
            f"{broken[0].file}:{broken[0].line}: {broken[0].message}; restore the sealed "
            "entries before sealing again"
        )


def block(through: datetime.date, value: str, key: signing.PrivateKey | None) -> str:
    """Return the text appended to the main file: a blank line and the seal directive."""
    lines = ["", f'{through.isoformat()} custom "seal" "{value}"']
    if key is not None:
        lines.append(f'  sig: "{signing.sign(key, value)}"')
        lines.append(f'  key: "{signing.fingerprint(key.public_key())}"')
    return "\n".join(lines) + "\n"


@click.command("seal")
@books_argument
@click.option("--through", required=True, metavar="YYYY-MM-DD", help="Last date sealed.")
@click.option(
    "--key",
    "key_file",
    type=click.Path(dir_okay=False, path_type=str),
    metavar="FILE",
    help="Ed25519 private key (PEM) to sign the seal with.",
)
def command(books: str, through: str, key_file: str | None) -> None:
    """Close the books through a date: append a seal to the main file.

    The seal holds the SHA-256 of every entry dated on or before the date (docs/seal.md);
    any later edit, addition or deletion of such an entry is a SEAL-BROKEN finding.

    \b
    Examples:
      reserve seal books/main.beancount --through 2025-12-31
      reserve seal books/main.beancount --through 2025-12-31 --key keys/seal-key.pem
    """
    date = parse_date(through, "--through")
    assert date is not None
    key = _load_key(key_file)
    if not Path(books).is_file():
        raise UsageError(f"{books}: no such books file")
    # Loaded under the books' lock, so that no import lands between the hash and the seal.
    with bookfile.Transaction(books) as change:
        try:
            loaded = books_mod.load(books)
        except books_mod.BooksError as exc:
            raise UsageError(str(exc)) from None
        _check_date(date, loaded)
        value, count = seal_mod.seal_hash(loaded.entries, date, str(loaded.root))
        main_file = Path(loaded.main_file)
        change.append(main_file, block(date, value, key).lstrip("\n"))
        try:
            change.commit()
        except OSError as exc:
            raise UsageError(f"{main_file}: cannot write ({exc.strerror or exc})") from None
    click.echo(f"Sealed {main_file} through {date}: {value} ({count:,} entries).")
    if key is not None:
        click.echo(f"Signed with {signing.fingerprint(key.public_key())}.")


@click.command("keygen")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), metavar="DIR")
def keygen_command(folder: Path) -> None:
    """Write a new Ed25519 key pair for signing seals.

    DIR/seal-key.pem is the private key (mode 0600): keep it out of the books and out of
    version control. Give DIR/seal-key.pub.pem to the auditor (`reserve audit --trust`).

    \b
    Example:
      reserve keygen ~/.reserve-keys
    """
    try:
        private, public, fingerprint = signing.write_pair(folder)
    except signing.KeyFileError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write ({exc.strerror or exc})") from None
    click.echo(f"Private key: {private} (keep it secret)")
    click.echo(f"Public key:  {public}")
    click.echo(f"Fingerprint: {fingerprint}")
