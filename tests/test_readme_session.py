"""The README's example session, run as written: every output it shows is what the commands print.

The session's commands run in one shell in a temporary folder holding a copy of the demo
books, in README order. What depends on the run is put aside before comparing: today's date,
the temporary folder's path, and the fingerprint of the key `keygen` makes. `reserve serve`
(a server) and the 100,000-payment `reserve demo` are not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ledger.demo import session as session_mod

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
_SKIPPED = ("reserve serve ", "reserve demo ")
_MARK = "@@@ README COMMAND @@@"


def _session() -> list[tuple[str, str]]:
    """Return the (command, output shown) pairs of the README's console blocks, in order."""
    pairs: list[tuple[str, list[str]]] = []
    inside = False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```console"
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return [(command, "\n".join(shown)) for command, shown in pairs]


def _normal(text: str, folder: Path) -> str:
    text = text.replace(str(folder), "<dir>").replace("/tmp/readme-demo", "<dir>")
    text = re.sub(r"(as of|Audit as of) \d{4}-\d{2}-\d{2}", r"\1 <today>", text)
    return re.sub(r"ed25519:[0-9a-f]{16}", "ed25519:<fingerprint>", text).strip()


def test_the_readme_session_prints_what_it_shows(tmp_path: Path) -> None:
    session = [(c, shown) for c, shown in _session() if not c.startswith(_SKIPPED)]
    assert len(session) >= 15
    shutil.copytree(ROOT / "books", tmp_path / "books")
    # A mark after each command's output; `$?` stays the command's (`echo $?` is shown).
    script = "\n".join(
        f"{command}\n__status=$?\necho '{_MARK}'\n(exit $__status)" for command, _ in session
    )
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    env.pop("RESERVE_RECIPIENT_KEY", None)
    run = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=600, check=False,
    )
    outputs = run.stdout.split(_MARK + "\n")[:-1]
    assert len(outputs) == len(session), run.stderr
    # The input files hold (synthetic) full numbers: pytest keeps its last folders, so they go.
    for written in (session_mod.TOWNSHIPS, session_mod.REGISTER, session_mod.RESULT):
        (tmp_path / written).unlink(missing_ok=True)
    for (command, shown), printed in zip(session, outputs, strict=True):
        assert _normal(printed, tmp_path) == _normal(shown, tmp_path), command
