"""The project's pages in Fava: reserve dashboard, advances, findings, bank-file import.

Declare it in the books (the optional config is described in `reserve_fava.config`):

    2015-01-01 custom "fava-extension" "reserve_fava"
    2015-01-01 custom "fava-extension" "reserve_fava" "{'as_of': '2026-01-01'}"

`reserve serve` serves the pages on books without that line too (`reserve_fava.serving`).

Fava makes an extension of every `FavaExtensionBase` subclass in this module's namespace: the
four pages below, one per sidebar entry. Documentation: docs/fava.md.
"""

from __future__ import annotations

from reserve_fava.import_page import ReserveImport
from reserve_fava.pages import ReserveAdvances
from reserve_fava.pages import ReserveDashboard
from reserve_fava.pages import ReserveFindings

__all__ = ["ReserveAdvances", "ReserveDashboard", "ReserveFindings", "ReserveImport"]
