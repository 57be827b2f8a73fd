"""`reserve serve` serves the reserve pages on books that do not declare the extension."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from click.testing import CliRunner
from fava.core import FavaLedger
from fava.core.extensions import ExtensionModule
from fava_fixtures import BODY
from fava_fixtures import PAGES
from fava_fixtures import client_for
from fava_fixtures import fava_errors
from fava_fixtures import page
from fava_fixtures import write_fava_books
from ledgers import PRELUDE
from serve_helpers import serve_and_fetch

from cli.main import main
from reserve_fava import serving

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the hook of `reserve serve` for one test (Fava's own method restored after)."""
    monkeypatch.setattr(ExtensionModule, "load_file", vars(ExtensionModule)["load_file"])
    serving.always_load_extension()


def undeclared_books(folder: Path) -> Path:
    path = folder / "main.beancount"
    path.write_text(PRELUDE + BODY, encoding="utf-8")
    return path


def test_fava_still_has_the_hooked_method_and_calls_it() -> None:
    """Fails when Fava renames the hooked method or stops reading the declarations there."""
    assert "load_file" in vars(ExtensionModule)
    assert "self.extensions.load_file()" in inspect.getsource(FavaLedger.load_file)
    assert "all_entries_by_type.Custom" in inspect.getsource(vars(ExtensionModule)["load_file"])


def test_plain_fava_has_no_reserve_pages_on_undeclared_books(tmp_path: Path) -> None:
    _, client = client_for(undeclared_books(tmp_path))
    assert client.get("/beancount/extension/ReserveDashboard/").status_code == 404


@pytest.mark.usefixtures("hooked")
def test_the_hook_serves_every_page_on_undeclared_books(tmp_path: Path) -> None:
    app, client = client_for(undeclared_books(tmp_path))
    data = client.get("/beancount/api/ledger_data").get_json()["data"]
    assert sorted(e["name"] for e in data["extensions"]) == sorted(PAGES)
    for name in PAGES:
        assert client.get(f"/beancount/extension/{name}/").status_code == 200
    assert "柳巷街道" in page(client, "ReserveDashboard")
    assert "YZ-QD-2025-001" in page(client, "ReserveAdvances", "&as_of=2025-06-30")
    assert fava_errors(client) == []
    # Fava's own view of the books is untouched: no stand-in entry anywhere.
    ledger = app.config["LEDGERS"]["beancount"]
    assert not [e for e in ledger.all_entries_by_type.Custom if e.type == "fava-extension"]
    assert serving.SOURCE not in client.get("/beancount/journal/").get_data(as_text=True)


@pytest.mark.usefixtures("hooked")
def test_the_hook_keeps_the_books_own_declaration_and_config(tmp_path: Path) -> None:
    _, client = client_for(write_fava_books(tmp_path, config="{'as_of': '2025-04-15'}"))
    assert 'id="reserve-as-of">2025-04-15<' in page(client, "ReserveFindings")
    assert fava_errors(client) == []


@pytest.mark.usefixtures("hooked")
def test_installing_twice_hooks_once() -> None:
    hooked_once = vars(ExtensionModule)["load_file"]
    serving.always_load_extension()
    assert vars(ExtensionModule)["load_file"] is hooked_once


def test_without_the_method_serve_refuses_and_names_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(ExtensionModule, "load_file")
    with pytest.raises(RuntimeError, match=r"ExtensionModule\.load_file"):
        serving.always_load_extension()
    books = undeclared_books(tmp_path)
    result = CliRunner().invoke(main, ["serve", str(books)])
    assert result.exit_code == 2
    assert "add the line '2015-01-01 custom \"fava-extension\" \"reserve_fava\"'" in result.stderr
    (tmp_path / "declared").mkdir()
    declared = write_fava_books(tmp_path / "declared")
    assert serving.declared(str(declared)) and not serving.declared(str(books))


def test_reserve_serve_shows_the_pages_of_undeclared_books(tmp_path: Path) -> None:
    books = undeclared_books(tmp_path)
    markup = serve_and_fetch(
        books, "/beancount/extension/ReserveDashboard/", cwd=ROOT, wait=60
    )
    assert 'id="reserve-dashboard-table"' in markup and "柳巷街道" in markup


def test_sigterm_ends_the_server_as_a_normal_exit(tmp_path: Path) -> None:
    # `kill` and `systemctl stop` send SIGTERM: a normal exit runs the exit handlers, which
    # remove the import page's uploaded bank files (docs/fava.md).
    books = write_fava_books(tmp_path, PRELUDE)
    stopped: list[int] = []
    serve_and_fetch(books, "/", stopped=stopped)
    assert stopped == [0]
