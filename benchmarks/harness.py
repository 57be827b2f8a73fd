"""Timing, ratios and the results table of `python -m benchmarks`."""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ledger.plugin import no_gc


@dataclasses.dataclass(frozen=True)
class Context:
    """What every benchmark section gets: the two generated cities and the repeat count."""

    small: Path
    large: Path
    small_n: int
    large_n: int
    repeat: int


@dataclasses.dataclass(frozen=True)
class Row:
    """One line of the results: a measured value against its target."""

    name: str
    value: float
    unit: str  # "ratio", "ms", "×"
    target: float | None
    detail: str = ""
    lower_is_better: bool = True

    @property
    def met(self) -> str:
        """Return "met", "not met" or "-" (no target)."""
        if self.target is None:
            return "-"
        ok = (
            self.value <= self.target if self.lower_is_better else self.value >= self.target
        )
        return "met" if ok else "not met"

    def cells(self) -> list[str]:
        """Return the row's cells for the table."""
        if self.unit == "ms":
            value, target = (
                f"{self.value:.1f} ms",
                f"≤ {self.target:g} ms" if self.target else "",
            )
        elif self.unit == "%":
            value = f"{self.value * 100:.1f} %"
            target = f"≤ {self.target * 100:g} %" if self.target is not None else ""
        else:
            value = f"{self.value:.2f}"
            sign = "≤" if self.lower_is_better else "≥"
            target = f"{sign} {self.target:g}" if self.target is not None else ""
        return [self.name, value, target, self.met, self.detail]


def median_time(
    fn: Callable[[], Any], repeat: int, *, pause_gc: bool = False
) -> tuple[float, Any]:
    """Return the median seconds of `repeat` calls and the last call's result.

    With pause_gc the calls run as the product runs its checks and reports: with the cyclic
    garbage collector paused (`ledger.plugin.no_gc`).
    """
    times = []
    result: Any = None
    for _ in range(repeat):
        # The previous call's result is freed before the clock starts, not inside the next
        # timed call (freeing ten thousand rows is not the next call's work).
        result = None
        gc.collect()
        started = time.perf_counter()
        if pause_gc:
            with no_gc():
                result = fn()
        else:
            result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def table(rows: list[Row]) -> str:
    """Return the rows as a Markdown table."""
    header = ["measure", "value", "target", "", "detail"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)
