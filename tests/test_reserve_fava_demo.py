"""The Fava extension's pages on the demo books agree with the ledger's own functions."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from fava_fixtures import client_for
from fava_fixtures import numbers
from fava_fixtures import table_rows
from flask.testing import FlaskClient

from ledger import audit as audit_mod
from ledger import books as books_mod


@pytest.fixture(scope="module")
def demo_books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo books (books/main.beancount), generated into tmp when absent."""
    shipped = Path(__file__).resolve().parent.parent / "books" / "main.beancount"
    if shipped.is_file():
        return shipped
    pytest.importorskip("cli.demo_cmd", reason="no demo books and no `reserve demo`")
    from click.testing import CliRunner

    from cli.main import main

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(main, ["demo", str(out)])
    assert result.exit_code == 0, result.output
    return out / "main.beancount"


def test_demo_books_pages_match_the_ledger_functions(demo_books: Path) -> None:
    from ledger import advances as advances_mod
    from ledger import reports

    _, client = client_for(demo_books)
    slug = next(iter(client.application.config["LEDGERS"].ledgers_by_slug))
    books = books_mod.load(demo_books)

    def get(name: str) -> str:
        response = client.get(f"/{slug}/extension/{name}/?partial=true")
        assert response.status_code == 200
        markup: str = response.get_data(as_text=True)
        return markup

    dashboard = get("ReserveDashboard")
    start, end = re.search(r'id="reserve-period">(\S+) – (\S+)<', dashboard).groups()  # type: ignore[union-attr]
    report = reports.township_report(
        books, datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    )
    rows = table_rows(dashboard, "reserve-dashboard-table")
    for township in report.townships:
        assert any(township.name in r for r in rows), township.name
    assert numbers(rows[-1])[0] == f"{report.city.allocated:,.2f}"
    assert numbers(rows[-1])[-2] == f"{report.city.balance:,.2f}"
    outstanding = advances_mod.outstanding(books)
    advances = get("ReserveAdvances")
    if outstanding:
        total = sum(r.outstanding for r in outstanding)
        assert table_rows(advances, "reserve-advances-table")[-1].split()[-1] == f"{total:,.2f}"
    findings = get("ReserveFindings")
    expected = audit_mod.audit(books)
    if expected:
        shown = table_rows(findings, "reserve-findings-table")
        assert len(shown) == min(len(expected), 500)
    get("ReserveImport")
    assert [e for e in fava_errors_of(client, slug) if e["type"] == "FavaExtensionError"] == []


def fava_errors_of(client: FlaskClient, slug: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get(f"/{slug}/api/errors").get_json()["data"]
    return data
