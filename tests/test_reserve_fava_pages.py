"""The Fava extension's pages through Flask's test client: dashboard, advances, findings."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from fava_fixtures import AS_OF
from fava_fixtures import BODY
from fava_fixtures import PAGES
from fava_fixtures import client_for
from fava_fixtures import fava_errors
from fava_fixtures import numbers
from fava_fixtures import page
from fava_fixtures import table_rows
from fava_fixtures import text_of
from fava_fixtures import write_fava_books
from flask.testing import FlaskClient

from ledger import audit as audit_mod
from ledger import books as books_mod


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
