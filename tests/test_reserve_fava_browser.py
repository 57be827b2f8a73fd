"""The Fava extension in a real browser: headless Chromium over chromedriver (selenium).

Fava runs in a thread (werkzeug) on 127.0.0.1 and a free port. Each page is loaded, the
rendered table is read, any SEVERE entry of the browser's console fails the test, and a
screenshot is saved as `artifacts/fava-<page>.png`. Skipped when chromium or chromedriver is
missing, unless RESERVE_REQUIRE_BROWSER=1 (as in `.ci/run`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fava.application import create_app
from fava_fixtures import FakeImporter
from fava_fixtures import write_fava_books
from werkzeug.serving import make_server

from reserve_fava.import_page import ReserveImport

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)


def _missing() -> str:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if not CHROMIUM or not CHROMEDRIVER:
        return "chromium or chromedriver is not installed"
    return ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    problem = _missing()
    if problem:
        if os.environ.get("RESERVE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RESERVE_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="reserve-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    books = write_fava_books(tmp_path_factory.mktemp("fava-books"))
    app = create_app([books])
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/beancount"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


def _visit(driver: Any, url: str, ready: str) -> Any:
    """Load a page, wait for an element, fail on console errors; return the element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get_log("browser")  # Forget what earlier pages logged.
    driver.get(url)
    found = WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ready))
    )
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    # Fava's frontend renders its header and sidebar after load: wait for the sidebar link.
    WebDriverWait(driver, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "aside a[href*='extension/ReserveFindings']")
    )
    return found


def _after_click(driver: Any, url_part: str, ready: str) -> Any:
    """Wait for the navigation a click started (URL holding url_part); return the element."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(expected_conditions.url_contains(url_part))
    found = WebDriverWait(driver, 30).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ready))
    )
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    return found


def _console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _rows(table: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [row.text for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def _shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"fava-{name}.png"))


def test_dashboard_in_the_browser(browser: Any, server: str) -> None:
    table = _visit(browser, f"{server}/extension/ReserveDashboard/", "#reserve-dashboard-table")
    rows = _rows(table)
    _shot(browser, "dashboard")
    assert any("柳巷街道" in r and "39,550.00" in r for r in rows), rows
    assert rows[-1].startswith("全市") and "116,050.00" in rows[-1]
    assert _console_errors(browser) == []


def test_advances_in_the_browser(browser: Any, server: str) -> None:
    table = _visit(browser, f"{server}/extension/ReserveAdvances/", "#reserve-advances-table")
    rows = _rows(table)
    _shot(browser, "advances")
    assert "YZ-QD-2025-001" in rows[0] and "2,000.00" in rows[0]
    assert _console_errors(browser) == []


def test_findings_in_the_browser(browser: Any, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    table = _visit(browser, f"{server}/extension/ReserveFindings/", "#reserve-findings-table")
    rows = _rows(table)
    _shot(browser, "findings")
    assert any(r.startswith("ADVANCE-OVERDUE") for r in rows), rows
    assert _console_errors(browser) == []
    Select(browser.find_element(By.NAME, "code")).select_by_value("ADVANCE-OVERDUE")
    browser.find_element(By.CSS_SELECTOR, "#reserve-findings-filter button").click()
    table = _after_click(browser, "code=ADVANCE-OVERDUE", "#reserve-findings-table")
    filtered = _rows(table)
    assert filtered and all(r.startswith("ADVANCE-OVERDUE") for r in filtered)
    assert _console_errors(browser) == []


def test_import_in_the_browser(
    browser: Any, server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from selenium.webdriver.common.by import By

    fake = FakeImporter()
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(fake))
    upload = tmp_path / "回盘.csv"
    upload.write_text("序号,姓名\n", encoding="utf-8")
    _visit(browser, f"{server}/extension/ReserveImport/", "#reserve-import-form")
    _shot(browser, "import")
    browser.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "#reserve-import-form button").click()
    preview = _after_click(browser, "preview=", "#reserve-import-preview")
    assert "would book 1 approval record" in preview.text
    _shot(browser, "import-preview")
    assert _console_errors(browser) == []
    browser.find_element(By.CSS_SELECTOR, "#reserve-import-confirm button").click()
    result = _after_click(browser, "done=", "#reserve-import-result")
    assert "booked 1 approval record" in result.text
    assert [dry for _, _, dry in fake.calls] == [True, True, False]
    _shot(browser, "import-booked")
    assert _console_errors(browser) == []
