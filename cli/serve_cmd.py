"""`reserve serve`: Fava with the project's extension, on 127.0.0.1 by default."""

from __future__ import annotations

import os
import signal

import click

from cli.errors import UsageError


@click.command("serve")
@click.argument("books", type=click.Path(dir_okay=False), metavar="BOOKS")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--read-only", is_flag=True, help="Refuse every change (auditors).")
def command(books: str, host: str, port: int, read_only: bool) -> None:
    """Start Fava on BOOKS with the reserve pages (dashboard, advances, findings, import).

    Fava has no login of its own: keep the default 127.0.0.1, or put it behind a reverse
    proxy with authentication (docs/fava.md).

    \b
    Examples:
      reserve serve books/main.beancount
      reserve serve books/main.beancount --read-only --port 5001
    """
    if not os.path.isfile(books):
        raise UsageError(f"{books}: no such books file")
    from fava import cli as fava_cli

    from reserve_fava import serving

    # The pages are served whether or not the books declare the extension (docs/fava.md).
    try:
        serving.always_load_extension()
    except RuntimeError as error:
        if not serving.declared(books):
            raise UsageError(
                f"{books}: {error}, so the reserve pages need the books to declare them: "
                f"add the line '2015-01-01 {serving.LINE}' to {books}"
            ) from error

    # `kill` and `systemctl stop` send SIGTERM: stop as on Ctrl-C (Fava then stops its
    # server and returns), so that the exit handlers run (the import page removes its
    # uploaded bank files, docs/fava.md).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    args = [books, "--host", host, "--port", str(port)]
    if read_only:
        args.append("--read-only")
    fava_cli.main.main(args=args, prog_name="reserve serve", standalone_mode=True)
