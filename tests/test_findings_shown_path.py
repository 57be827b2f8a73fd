"""How the CLI and the Fava pages show a finding's file (`ledger.findings.shown_path`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.findings import shown_path


def test_a_file_under_the_base_is_shown_relative(tmp_path: Path) -> None:
    target = tmp_path / "chenglong" / "2024-transactions.beancount"
    assert shown_path(str(target), str(tmp_path)) == "chenglong/2024-transactions.beancount"


def test_a_file_outside_the_base_is_shown_whole(tmp_path: Path) -> None:
    outside = tmp_path / "other" / "books.beancount"
    base = tmp_path / "city"
    assert shown_path(str(outside), str(base)) == str(outside)


def test_a_name_starting_with_two_dots_is_inside(tmp_path: Path) -> None:
    # Only a path that climbs out of the base ("../…") is outside it.
    assert shown_path(str(tmp_path / "..notes.beancount"), str(tmp_path)) == "..notes.beancount"


@pytest.mark.parametrize("path", ["", "<string>", "<reserve>"])
def test_no_file_is_shown_as_is(path: str, tmp_path: Path) -> None:
    assert shown_path(path, str(tmp_path)) == path


def test_the_working_folder_is_the_default_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert shown_path(str(tmp_path / "main.beancount")) == "main.beancount"
