"""The Fava extension through Flask's test client: pages, config, errors, import, read-only."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from flask import Flask
from flask.testing import FlaskClient
from ledgers import PRELUDE

from ledger import audit as audit_mod
from ledger import books as books_mod
from reserve_fava import importing
from reserve_fava.import_page import ReserveImport

BODY = """
2025-01-01 * "迎泽区民政局" "2025年备用金" #allocation
  period: "2025"
  Assets:Treasury:Yingze  -40000.00 CNY
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY

2025-01-01 * "迎泽区民政局" "2025年备用金" #allocation
  period: "2025"
  Assets:Treasury:Yingze  -30000.00 CNY
  Assets:Reserve:Yingze:Qiaodong  30000.00 CNY

2025-01-01 * "万柏林区民政局" "2025年备用金" #allocation
  period: "2025"
  Assets:Treasury:Wanbailin  -50000.00 CNY
  Assets:Reserve:Wanbailin:Xinghua  50000.00 CNY

2025-03-02 * "周建国" "小额临时救助"
  case: "YZ-LX-2025-101"
  recipient: "r-1a2b3c4d5e6f7081"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2025-03-01
  Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-03-10 * "李秀英" "先行救助" ^adv-YZ-QD-2025-001
  case: "YZ-QD-2025-001"
  recipient: "r-2a2b3c4d5e6f7082"
  Assets:Advances:Yingze:Qiaodong  2000.00 CNY
  Assets:Reserve:Yingze:Qiaodong

2025-04-01 * "王芳" "先行救助" ^adv-WBL-XH-2025-002
  case: "WBL-XH-2025-002"
  recipient: "r-3a2b3c4d5e6f7083"
  Assets:Advances:Wanbailin:Xinghua  1500.00 CNY
  Assets:Reserve:Wanbailin:Xinghua

2025-05-01 * "王芳" "补办审批" ^adv-WBL-XH-2025-002
  case: "WBL-XH-2025-002"
  recipient: "r-3a2b3c4d5e6f7083"
  approval: "township"
  approver: "兴华街道办事处"
  approved: 2025-04-28
  Expenses:Relief:Wanbailin:Xinghua:Emergency  1000.00 CNY
  Assets:Advances:Wanbailin:Xinghua
"""

AS_OF = "2025-06-30"
GOOD_CONFIG = "{'as_of': '2025-06-30'}"
PAGES = ("ReserveDashboard", "ReserveAdvances", "ReserveFindings", "ReserveImport")


def write_fava_books(
    folder: Path, config: str | None = GOOD_CONFIG, extra: str = "", body: str = BODY
) -> Path:
    """Write the test city with the extension declared (config optional) and return it."""
    declare = '2015-01-01 custom "fava-extension" "reserve_fava"'
    if config is not None:
        escaped = config.replace("\\", "\\\\").replace('"', '\\"')
        declare += f' "{escaped}"'
    path = folder / "main.beancount"
    path.write_text(PRELUDE + declare + "\n" + extra + body, encoding="utf-8")
    return path


def client_for(path: Path, *, read_only: bool = False) -> tuple[Flask, FlaskClient]:
    app = create_app([path], read_only=read_only)
    app.config["TESTING"] = True
    return app, app.test_client()


def page(client: FlaskClient, name: str, query: str = "") -> str:
    response = client.get(f"/beancount/extension/{name}/?partial=true{query}")
    assert response.status_code == 200, response.data[:2000]
    markup: str = response.get_data(as_text=True)
    return markup


def text_of(markup: str) -> str:
    """Return the visible text of some HTML, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def table_rows(markup: str, table_id: str) -> list[str]:
    """Return the text of each body row of a table."""
    start = markup.index(f'id="{table_id}"')
    body = markup[start : markup.index("</table>", start)]
    return [text_of(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]]


def fava_errors(client: FlaskClient) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = client.get("/beancount/api/errors").get_json()["data"]
    return data


@pytest.fixture
def books_path(tmp_path: Path) -> Path:
    return write_fava_books(tmp_path)


@pytest.fixture
def client(books_path: Path) -> FlaskClient:
    return client_for(books_path)[1]


def test_every_page_is_listed_and_answers(client: FlaskClient) -> None:
    data = client.get("/beancount/api/ledger_data").get_json()["data"]
    names = {e["name"]: e["report_title"] for e in data["extensions"]}
    assert names == {
        "ReserveDashboard": "Reserve",
        "ReserveAdvances": "Advances",
        "ReserveFindings": "Findings",
        "ReserveImport": "Import bank files",
    }
    for name in PAGES:
        full = client.get(f"/beancount/extension/{name}/")
        assert full.status_code == 200
        assert "<article>" in full.data.decode()
    assert fava_errors(client) == []


