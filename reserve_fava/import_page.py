"""The import page: upload files, see what `reserve import --dry-run` says, confirm to book.

Flow (post, redirect, get — no JavaScript needed):
  1. GET the page: a form to upload approval registers, bank request and result files.
  2. POST `preview`: the files are stored, `reserve import --dry-run` runs on them, and the
     browser is sent back to the page with `?preview=TOKEN` to read exactly what would be
     booked.
  3. POST `confirm` (token and the preview's fingerprint): the dry run is repeated; if its
     output changed (the books moved on) the new preview is shown instead; otherwise
     `reserve import` books the files and the page shows its output (`?done=TOKEN`).
The confirm step is a POST, which Fava refuses itself in `--read-only` mode; the page also
refuses it when it finds Fava read-only or the config says `'read_only': True`. Two confirms of
one preview at once book once: the second waits for the first and shows its result.
An upload larger than `spool.max_upload()` (50 MB unless `RESERVE_FAVA_MAX_UPLOAD_MB`
says otherwise) is refused before anything of it is stored (`?too_large=`).

Fava's own import page is not used to save: it writes date metadata as strings and fails on
numeric metadata.
"""

from __future__ import annotations

from typing import Any
from typing import ClassVar

from fava.context import g
from fava.ext import extension_endpoint
from flask import Response
from flask import make_response
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from markupsafe import Markup
from markupsafe import escape
from werkzeug.exceptions import RequestEntityTooLarge

from reserve_fava import importing
from reserve_fava import spool
from reserve_fava.base import Notice
from reserve_fava.base import ReservePage

_MB = 1024 * 1024


class ReserveImport(ReservePage):
    """Upload bank files and registers, preview the booking, confirm it."""

    title = "Import bank files"

    #: The function that books files; `reserve import` in a child process by default.
    importer: ClassVar[importing.Importer] = staticmethod(importing.cli_import)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Create the page with an empty store of uploads (kept across reloads)."""
        super().__init__(*args, **kwargs)
        self.uploads = importing.Uploads()
        spool.sweep_once()  # Earlier runs' abandoned uploads.

    def notices(self) -> list[Notice]:
        """Return the pages' notices, and the refusal of an upload that was too large."""
        shown = super().notices()
        limit = request.args.get("too_large", "")
        if limit:
            english = "The upload is too large: at most {limit} MB at a time; nothing was stored."
            megabytes = f"{round(int(limit) / _MB, 2):g}" if limit.isdigit() else limit
            shown.append(Notice("reserve-too-large", self.t(english).format(limit=megabytes)))
        return shown

    def content(self) -> dict[str, Any]:
        """Return what the page shows: the form, a preview or a booking result."""
        preview = self.uploads.get(request.args.get("preview", ""))
        done = self.uploads.get(request.args.get("done", ""))
        return {
            "read_only": self.read_only(),
            "preview": preview,
            "token": request.args.get("preview", ""),
            "done": done,
            "changed": bool(request.args.get("changed")),
            "expired": bool(request.args.get("expired")),
            "empty": bool(request.args.get("empty")),
            "preview_url": self.endpoint_url("preview"),
            "confirm_url": self.endpoint_url("confirm"),
        }

    def endpoint_url(self, endpoint: str) -> str:
        """Return the URL of one of this page's endpoints."""
        # Fava's route names a parameter `endpoint`, which `url_for` cannot take: the
        # endpoint URL is the page's URL (without its query) plus the endpoint's name.
        page = url_for("extension_report", bfile=g.beancount_file_slug, extension_name=self.name)
        return page.split("?", 1)[0] + endpoint

    def _back(self, **args: str) -> Response:
        return make_response(redirect(self.page_url(**args), code=303))

    def _refused(self) -> Response:
        message = escape(self.t("Importing is refused: Fava runs read-only."))
        content = Markup(f'<p class="message" id="reserve-refused">{message}</p>')
        page = render_template("_layout.html", content=content, page_title=self.report_title)
        return make_response(page, 403)

    @extension_endpoint("preview", ["POST"])  # type: ignore[arg-type,untyped-decorator]
    def preview(self) -> Response:
        """Store the uploaded files, run the dry run, show it."""
        limit = spool.max_upload()
        too_large = self._back(too_large=str(limit))
        # Refused unread when the request says its size; otherwise read only up to the limit
        # (werkzeug stops reading past it), and the stored files are counted again.
        size = request.content_length
        if size is not None and size > limit:
            return too_large
        allowed = request.max_content_length  # Flask's MAX_CONTENT_LENGTH, if set.
        if allowed is None or allowed > limit + _MB:
            request.max_content_length = limit + _MB  # Room for the form around the files.
        try:
            files = [f for f in request.files.getlist("files") if f and f.filename]
            account = request.form.get("account", "")
        except RequestEntityTooLarge:
            return too_large
        if not files:
            return self._back(empty="1")
        try:
            token, upload = self.uploads.save(files, account, limit=limit)
        except spool.TooLarge:
            return too_large
        upload.preview = self.importer(
            self.ledger.beancount_file_path, upload.paths, upload.account, dry_run=True
        )
        return self._back(preview=token)

    @extension_endpoint("confirm", ["POST"])  # type: ignore[arg-type,untyped-decorator]
    def confirm(self) -> Response:
        """Book the previewed files, if the books have not changed since the preview."""
        if self.read_only():
            return self._refused()
        token = request.form.get("token", "")
        upload = self.uploads.get(token)
        if upload is None or upload.preview is None:
            return self._back(expired="1")
        # One confirm at a time per preview: a second one (a double click, two officers)
        # waits here for the first, then finds it booked and shows its result.
        with upload.busy:
            if upload.booked is not None:
                return self._back(done=token)
            books = self.ledger.beancount_file_path
            again = self.importer(books, upload.paths, upload.account, dry_run=True)
            if not again.ok or again.digest != request.form.get("digest", ""):
                upload.preview = again
                return self._back(preview=token, changed="1")
            upload.booked = self.importer(books, upload.paths, upload.account, dry_run=False)
            # Booked or refused, the files cannot be confirmed again: they hold full ID and
            # card numbers, so they go now.
            self.uploads.discard_files(upload)
        return self._back(done=token)
