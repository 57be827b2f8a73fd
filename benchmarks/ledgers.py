"""Generated city ledgers for the benchmarks, made once per size and kept in a cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CACHE = Path(os.environ.get("RESERVE_BENCH_DIR", "/tmp/reserve-bench"))


def city(disbursements: int, *, plugins: bool = False) -> Path:
    """Return the main file of a generated city with that many disbursements."""
    townships = 7 if disbursements >= 50_000 else 4
    counties = 15 if disbursements >= 50_000 else 5
    name = f"city-{disbursements}{'-plugins' if plugins else ''}"
    out = CACHE / name
    main = out / "main.beancount"
    if not main.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable, "-m", "cli", "demo", str(out),
            "--counties", str(counties), "--townships-per-county", str(townships),
            "--disbursements", str(disbursements), "--seed", "11",
            "--plugins" if plugins else "--no-plugins",
        ]
        subprocess.run(command, check=True, capture_output=True)
    return main
