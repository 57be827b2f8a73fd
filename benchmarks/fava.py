"""The Fava pages (issue 7): each reserve page ÷ Fava's own income statement, after load.

Fava loads the large city once (timed); its `after_load_file` hooks are timed apart through
the extension objects. Then each page is requested: the income statement, and each reserve
page the first time (when it computes) and again (cached until the next load).
"""

from __future__ import annotations

import time
from functools import partial
from typing import Any
from urllib.parse import unquote

from fava.application import create_app

from benchmarks.harness import Context
from benchmarks.harness import Row
from benchmarks.harness import median_time

PAGES = ("ReserveDashboard", "ReserveAdvances", "ReserveFindings", "ReserveImport")


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


#: Requests timed per page and per baseline (the median is kept).
REQUESTS = 21


def run(context: Context) -> list[Row]:
    """Return the Fava rows."""
    started = time.perf_counter()
    app = create_app([str(context.large)], load=True)
    load = time.perf_counter() - started
    client = app.test_client()
    slug = unquote(client.get("/").headers["Location"].strip("/").split("/")[0])
    ledger = app.config["LEDGERS"][slug]
    hooks = 0.0
    for extension in ledger.extensions._instances.values():
        begun = time.perf_counter()
        extension.after_load_file()
        hooks += time.perf_counter() - begun
    # A page takes tens of milliseconds: the median of a few requests moved by a quarter
    # from run to run (and the income statement timed once, before every page, drifted from
    # them). So each page is asked `REQUESTS` times, right after its own baseline of as many
    # income statements.
    requests = max(context.repeat, REQUESTS)
    baseline = partial(_get, client, f"/{slug}/income_statement/")
    rows = [Row("extension after_load_file ÷ Fava load", hooks / load, "%", 0.05,
                f"{hooks * 1000:.1f} ms vs {load:.1f} s")]
    for page in PAGES:
        url = f"/{slug}/extension/{page}/"
        first, _ = median_time(partial(_get, client, url), 1)
        income, _ = median_time(baseline, requests)
        again, _ = median_time(partial(_get, client, url), requests)
        detail = f"income statement {income * 1000:.0f} ms, Fava load {load:.1f} s"
        rows.append(Row(f"page {page} ÷ income statement", again / income, "ratio", 1.2,
                        f"{detail}; first request {first:.2f} s"))
    return rows
