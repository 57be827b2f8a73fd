"""`reserve demo`: write demo books of a fictional city (thin over `ledger.demo`)."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from ledger import demo
from ledger.demo import profile as demo_profile


class DemoUsageError(click.ClickException):
    """Settings the generator cannot honour (exit 2)."""

    exit_code = 2


@click.command("demo")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--counties", default=2, show_default=True, help="Number of counties.")
@click.option(
    "--townships-per-county", default=3, show_default=True, help="Townships each."
)
@click.option(
    "--years",
    default="2024,2025",
    show_default=True,
    help="Consecutive years, e.g. 2024,2025 or 2020-2025.",
)
@click.option(
    "--disbursements",
    default=300,
    show_default=True,
    help="Relief cases over the whole city.",
)
@click.option("--seed", default=1, show_default=True, help="Random seed.")
@click.option(
    "--faults",
    default=0,
    show_default=True,
    help="Faults planted per finding code (listed in manifest.json).",
)
@click.option(
    "--key-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Key to hash recipients with instead of the public demo key.",
)
@click.option(
    "--plugins/--no-plugins",
    default=True,
    show_default=True,
    help="Declare the project's plugins in main.beancount.",
)
@click.option(
    "--as-of",
    default=demo_profile.DEFAULT_AS_OF.isoformat(),
    show_default=True,
    help="Audit date the manifest assumes.",
)
def command(
    out_dir: Path,
    counties: int,
    townships_per_county: int,
    years: str,
    disbursements: int,
    seed: int,
    faults: int,
    key_file: Path | None,
    plugins: bool,
    as_of: str,
) -> None:
    """Write demo books of a fictional city into OUT_DIR.

    Same settings, same bytes. With --faults K, K faults of every plantable finding code are
    planted and OUT_DIR/manifest.json lists the findings they must raise.

    \b
    Example:
      reserve demo books --counties 2 --townships-per-county 3 \\
          --years 2024,2025 --disbursements 400 --seed 2026
      reserve demo /tmp/city --counties 15 --townships-per-county 7 \\
          --disbursements 100000 --faults 2
    """
    try:
        audit_date = datetime.date.fromisoformat(as_of)
    except ValueError:
        raise DemoUsageError(f"--as-of: {as_of!r} is not a date like 2026-11-28") from None
    try:
        settings = demo.Profile(
            counties=counties,
            townships_per_county=townships_per_county,
            years=demo_profile.parse_years(years),
            disbursements=disbursements,
            seed=seed,
            faults=faults,
            plugins=plugins,
            key_file=key_file,
            as_of=audit_date,
        )
        summary = demo.generate(settings, out_dir)
    except demo.DemoError as exc:
        raise DemoUsageError(str(exc)) from None
    click.echo(
        f"{out_dir}: {len(summary.files)} files, {summary.townships} townships, "
        f"{summary.transactions} transactions, {summary.findings} planted findings"
    )
