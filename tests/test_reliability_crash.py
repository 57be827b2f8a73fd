"""Crash safety: a writer killed at any point leaves the books before or after, never between.

`reserve import`, `allocate` and `seal` are killed with SIGKILL, both at random moments of
their run and at each rename of their commit (`RESERVE_TEST_KILL_AFTER_RENAMES`, the fault
injection of `ledger.bookfile`). After each kill the books, once any interrupted commit is
finished (`ledger.books.load` does that first), equal either the state before the command or
the state a clean run produces, and load with no error.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from booking_fixtures import Approved
from booking_fixtures import Paid
from booking_fixtures import snapshot
from booking_fixtures import write_bank
from booking_fixtures import write_books
from booking_fixtures import write_register
from conftest import TEST_KEY_HEX

from ledger import books as books_mod
from ledger.bookfile import KILL_AFTER_ENV

ROWS = 300


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, RESERVE_RECIPIENT_KEY=TEST_KEY_HEX)
    env.update(extra)
    return env


def _inputs(folder: Path) -> list[str]:
    register = write_register(folder / "register.csv", [Approved(n) for n in range(ROWS)])
    bank = write_bank(folder / "result.csv", [Paid(n) for n in range(ROWS)])
    return [str(register), str(bank)]


COMMANDS: dict[str, Callable[[Path, list[str]], list[str]]] = {
    "import": lambda main, inputs: ["import", str(main), *inputs],
    "allocate": lambda main, inputs: [
        "allocate",
        str(main),
        "--year",
        "2024",
        "--amount",
        "40000",
    ],
    "seal": lambda main, inputs: ["seal", str(main), "--through", "2015-12-31"],
}


def _reserve(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "cli", *args]


def _states(
    tmp_path: Path, name: str
) -> tuple[Path, list[str], dict[str, bytes], dict[str, bytes]]:
    template = tmp_path / "template"
    template.mkdir()
    main = write_books(template)
    inputs = _inputs(tmp_path)
    before = snapshot(template)
    after_dir = tmp_path / "after"
    shutil.copytree(template, after_dir)
    subprocess.run(
        _reserve(COMMANDS[name](after_dir / main.name, inputs)),
        check=True,
        env=_env(),
        capture_output=True,
    )
    after = snapshot(after_dir)
    assert after != before
    return template, inputs, before, after


def _check(folder: Path, before: dict[str, bytes], after: dict[str, bytes]) -> str:
    loaded = books_mod.load(folder / "main.beancount")  # Finishes an interrupted commit.
    assert loaded.errors == []
    state = snapshot(folder)
    assert state in (before, after)
    return "before" if state == before else "after"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_at_each_rename(tmp_path: Path, name: str) -> None:
    template, inputs, before, after = _states(tmp_path, name)
    seen = set()
    for renames in range(4):
        run = tmp_path / f"run-{renames}"
        shutil.copytree(template, run)
        result = subprocess.run(
            _reserve(COMMANDS[name](run / "main.beancount", inputs)),
            env=_env(**{KILL_AFTER_ENV: str(renames)}),
            capture_output=True,
        )
        killed = result.returncode == -signal.SIGKILL
        seen.add(_check(run, before, after))
        if killed:
            # The commit point had passed: the journal rolls the change forward.
            assert snapshot(run) == after
    assert "after" in seen


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_killed_at_random_moments(tmp_path: Path, name: str) -> None:
    template, inputs, before, after = _states(tmp_path, name)
    rng = random.Random(name)
    for attempt in range(6):
        run = tmp_path / f"random-{attempt}"
        shutil.copytree(template, run)
        process = subprocess.Popen(
            _reserve(COMMANDS[name](run / "main.beancount", inputs)),
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        _check(run, before, after)