def numbers(row: str) -> list[str]:
    return re.findall(r"[\d,]+\.\d+%?", row)


def test_dashboard_shows_the_report_per_township(client: FlaskClient) -> None:
    rows = table_rows(page(client, "ReserveDashboard"), "reserve-dashboard-table")
    by_name = {row.split(" ")[1]: row for row in rows if row.startswith(("迎泽区", "万柏林区"))}
    # allocated, small, general, emergency, paid, advances, in transit, balance, use %
    assert numbers(by_name["柳巷街道"]) == [
        "40,000.00", "450.00", "0.00", "0.00", "450.00", "0.00", "0.00", "39,550.00", "1.1%"
    ]
    assert numbers(by_name["桥东街道"]) == [
        "30,000.00", "0.00", "0.00", "0.00", "0.00", "2,000.00", "0.00", "28,000.00", "6.7%"
    ]
    assert numbers(by_name["兴华街道"]) == [
        "50,000.00", "0.00", "0.00", "1,000.00", "1,000.00", "500.00", "0.00", "48,500.00", "3.0%"
    ]
    county = next(r for r in rows if r.startswith("迎泽区民政局 · Total"))
    assert numbers(county)[0] == "70,000.00" and numbers(county)[-2] == "67,550.00"
    city = rows[-1]
    assert city.startswith("全市")
    assert numbers(city) == [
        "120,000.00", "450.00", "0.00", "1,000.00", "1,450.00", "2,500.00", "0.00",
        "116,050.00", "3.3%",
    ]


def test_dashboard_follows_favas_time_filter(client: FlaskClient) -> None:
    markup = page(client, "ReserveDashboard", "&time=2025-03")
    assert "2025-03-01 – 2025-03-31" in text_of(markup)
    rows = table_rows(markup, "reserve-dashboard-table")
    liuxiang = next(r for r in rows if "柳巷街道" in r)
    # Nothing allocated in March; 450.00 paid; the balance is that of 31 March.
    assert liuxiang.split()[2:4] == ["0.00", "450.00"]
    assert "39,550.00" in liuxiang


def test_dashboard_highlights_overdrawn_and_idle(tmp_path: Path) -> None:
    overdraw = """
2025-06-01 * "赵六" "小额临时救助"
  case: "YZ-QD-2025-009"
  recipient: "r-4a2b3c4d5e6f7084"
  approval: "township"
  approver: "桥东街道办事处"
  approved: 2025-06-01
  Expenses:Relief:Yingze:Qiaodong:Small  29000.00 CNY
  Assets:Reserve:Yingze:Qiaodong
"""
    _, client = client_for(write_fava_books(tmp_path, body=BODY + overdraw))
    markup = page(client, "ReserveDashboard")
    assert re.search(r'<tr class="township overdrawn"[^>]*data-township="Yingze:Qiaodong"', markup)
    assert re.search(r'<tr class="township idle"[^>]*data-township="Yingze:Liuxiang"', markup)
    # Not in the middle of a year: most of a reserve is rightly unspent then.
    march = page(client, "ReserveDashboard", "&time=2025-03")
    assert 'class="township idle"' not in march


def test_advances_lists_outstanding_with_age_and_links(client: FlaskClient) -> None:
    markup = page(client, "ReserveAdvances")
    rows = table_rows(markup, "reserve-advances-table")
    assert rows[0].split()[:4] == ["迎泽区民政局", "桥东街道", "YZ-QD-2025-001", "2025-03-10"]
    assert "2,000.00" in rows[0] and "2025-04-09 82" in rows[0]
    assert "WBL-XH-2025-002" in rows[1] and "500.00" in rows[1] and "2025-05-01 60" in rows[1]
    assert rows[-1].split() == ["Total", "2,500.00"]
    assert "/beancount/journal/?filter=%5Eadv-YZ-QD-2025-001" in markup
    assert "/beancount/editor/?file_path=" in markup and "line=" in markup


def test_findings_are_the_audits_with_links(client: FlaskClient, books_path: Path) -> None:
    markup = page(client, "ReserveFindings")
    expected = audit_mod.audit(books_mod.load(books_path, datetime.date.fromisoformat(AS_OF)))
    assert expected, "the test books must have findings"
    rows = table_rows(markup, "reserve-findings-table")
    assert [r.split()[0] for r in rows] == [f.code for f in expected]
    for finding in expected:
        assert f"line={finding.line}" in markup
    assert "ADVANCE-OVERDUE" in {f.code for f in expected}


