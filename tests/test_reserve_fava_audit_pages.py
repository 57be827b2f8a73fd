"""Audit of the reserve pages: unreadable books, the audit date, configs, paths shown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pytest
from fava_fixtures import AS_OF
from fava_fixtures import BODY
from fava_fixtures import PAGES
from fava_fixtures import client_for
from fava_fixtures import fava_errors
from fava_fixtures import page
from fava_fixtures import table_rows
from fava_fixtures import text_of
from fava_fixtures import write_fava_books
from flask.testing import FlaskClient
from ledgers import PRELUDE

from ledger import books as books_mod
from reserve_fava import importing
from reserve_fava.import_page import ReserveImport

BROKEN = 'include "missing.beancount"\n2020-01-01 opn Assets:X\n'


def banner(markup: str, element: str) -> str:
    found = re.search(rf'<p class="message banner" id="{element}"[^>]*>(.*?)</p>', markup, re.S)
    return text_of(found.group(1)) if found else ""


def as_of_shown(markup: str) -> str:
    found: list[str] = re.findall(r'id="reserve-as-of">([^<]*)<', markup)
    return found[0]


def test_unreadable_books_show_a_banner_on_every_page_not_findings(tmp_path: Path) -> None:
    _, client = client_for(write_fava_books(tmp_path, extra=BROKEN))
    for name in PAGES:
        shown = banner(page(client, name), "reserve-unreadable")
        assert shown.startswith("The books cannot be read: 2 errors, the figures are incomplete")
        assert "first: " in shown
    first = banner(page(client, "ReserveFindings"), "reserve-unreadable")
    assert "main.beancount:" in first and str(tmp_path) not in first
    findings = page(client, "ReserveFindings")
    assert 'data-code="BEANCOUNT"' not in findings
    assert 'data-code="OVER-AUTHORITY"' in findings
    # The pages keep working on what could be read.
    rows = table_rows(page(client, "ReserveDashboard"), "reserve-dashboard-table")
    assert any("柳巷街道" in row for row in rows)


def test_a_missing_include_alone_is_named_without_a_line(tmp_path: Path) -> None:
    _, client = client_for(write_fava_books(tmp_path, extra='include "missing.beancount"\n'))
    assert banner(page(client, "ReserveDashboard"), "reserve-unreadable") == (
        "The books cannot be read: 1 error, the figures are incomplete; "
        'first: File glob "missing.beancount" does not match any files'
    )


def test_unreadable_books_banner_in_chinese(tmp_path: Path) -> None:
    extra = '2015-01-01 custom "fava-option" "language" "zh"\n2020-01-01 opn Assets:X\n'
    _, client = client_for(write_fava_books(tmp_path, extra=extra))
    shown = banner(page(client, "ReserveAdvances"), "reserve-unreadable")
    assert shown.startswith("账簿无法完整读取：1 个错误，数字不完整；第一个：main.beancount:")


def test_readable_books_have_no_banner(client: FlaskClient) -> None:
    for name in PAGES:
        assert 'class="message banner"' not in page(client, name)


def test_every_page_honours_as_of_in_the_address(client: FlaskClient) -> None:
    for name in ("ReserveDashboard", "ReserveAdvances", "ReserveFindings"):
        assert as_of_shown(page(client, name)) == AS_OF  # the config's
        assert as_of_shown(page(client, name, "&as_of=2025-12-31")) == "2025-12-31"
    markup = page(client, "ReserveDashboard", "&as_of=2025-12-31")
    # Without a time filter the dashboard runs to the audit date: the address's, not the config's.
    assert "2015-01-01 – 2025-12-31" in text_of(markup)
    advances = page(client, "ReserveAdvances", "&as_of=2025-12-31")
    qiaodong = next(r for r in table_rows(advances, "reserve-advances-table") if "YZ-QD" in r)
    assert "2025-03-10 296 " in qiaodong  # age on 2025-12-31


@pytest.mark.parametrize("asked", ["20250630", "2025-W27-1", "June", "2025-02-30"])
def test_a_bad_as_of_is_named_and_the_usual_date_is_used(
    tmp_path: Path, client: FlaskClient, asked: str
) -> None:
    for name in ("ReserveDashboard", "ReserveAdvances", "ReserveFindings"):
        markup = page(client, name, f"&as_of={asked}")
        message = banner(markup, "reserve-bad-as-of")
        assert message == f"as_of '{asked}' in the address is not a date YYYY-MM-DD; {AS_OF} is used"
        assert as_of_shown(markup) == AS_OF
    _, plain = client_for(write_fava_books(tmp_path, config=None))
    markup = page(plain, "ReserveFindings", f"&as_of={asked}")
    today = books_mod.today().isoformat()
    assert as_of_shown(markup) == today and f"; {today} is used" in markup


@pytest.mark.parametrize("written", ["20250630", "2025-W27-1", "2025-6-30"])
def test_the_config_takes_only_yyyy_mm_dd(tmp_path: Path, written: str) -> None:
    _, client = client_for(write_fava_books(tmp_path, config=f"{{'as_of': '{written}'}}"))
    assert as_of_shown(page(client, "ReserveFindings")) == books_mod.today().isoformat()
    errors = fava_errors(client)
    assert [e["type"] for e in errors] == ["FavaExtensionError"]
    assert f"as_of '{written}' is not a date YYYY-MM-DD" in errors[0]["message"]


def declared_line(path: Path) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if '"fava-extension"' in line)


@pytest.mark.parametrize("value", ["1.5 CNY", "2025-06-30", "TRUE", "42"])
def test_a_config_that_is_not_a_string_is_one_error_at_the_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "main.beancount"
    declare = f'2015-01-01 custom "fava-extension" "reserve_fava" {value}\n'
    path.write_text(PRELUDE + declare + BODY, encoding="utf-8")
    _, client = client_for(path)
    for name in PAGES:
        page(client, name)
    errors = fava_errors(client)
    assert len(errors) == 1 and errors[0]["type"] == "FavaExtensionError"
    assert "is not a string" in errors[0]["message"]
    assert errors[0]["source"]["lineno"] == declared_line(path)


class EchoingImporter:
    """Stands in for `reserve import`: names the file as the command does (its path)."""

    def __call__(
        self, books: str, files: Sequence[str], account: str, *, dry_run: bool
    ) -> importing.Run:
        return importing.Run(2, "", f"reserve: error: {files[0]}, row 7: no amount\n")


def test_import_messages_name_the_uploaded_file(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(EchoingImporter()))
    response = client.post(
        "/beancount/extension/ReserveImport/preview",
        data={"files": [(BytesIO(b"a,b\n"), "回盘 (1).csv")]},
        content_type="multipart/form-data",
    )
    markup = client.get(response.headers["Location"]).get_data(as_text=True)
    found = re.search(r'id="reserve-import-preview">(.*?)</pre>', markup, re.S)
    assert found is not None
    preview = text_of(found[1])
    assert preview == "reserve: error: 回盘 (1).csv, row 7: no amount"
    assert "reserve-fava-" not in markup


def test_stored_paths_become_own_names_longest_first(tmp_path: Path) -> None:
    upload = importing.Upload(tmp_path, ["a.csv", "a.csv.xlsx"], "", originals=["甲.csv", "乙"])
    text = f"{tmp_path}/a.csv.xlsx row 2; {tmp_path}/a.csv row 3; {tmp_path}/other"
    assert upload.shown(text) == "乙 row 2; 甲.csv row 3; other"


def test_finding_links_show_the_path_from_the_main_files_folder(tmp_path: Path) -> None:
    (tmp_path / "yingze").mkdir()
    (tmp_path / "yingze" / "2025.beancount").write_text(BODY, encoding="utf-8")
    path = write_fava_books(tmp_path, body='include "yingze/2025.beancount"\n')
    _, client = client_for(path)
    rows = table_rows(page(client, "ReserveFindings"), "reserve-findings-table")
    assert rows and all(re.search(r"yingze/2025\.beancount:\d+$", row) for row in rows), rows
