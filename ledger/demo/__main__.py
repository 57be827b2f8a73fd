"""`python -m ledger.demo OUT_DIR [options]`: the same command as `reserve demo`."""

from __future__ import annotations

from cli.demo_cmd import command

if __name__ == "__main__":
    command(prog_name="python -m ledger.demo")