def test_findings_depend_on_the_audit_date(client: FlaskClient) -> None:
    before = table_rows(page(client, "ReserveFindings"), "reserve-findings-table")
    assert not any(r.startswith("RESERVE-IDLE") for r in before)
    after = table_rows(
        page(client, "ReserveFindings", "&as_of=2026-01-15"), "reserve-findings-table"
    )
    idle = [r for r in after if r.startswith("RESERVE-IDLE")]
    assert len(idle) == 3 and all(r.split()[1] == "warning" for r in idle)


def test_findings_filter_by_code_township_and_kind(client: FlaskClient) -> None:
    rows = table_rows(
        page(client, "ReserveFindings", "&code=ADVANCE-OVERDUE"), "reserve-findings-table"
    )
    assert rows and all(r.startswith("ADVANCE-OVERDUE") for r in rows)
    rows = table_rows(
        page(client, "ReserveFindings", "&township=Yingze:Qiaodong"), "reserve-findings-table"
    )
    assert rows and all("桥东街道" in r for r in rows)
    rows = table_rows(
        page(client, "ReserveFindings", "&kind=warning&as_of=2026-01-15"), "reserve-findings-table"
    )
    assert rows and all(r.split()[1] == "warning" for r in rows)


def test_findings_include_explained_ones(tmp_path: Path) -> None:
    explained = (
        '2025-06-01 custom "explained" "ADVANCE-OVERDUE" "YZ-QD-2025-001"\n'
        '  reason: "补办材料已提交"\n  by: "审计科"\n'
    )
    _, client = client_for(write_fava_books(tmp_path, body=BODY + explained))
    rows = table_rows(page(client, "ReserveFindings", "&kind=explained"), "reserve-findings-table")
    assert len(rows) == 1 and "YZ-QD-2025-001" in rows[0] and "explained" in rows[0]


def test_findings_use_today_without_as_of(tmp_path: Path) -> None:
    _, client = client_for(write_fava_books(tmp_path, config=None))
    markup = page(client, "ReserveFindings")
    assert f'id="reserve-as-of">{datetime.date.today().isoformat()}<' in markup


def test_titles_are_chinese_when_the_language_is_zh(tmp_path: Path) -> None:
    zh = '2015-01-01 custom "fava-option" "language" "zh"\n'
    _, client = client_for(write_fava_books(tmp_path, extra=zh))
    data = client.get("/beancount/api/ledger_data").get_json()["data"]
    titles = [e["report_title"] for e in data["extensions"]]
    assert sorted(titles) == sorted(["备用金", "先行救助垫付", "审计发现", "导入银行文件"])
    assert "未结金额" in page(client, "ReserveAdvances")


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
    assert any("check family advances (RuntimeError" in m for m in messages)
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


class FakeImporter:
    """Stands in for `reserve import`: records calls, prints what it would book."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], str, bool]] = []
        self.output = "would book 1 approval record\n"

    def __call__(
        self, books: str, files: Sequence[str], account: str, *, dry_run: bool
    ) -> importing.Run:
        contents = [Path(f).read_text(encoding="utf-8") for f in files]
        self.calls.append(([Path(f).name for f in files], account, dry_run))
        verb = "would book" if dry_run else "booked"
        return importing.Run(0, self.output.replace("would book", verb) + "".join(contents), "")


@pytest.fixture
def fake_importer(monkeypatch: pytest.MonkeyPatch) -> FakeImporter:
    fake = FakeImporter()
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(fake))
    return fake


def upload(client: FlaskClient, name: str = "回盘.csv", content: bytes = b"a,b\n") -> str:
    response = client.post(
        "/beancount/extension/ReserveImport/preview",
        data={"files": [(BytesIO(content), name)], "account": "Assets:Reserve:Yingze:Liuxiang"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    return response.headers["Location"]


def confirm_form(markup: str) -> dict[str, str]:
    form = markup[markup.index('id="reserve-import-confirm"') :]
    return dict(re.findall(r'name="(token|digest)" value="([^"]*)"', form))


def test_import_previews_then_books(client: FlaskClient, fake_importer: FakeImporter) -> None:
    location = upload(client)
    markup = client.get(location).data.decode()
    assert "would book 1 approval record" in markup
    assert fake_importer.calls == [(["回盘.csv"], "Assets:Reserve:Yingze:Liuxiang", True)]
    response = client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    assert response.status_code == 303
    assert "booked 1 approval record" in client.get(response.headers["Location"]).data.decode()
    assert [c[2] for c in fake_importer.calls] == [True, True, False]
    # The same preview cannot be booked twice.
    again = client.post("/beancount/extension/ReserveImport/confirm", data=confirm_form(markup))
    assert "expired=1" in again.headers["Location"]
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
