"""The Fava import page: preview then confirm, read-only refusals, same books as the CLI."""

from __future__ import annotations

import datetime
from io import BytesIO
from pathlib import Path

import pytest
from fava_fixtures import FakeImporter
from fava_fixtures import client_for
from fava_fixtures import confirm_form
from fava_fixtures import page
from fava_fixtures import upload
from fava_fixtures import write_fava_books
from flask.testing import FlaskClient

from reserve_fava import importing
from reserve_fava.import_page import ReserveImport


@pytest.fixture
def fake_importer(monkeypatch: pytest.MonkeyPatch) -> FakeImporter:
    fake = FakeImporter()
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(fake))
    return fake


def test_import_previews_then_books(client: FlaskClient, fake_importer: FakeImporter) -> None:
    location = upload(client)
    markup = client.get(location).data.decode()
    assert "would book 1 approval record" in markup
    assert fake_importer.calls == [(["回盘.csv"], "Assets:Reserve:Yingze:Liuxiang", True)]
    response = client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    assert response.status_code == 303
    assert "booked 1 approval record" in client.get(response.headers["Location"]).data.decode()
    assert [c[2] for c in fake_importer.calls] == [True, True, False]
    # The same preview cannot be booked twice: confirming again shows the booking.
    again = client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    assert again.headers["Location"] == response.headers["Location"]
    assert [c[2] for c in fake_importer.calls] == [True, True, False]


def test_import_shows_the_new_preview_when_the_books_changed(
    client: FlaskClient, fake_importer: FakeImporter
) -> None:
    markup = client.get(upload(client)).data.decode()
    fake_importer.output = "would book 0 approval records (already booked)\n"
    response = client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    shown = client.get(response.headers["Location"]).data.decode()
    assert "The books changed since the preview" in shown and "already booked" in shown
    assert all(c[2] for c in fake_importer.calls)


def test_read_only_fava_refuses_the_import(books_path: Path, fake_importer: FakeImporter) -> None:
    _, client = client_for(books_path, read_only=True)
    markup = page(client, "ReserveImport")
    assert 'id="reserve-refused"' in markup and 'id="reserve-import-form"' not in markup
    response = client.post(
        "/beancount/extension/ReserveImport/confirm", data={"token": "x", "digest": "y"}
    )
    assert response.status_code in (401, 403)
    assert not any(not dry for _, _, dry in fake_importer.calls)


def test_read_only_config_refuses_the_confirm(
    tmp_path: Path, fake_importer: FakeImporter
) -> None:
    _, client = client_for(write_fava_books(tmp_path, config="{'read_only': True}"))
    markup = client.get(upload(client)).data.decode()
    assert 'id="reserve-refused"' in markup and 'id="reserve-import-confirm"' not in markup
    response = client.post(
        "/beancount/extension/ReserveImport/confirm", data={"token": "t", "digest": "d"}
    )
    assert response.status_code == 403
    assert [c[2] for c in fake_importer.calls] == [True]


def test_upload_names_are_kept_safe() -> None:
    assert importing.safe_name("回盘.csv", 1) == "回盘.csv"
    assert importing.safe_name("../../etc/passwd", 1) == "passwd"
    assert importing.safe_name("C:\\tmp\\报盘.xlsx", 1) == "报盘.xlsx"
    assert importing.safe_name("", 2) == "file-2"
    assert not importing.safe_name(".hidden.csv", 1).startswith(".")


def _register_csv(rows: int = 2) -> bytes:
    from ledger.recipients import make_id

    header = "案件编号,姓名,身份证号,乡镇(街道),救助程序,审批层级,审批人,审批日期,救助金额\n"
    lines = [
        f"YZ-LX-2025-2{n:02d},测试{n},{make_id('140105', datetime.date(1960, 1, n), n)},"
        f"柳巷街道,小额,乡镇,柳巷街道办事处,2025-06-0{n},300.00\n"
        for n in range(1, rows + 1)
    ]
    return (header + "".join(lines)).encode("utf-8")


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_text(encoding="utf-8")
        for p in sorted(folder.rglob("*.beancount"))
    }


def test_import_books_what_reserve_import_books(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("cli.import_cmd", reason="`reserve import` is not there yet")
    from click.testing import CliRunner

    from cli.main import main

    monkeypatch.setenv("RESERVE_RECIPIENT_KEY", "00112233445566778899aabbccddeeff" * 2)
    by_cli = tmp_path / "cli"
    by_fava = tmp_path / "fava"
    for folder in (by_cli, by_fava):
        folder.mkdir()
        write_fava_books(folder)
    register = tmp_path / "台账.csv"
    register.write_bytes(_register_csv())
    result = CliRunner().invoke(main, ["import", str(by_cli / "main.beancount"), str(register)])
    assert result.exit_code == 0, result.output
    before = _tree(by_fava)
    _, client = client_for(by_fava / "main.beancount")
    response = client.post(
        "/beancount/extension/ReserveImport/preview",
        data={"files": [(BytesIO(register.read_bytes()), "台账.csv")]},
        content_type="multipart/form-data",
    )
    markup = client.get(response.headers["Location"]).data.decode()
    assert _tree(by_fava) == before, "the dry run wrote something"
    client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    assert _tree(by_fava) == _tree(by_cli) != before
