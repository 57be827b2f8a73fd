"""The import page's uploads: a size limit, no files left behind, one booking per preview."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pytest
from fava_fixtures import FakeImporter
from fava_fixtures import client_for
from fava_fixtures import confirm_form
from fava_fixtures import text_of
from fava_fixtures import upload
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage

from reserve_fava import importing
from reserve_fava import spool as spool_mod
from reserve_fava.import_page import ReserveImport

PREVIEW = "/beancount/extension/ReserveImport/preview"
CONFIRM = "/beancount/extension/ReserveImport/confirm"


@pytest.fixture
def spool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep this test's uploads under its own folder; return that folder."""
    parent = tmp_path / "spool"
    parent.mkdir()
    monkeypatch.setattr(spool_mod, "SPOOL", spool_mod.Spool(str(parent)))
    return parent


@pytest.fixture
def fake_importer(monkeypatch: pytest.MonkeyPatch) -> FakeImporter:
    fake = FakeImporter()
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(fake))
    return fake


def stored(parent: Path) -> list[Path]:
    return sorted(p for p in parent.rglob("*") if p.is_file() and p.name != spool_mod.PID_FILE)


# 1. The size limit -------------------------------------------------------------------------


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(
    client: FlaskClient,
    spool: Path,
    fake_importer: FakeImporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(spool_mod.MAX_UPLOAD_VARIABLE, "0.01")  # 10,485 bytes.
    location = upload(client, content=b"a,b\n" * 5000, account="")
    assert "too_large=" in location and "preview=" not in location
    markup = client.get(location).get_data(as_text=True)
    assert 'id="reserve-too-large"' in markup
    assert "The upload is too large: at most 0.01 MB at a time; nothing was stored." in (
        text_of(markup)
    )
    assert 'id="reserve-import-form"' in markup  # The form is there to try again.
    assert stored(spool) == [] and fake_importer.calls == []
    # Under the limit, the same page previews.
    assert "preview=" in upload(client, content=b"a,b\n" * 100, account="")
    assert len(stored(spool)) == 1


def test_the_default_limit_is_50_mb(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(spool_mod.MAX_UPLOAD_VARIABLE, raising=False)
    assert spool_mod.max_upload() == 50 * 1024 * 1024
    for bad in ("lots", "0", "-3", "inf", "nan"):
        monkeypatch.setenv(spool_mod.MAX_UPLOAD_VARIABLE, bad)
        assert spool_mod.max_upload() == 50 * 1024 * 1024, bad
    monkeypatch.setenv(spool_mod.MAX_UPLOAD_VARIABLE, "200")
    assert spool_mod.max_upload() == 200 * 1024 * 1024


def test_stored_files_are_counted_whatever_the_request_says(spool: Path) -> None:
    uploads = importing.Uploads()
    files = [FileStorage(BytesIO(b"x" * 600), "a.csv"), FileStorage(BytesIO(b"y" * 600), "b.csv")]
    with pytest.raises(spool_mod.TooLarge):
        uploads.save(files, "", limit=1000)
    assert stored(spool) == []
    assert not list(spool.rglob("upload-*"))


# 2. No files left behind -------------------------------------------------------------------


def test_a_pushed_out_preview_loses_its_files(spool: Path) -> None:
    uploads = importing.Uploads()
    first_token, first = uploads.save([FileStorage(BytesIO(b"1"), "1.csv")], "")
    for number in range(importing.KEEP):
        uploads.save([FileStorage(BytesIO(b"n"), f"{number}.csv")], "")
    assert uploads.get(first_token) is None and not first.folder.exists()
    assert len(stored(spool)) == importing.KEEP


def test_uploads_live_in_one_folder_per_process_with_its_pid(spool: Path) -> None:
    _, upload = importing.Uploads().save([FileStorage(BytesIO(b"a"), "a.csv")], "")
    (folder,) = spool.iterdir()
    assert folder.name.startswith(f"{spool_mod.PREFIX}{os.getpid()}-")
    assert (folder / spool_mod.PID_FILE).read_text(encoding="ascii").strip() == str(os.getpid())
    assert upload.folder.parent == folder
    assert oct(folder.stat().st_mode & 0o777) == oct(0o700)
    spool_mod.SPOOL.remove()
    assert not folder.exists()


def test_the_upload_folder_goes_when_the_process_exits(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from io import BytesIO\n"
        "from werkzeug.datastructures import FileStorage\n"
        "from reserve_fava import importing, spool\n"
        "spool.SPOOL = spool.Spool(sys.argv[1])\n"
        "_, upload = importing.Uploads().save([FileStorage(BytesIO(b'a'), 'a.csv')], '')\n"
        "print(upload.folder)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().startswith(str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_start_removes_only_surely_abandoned_folders(tmp_path: Path) -> None:
    old = time.time() - spool_mod.STALE_AFTER - 3600
    dead = _dead_pid()

    def folder(name: str, pid: int | None, mtime: float) -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / "回盘.csv").write_text("a,b\n", encoding="utf-8")
        if pid is not None:
            (path / spool_mod.PID_FILE).write_text(f"{pid}\n", encoding="ascii")
        os.utime(path, (mtime, mtime))
        return path

    gone = [
        folder("reserve-fava-old-dead", dead, old),
        folder("reserve-fava-old-version", None, old),  # A preview folder of an older release.
    ]
    kept = [
        folder("reserve-fava-old-running", os.getppid(), old),  # Another server, still up.
        folder("reserve-fava-old-mine", os.getpid(), old),
        folder("reserve-fava-new-dead", dead, time.time()),  # Not a day old yet.
        folder("reserve-fava-old-garbled", None, old),
        folder("other-old-dead", dead, old),  # Not ours.
    ]
    (kept[3] / spool_mod.PID_FILE).write_text("not a pid", encoding="ascii")
    os.utime(kept[3], (old, old))
    assert sorted(spool_mod.sweep(str(tmp_path))) == sorted(gone)
    assert [p.exists() for p in gone] == [False, False]
    assert all(p.exists() for p in kept)


def test_the_page_sweeps_when_it_starts(
    books_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    stale = temp / "reserve-fava-abandoned"
    stale.mkdir()
    (stale / "回盘.csv").write_text("a,b\n", encoding="utf-8")
    old = time.time() - spool_mod.STALE_AFTER - 60
    os.utime(stale, (old, old))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(spool_mod, "_swept_once", [])
    _, client = client_for(books_path)
    assert client.get("/beancount/extension/ReserveImport/").status_code == 200
    assert not stale.exists()


def test_a_refused_booking_loses_its_files(
    client: FlaskClient, spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Refusing(FakeImporter):
        def __call__(
            self, books: str, files: Sequence[str], account: str, *, dry_run: bool
        ) -> importing.Run:
            run = super().__call__(books, files, account, dry_run=dry_run)
            return run if dry_run else importing.Run(2, "", "refused")

    monkeypatch.setattr(ReserveImport, "importer", staticmethod(Refusing()))
    markup = client.get(upload(client, content=b"a,b\n", account="")).get_data(as_text=True)
    assert len(stored(spool)) == 1
    client.post(CONFIRM, data=confirm_form(markup))
    assert stored(spool) == []


# 3. One booking per preview ----------------------------------------------------------------


class SlowImporter(FakeImporter):
    """Books slowly: the real import waits until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.booking = threading.Event()
        self.go = threading.Event()

    def __call__(
        self, books: str, files: Sequence[str], account: str, *, dry_run: bool
    ) -> importing.Run:
        if not dry_run:
            self.booking.set()
            assert self.go.wait(10)
        return super().__call__(books, files, account, dry_run=dry_run)


def test_two_confirms_at_once_book_once_and_both_show_the_booking(
    books_path: Path, spool: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowImporter()
    monkeypatch.setattr(ReserveImport, "importer", staticmethod(slow))
    app, client = client_for(books_path)
    markup = client.get(upload(client, content=b"a,b\n", account="")).get_data(as_text=True)
    form = confirm_form(markup)
    locations: dict[str, str] = {}

    def confirm(name: str) -> None:
        try:
            response = app.test_client().post(CONFIRM, data=form)
        except Exception as error:  # Shown in the assertion below.
            locations[name] = f"raised {error!r}"
            return
        locations[name] = f"{response.status_code} {response.headers.get('Location', '')}"

    first = threading.Thread(target=confirm, args=("first",))
    first.start()
    assert slow.booking.wait(10)
    second = threading.Thread(target=confirm, args=("second",))
    second.start()
    time.sleep(0.5)  # The second confirm arrives while the first is booking.
    slow.go.set()
    first.join(10)
    second.join(10)
    assert [dry for _, _, dry in slow.calls].count(False) == 1
    assert locations["first"] == locations["second"]
    assert locations["first"].startswith("303 ") and "done=" in locations["first"]
    shown = client.get(locations["second"].split(" ", 1)[1]).get_data(as_text=True)
    assert "booked 1 approval record" in shown and "Nothing was written" not in shown
    assert stored(spool) == []
