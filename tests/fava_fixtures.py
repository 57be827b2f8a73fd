"""The Fava test city and helpers shared by the Fava extension tests (test client, browser)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from fava.application import create_app
from flask import Flask
from flask.testing import FlaskClient
from ledgers import PRELUDE

from reserve_fava import importing

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


def numbers(row: str) -> list[str]:
    return re.findall(r"[\d,]+\.\d+%?", row)


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


def upload(
    client: FlaskClient,
    name: str = "回盘.csv",
    content: bytes = b"a,b\n",
    account: str = "Assets:Reserve:Yingze:Liuxiang",
) -> str:
    """Post one file to the import page's preview; return where it sends the browser."""
    response = client.post(
        "/beancount/extension/ReserveImport/preview",
        data={"files": [(BytesIO(content), name)], "account": account},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    return str(response.headers["Location"])


def confirm_form(markup: str) -> dict[str, str]:
    """Return the token and digest of a preview's confirm form."""
    form = markup[markup.index('id="reserve-import-confirm"') :]
    return dict(re.findall(r'name="(token|digest)" value="([^"]*)"', form))
