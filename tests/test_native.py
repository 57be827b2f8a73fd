"""The compiled build (`ledger.native`, setup.py): what runs is the code on disk."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from typing import cast

import pytest

from ledger import native

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def meta_path() -> Iterator[None]:
    """Put `sys.meta_path` back as it was (the guard inserts its finder there)."""
    saved = list(sys.meta_path)
    yield
    sys.meta_path[:] = saved


def _built(root: Path, sources: dict[str, str]) -> Path:
    """Return a tree with sources and a build record of them, as a build leaves it."""
    for name, text in sources.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    record = {name: native.digest(root / name) for name in sources}
    (root / "ledger" / native.BUILD_FILE).write_text(json.dumps(record), encoding="utf-8")
    return root


def test_every_listed_module_has_its_source() -> None:
    assert len(set(native.MODULES)) == len(native.MODULES)
    for module in native.MODULES:
        assert native.source_path(module, REPO).is_file(), module
    assert "ledger.books" not in native.MODULES  # Its `Books` are weakly referenced.


def test_sources_as_built_are_not_stale(tmp_path: Path) -> None:
    root = _built(tmp_path, {"ledger/index.py": "x = 1\n", "ledger/checks/vouch.py": "y = 2\n"})
    assert native.stale(root) == []


def test_an_edited_source_is_stale_and_named(tmp_path: Path) -> None:
    root = _built(tmp_path, {"ledger/index.py": "x = 1\n", "ledger/checks/vouch.py": "y = 2\n"})
    (root / "ledger/checks/vouch.py").write_text("y = 3\n", encoding="utf-8")
    (root / "ledger/index.py").unlink()
    assert native.stale(root) == ["ledger/checks/vouch.py", "ledger/index.py"]


def test_no_build_record_means_nothing_is_stale(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    assert native.stale(tmp_path) == []


def test_a_damaged_build_record_is_stale(tmp_path: Path) -> None:
    (tmp_path / "ledger").mkdir()
    (tmp_path / "ledger" / native.BUILD_FILE).write_text("{not json", encoding="utf-8")
    assert native.stale(tmp_path) == [f"ledger/{native.BUILD_FILE}"]


def test_the_guard_runs_every_listed_module_from_source_once_one_is_stale(
    tmp_path: Path, meta_path: None
) -> None:
    root = _built(tmp_path, {"ledger/money.py": "x = 1\n", "ledger/checks/approval.py": ""})
    (root / "ledger/money.py").write_text("x = 2\n", encoding="utf-8")
    with pytest.warns(native.NativeWarning, match=r"ledger/money\.py changed"):
        assert native.guard(root) == ["ledger/money.py"]
    finder = sys.meta_path[0]
    spec = finder.find_spec("ledger.checks.approval", None)
    assert spec is not None and spec.origin == str(root / "ledger/checks/approval.py")
    assert finder.find_spec("ledger.books", None) is None  # Not compiled: not its business.
    assert finder.find_spec("json", None) is None
    native.guard(root)  # A second call adds no second finder.
    assert sum(f.__class__.__name__ == "_SourceFirst" for f in sys.meta_path) == 1


def test_the_guard_does_nothing_when_the_build_is_current(
    tmp_path: Path, meta_path: None
) -> None:
    root = _built(tmp_path, {"ledger/money.py": "x = 1\n"})
    before = list(sys.meta_path)
    assert native.guard(root) == []
    assert sys.meta_path == before


def test_a_stale_module_is_imported_from_its_source(tmp_path: Path, meta_path: None) -> None:
    # A listed module's name, served from a tree whose build record no longer matches.
    root = _built(tmp_path, {"ledger/tiers.py": "WHERE = 'old'\n"})
    (root / "ledger/tiers.py").write_text("WHERE = 'source'\n", encoding="utf-8")
    saved = sys.modules.pop("ledger.tiers")
    try:
        with pytest.warns(native.NativeWarning):
            native.guard(root)
        module = importlib.import_module("ledger.tiers")
        assert module.WHERE == "source"
        assert not native.compiled("ledger.tiers")
    finally:
        sys.modules["ledger.tiers"] = saved


@pytest.mark.skipif(
    os.environ.get("RESERVE_REQUIRE_COMPILED") != "1",
    reason="the compiled build is required where RESERVE_REQUIRE_COMPILED=1 (CI)",
)
def test_the_installed_checks_run_compiled_and_current() -> None:
    assert [m for m in native.MODULES if not native.compiled(m)] == []
    assert native.stale() == []


def test_entries_another_plugin_left_loosely_typed_are_audited_as_in_python() -> None:
    # Compiled code checks the types Beancount declares; a plugin before ours may leave a
    # transaction's tags a `set`, or its links None, and a `custom` without values has
    # `values=None`. The checks read those fields untyped: the same findings as in Python.
    import datetime

    from beancount.core import data

    from ledger import audit
    from ledger import books as books_mod

    as_of = datetime.date(2026, 11, 28)
    loaded = books_mod.load(REPO / "books" / "main.beancount", as_of)
    loose = [
        cast(Any, e)._replace(tags={"imported", *e.tags}, links=set(e.links) or None)
        if isinstance(e, data.Transaction)
        else e
        for e in loaded.entries
    ]
    custom = data.Custom(data.new_metadata("x.beancount", 1), as_of, "note-to-self", cast(Any, None))
    books = books_mod.Books([*loose, custom], loaded.options, as_of, loaded.main_file)
    found = audit.audit(books)
    assert [f.code for f in found if f.severity == "error"] == []


def test_a_missing_source_is_said_so_not_run_compiled(tmp_path: Path, meta_path: None) -> None:
    root = _built(tmp_path, {"ledger/money.py": "x = 1\n"})
    (root / "ledger/money.py").unlink()
    with pytest.warns(native.NativeWarning, match=r"ledger/money\.py changed"):
        native.guard(root)
    with pytest.raises(ImportError, match=r"ledger/money\.py is missing"):
        sys.meta_path[0].find_spec("ledger.money", None)


def test_the_build_record_names_every_listed_source_with_its_digest() -> None:
    record = native.manifest(REPO)  # What setup.py writes.
    assert sorted(record) == sorted(
        native.source_path(m, REPO).relative_to(REPO).as_posix() for m in native.MODULES
    )
    assert record["ledger/money.py"] == native.digest(REPO / "ledger/money.py")
