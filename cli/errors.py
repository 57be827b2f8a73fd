"""User errors of the command line: a clear message and exit code 2, never a traceback."""

from __future__ import annotations

import click


class UsageError(click.ClickException):
    """Bad input or usage: the message names the file (row, column); exit 2."""

    exit_code = 2

    def show(self, file: object = None) -> None:
        """Print the message on stderr as `reserve: error: ...`."""
        click.echo(f"reserve: error: {self.format_message()}", err=True)
