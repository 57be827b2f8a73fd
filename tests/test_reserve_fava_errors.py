"""A broken config, check or report of the Fava extension is a Fava error, not a crash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fava_fixtures import PAGES
from fava_fixtures import client_for
from fava_fixtures import fava_errors
from fava_fixtures import page
from fava_fixtures import write_fava_books
from flask.testing import FlaskClient

from ledger import books as books_mod


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ("{'as_of': 2025-06-30}", "is not a Python literal"),
        ("{'as_of': 'June'}", "is not a date"),
        ("['as_of']", "must be a dict"),
        ("{'colour': 'red'}", "unknown key 'colour'"),
        ("{'as_of': ", "is not a Python literal"),
    ],
)
def test_a_broken_config_is_an_error_not_a_crash(tmp_path: Path, config: str, words: str) -> None:
    _, client = client_for(write_fava_books(tmp_path, config=config))
    for name in PAGES:
        page(client, name)
    assert client.get("/beancount/income_statement/").status_code == 200
    messages = [e["message"] for e in fava_errors(client)]
    assert any(words in m for m in messages), messages
    errors = fava_errors(client)
    assert all(e["type"] == "FavaExtensionError" for e in errors)
    assert errors[0]["source"]["lineno"] > 0


def test_a_failing_check_shows_an_error_and_the_rest_works(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger.checks import advances as advances_check

    def broken(books: books_mod.Books) -> list[Any]:
        raise RuntimeError("boom")

    monkeypatch.setattr(advances_check, "check", broken)
    markup = page(client, "ReserveFindings")
    assert "Some checks failed" in markup and "advances" in markup
    assert "OVER-AUTHORITY" in markup  # the other families still report
    messages = [e["message"] for e in fava_errors(client)]
    assert any("check family advances (" in m and "RuntimeError" in m for m in messages)
    for name in PAGES:
        page(client, name)


def test_a_failing_report_keeps_fava_up(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ledger import reports

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("broken report")

    monkeypatch.setattr(reports, "township_report", broken)
    assert "could not be computed" in page(client, "ReserveDashboard")
    assert any("failed" in e["message"] for e in fava_errors(client))
    assert client.get("/beancount/income_statement/").status_code == 200
