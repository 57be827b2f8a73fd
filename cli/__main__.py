"""`python -m cli` is `reserve`."""

from cli.main import main

main(prog_name="reserve")
