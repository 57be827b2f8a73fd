"""Rendering findings as text, JSON or CSV (SPEC §7)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from ledger.audit import summary
from ledger.findings import JSON_FIELDS
from ledger.findings import Finding
from ledger.findings import shown_path


def as_json(findings: Sequence[Finding]) -> str:
    """Return the audit JSON: a list of finding objects and nothing else."""
    return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2)


def as_csv(findings: Sequence[Finding]) -> str:
    """Return findings as CSV with the JSON fields as columns."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(JSON_FIELDS), lineterminator="\n")
    writer.writeheader()
    for finding in findings:
        writer.writerow(finding.to_json())
    return out.getvalue()


def as_text(findings: Sequence[Finding], as_of: str, notes: Sequence[str] = ()) -> str:
    """Return one line per finding (file:line, marks, message), a count by code, then notes."""
    lines = []
    for f in findings:
        where = f"{shown_path(f.file)}:{f.line}" if f.file else "-"
        marks = []
        if f.severity == "warning":
            marks.append("warning")
        if f.explained:
            marks.append("explained")
        mark = f" [{', '.join(marks)}]" if marks else ""
        lines.append(f"{where}: {f.message}{mark}")
    counts = summary(findings)
    errors = sum(1 for f in findings if f.severity == "error" and not f.explained)
    warnings = sum(1 for f in findings if f.severity == "warning")
    explained = sum(1 for f in findings if f.explained)
    if lines:
        lines.append("")
    lines.append(
        f"Audit as of {as_of}: {errors} error(s), {warnings} warning(s), {explained} explained."
    )
    for code, count in sorted(counts.items()):
        lines.append(f"  {code:<22} {count}")
    lines.extend(notes)
    return "\n".join(lines) + "\n"


def render(
    findings: Sequence[Finding], fmt: str, as_of: str, notes: Sequence[str] = ()
) -> str:
    """Return findings in the format asked for (notes only in text: JSON is the list alone)."""
    if fmt == "json":
        return as_json(findings) + "\n"
    if fmt == "csv":
        return as_csv(findings)
    return as_text(findings, as_of, notes)


def unsigned_notes(entries: Sequence[Any]) -> list[str]:
    """Return a note per `custom "explained"` that explains nothing for want of reason or by."""
    return [
        f"Note: {shown_path(str(e.meta.get('filename', '')))}:{e.meta.get('lineno', 0)}: "
        'this custom "explained" explains nothing: it needs both reason: and by:'
        for e in entries
    ]
