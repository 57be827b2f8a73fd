"""The `reserve` command: one click group, each command in its own module (loaded lazily)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

import click

from ledger import __version__

# Command name -> "module:attribute"; modules load only when their command runs.
COMMANDS: dict[str, str] = {
    "init": "cli.init_cmd:command",
    "allocate": "cli.allocate_cmd:command",
    "import": "cli.import_cmd:command",
    "audit": "cli.audit_cmd:command",
    "advances": "cli.advances_cmd:command",
    "report": "cli.report_cmd:command",
    "seal": "cli.seal_cmd:command",
    "keygen": "cli.seal_cmd:keygen_command",
    "export": "cli.export_cmd:command",
    "serve": "cli.serve_cmd:command",
    "demo": "cli.demo_cmd:command",
}


def _available() -> dict[str, str]:
    found = {}
    for name, target in COMMANDS.items():
        module = target.split(":")[0]
        if importlib.util.find_spec(module) is not None:
            found[name] = target
    return found


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (fast `--help` and start-up)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return the commands installed."""
        return sorted(_available())

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return a command, importing its module."""
        target = _available().get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reserve")
def main() -> None:
    """Books and audit of a city's temporary-assistance reserve funds (临时救助).

    \b
    Examples:
      reserve audit books/main.beancount
      reserve audit books/main.beancount --as-of 2025-12-31 --format json
      reserve serve books/main.beancount --read-only
    """
