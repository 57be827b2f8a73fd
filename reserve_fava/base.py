"""The base of the four pages: title in the page's language, config, safe hooks, links.

This module is deliberately not imported into `reserve_fava`'s namespace: Fava turns every
`FavaExtensionBase` subclass it finds there into an extension, and the base is not a page.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any
from typing import ClassVar

from fava.context import g
from fava.ext import FavaExtensionBase
from flask import current_app
from flask import request
from flask import url_for

from ledger.findings import shown_path
from reserve_fava import config as config_mod
from reserve_fava import i18n
from reserve_fava import views
from reserve_fava.state import ComputeError
from reserve_fava.state import State
from reserve_fava.state import state_for

if TYPE_CHECKING:
    from fava.core import FavaLedger


#: The longest Beancount message a banner quotes.
_QUOTED = 300


def _located(error: Any) -> bool:
    """Return True when a Beancount error names a file (a missing include names none)."""
    source = getattr(error, "source", None) or {}
    file = str(source.get("filename") or "")
    return bool(file) and not file.startswith("<")


@dataclasses.dataclass(frozen=True)
class Notice:
    """A message shown at the top of a page (`_reserve_notices.html`): element id and text."""

    id: str
    text: str


class ReservePage(FavaExtensionBase):
    """One of the project's pages beside Fava's own."""

    #: The page's English title (the Chinese one comes from `i18n.ZH`).
    title: ClassVar[str] = ""

    def __init__(self, ledger: FavaLedger, config: str | None = None) -> None:
        """Create the page; the config is read from the books after each load instead.

        Fava's base class would parse `config` here and only survive a `SyntaxError` in it.
        """
        del config
        super().__init__(ledger, None)

    @property
    def report_title(self) -> str:
        """Return the page's title in the language of Fava's interface."""
        return i18n.text(self.title)

    @report_title.setter
    def report_title(self, value: str) -> None:
        """Ignore Fava setting a title: it is derived from `title`."""

    @property
    def state(self) -> State:
        """Return the ledger's shared state (config and cached figures)."""
        return state_for(self.ledger)

    def after_load_file(self) -> None:
        """Read the config of the new load; report a problem instead of raising."""
        try:
            self.state.refresh(self.ledger)
        except Exception as error:
            self.state.report(self.ledger, f"reserve_fava: reading the config failed: {error!r}")

    def safely(self, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Return make()'s values, or {"error": message} when `ledger/` failed.

        The failure is also on Fava's errors page (see `State`); the page still renders.
        """
        try:
            return make()
        except ComputeError as error:
            return {"error": f"{self.t('The figures could not be computed')}: {error}"}
        except Exception as error:
            self.state.report(self.ledger, f"reserve_fava: {self.name} failed: {error!r}")
            return {"error": f"{self.t('The figures could not be computed')}: {error!r}"}

    def money(self, amount: Decimal | None) -> str:
        """Return an amount as the pages write it ("45,000.00")."""
        return views.money(amount)

    def t(self, english: str) -> str:
        """Return a text in the page's language (for templates)."""
        return i18n.text(english)

    def as_of(self) -> datetime.date:
        """Return the audit date: `?as_of=` on the page, else the config's, else today.

        An unreadable `?as_of=` counts as absent; `notices` names it on the page.
        """
        self.state.refresh(self.ledger)
        return self._asked_as_of() or self.state.as_of()

    def _asked_as_of(self) -> datetime.date | None:
        asked = request.args.get("as_of", "")
        if not asked:
            return None
        try:
            return config_mod.parse_date(asked)
        except ValueError:
            return None

    def notices(self) -> list[Notice]:
        """Return the messages every page shows on top: unreadable books, a bad `?as_of=`."""
        self.state.refresh(self.ledger)
        shown = []
        unreadable = self.state.unreadable
        if unreadable:
            first = min(unreadable, key=lambda e: not _located(e))  # One with a line, if any.
            source = getattr(first, "source", None) or {}
            where = ""
            if _located(first):
                where = f"{self.short_path(str(source['filename']))}:{source.get('lineno')} "
            message = str(getattr(first, "message", first))
            if len(message) > _QUOTED:
                message = message[: _QUOTED - 1] + "…"
            english = (
                "The books cannot be read: {count} error, the figures are incomplete; "
                "first: {first}"
            )
            if len(unreadable) > 1:
                english = english.replace("error,", "errors,")
            text = self.t(english).format(count=len(unreadable), first=where + message)
            shown.append(Notice("reserve-unreadable", text))
        asked = request.args.get("as_of", "")
        if asked and self._asked_as_of() is None:
            english = "as_of {value} in the address is not a date YYYY-MM-DD; {date} is used"
            text = self.t(english).format(value=repr(asked), date=self.as_of())
            shown.append(Notice("reserve-bad-as-of", text))
        return shown

    def short_path(self, file: str) -> str:
        """Return a file's path relative to the main file's folder (as is, if outside it)."""
        base = os.path.dirname(os.path.abspath(self.ledger.beancount_file_path))
        return shown_path(file, base)

    def read_only(self) -> bool:
        """Return True when writing is refused: Fava's `--read-only`, or the config says so.

        Fava 1.30 does not keep its read-only flag anywhere but in the request hook that
        refuses non-GET requests (`_read_only`), so that hook is looked for.
        """
        if self.state.config.read_only or current_app.config.get("RESERVE_READ_ONLY"):
            return True
        hooks = current_app.before_request_funcs.get(None, [])
        return any(getattr(hook, "__name__", "") == "_read_only" for hook in hooks)

    def source_url(self, file: str, line: int) -> str:
        """Return Fava's editor URL for a file and line (as on Fava's errors page)."""
        if not file or file.startswith("<"):
            return ""
        return url_for(
            "report",
            bfile=g.beancount_file_slug,
            report_name="editor",
            file_path=file,
            line=str(line),
        )

    def journal_url(self, link: str) -> str:
        """Return Fava's journal URL filtered to a link (`^adv-…`)."""
        return url_for(
            "report", bfile=g.beancount_file_slug, report_name="journal", filter=f"^{link}"
        )

    def page_url(self, **args: str) -> str:
        """Return this page's URL with query arguments (Fava's time filter kept)."""
        values: dict[str, Any] = {k: v for k, v in args.items() if v}
        time = request.args.get("time")
        if time:
            values.setdefault("time", time)
        return url_for(
            "extension_report", bfile=g.beancount_file_slug, extension_name=self.name, **values
        )
