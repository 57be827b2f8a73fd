"""Build: compile the checks' hot modules with mypyc (`ledger.native`, `docs/compiled.md`).

Everything else about the package is in `pyproject.toml`. The compiled modules are listed in
`ledger/native.py`; the build records each source's SHA-256 next to them, so that a source
edited after the build runs as source instead of being shadowed (`ledger.native.guard`).

Environment:
  RESERVE_PURE=1              install the pure-Python modules only (no C compiler needed).
  RESERVE_REQUIRE_COMPILED=1  fail when the modules cannot be compiled (CI sets it); without
                              it, a machine without a C compiler gets the pure-Python
                              modules and a warning.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path
from typing import Any

from setuptools import Extension
from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
BUILD_FILE = "native_build.json"
#: The name of the shared library mypyc makes for the modules (`reserve_native__mypyc…so`).
GROUP = "reserve_native"


def _listed() -> list[str]:
    """Return `ledger.native.MODULES`, read from the source (the package is not importable)."""
    tree = ast.parse((ROOT / "ledger" / "native.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "MODULES"
        ):
            return list(ast.literal_eval(node.value))  # type: ignore[arg-type]
    raise SystemExit("setup.py: ledger/native.py has no MODULES")


def _sources(modules: list[str]) -> list[str]:
    return [str(Path(*m.split(".")).with_suffix(".py")) for m in modules]


def _record(root: Path, target: Path, modules: list[str]) -> None:
    """Write each compiled source's SHA-256 (`ledger.native.BUILD_FILE`) into `target`."""
    import hashlib

    record = {
        source: hashlib.sha256((root / source).read_bytes()).hexdigest()
        for source in (Path(s).as_posix() for s in _sources(modules))
    }
    target.mkdir(parents=True, exist_ok=True)
    (target / BUILD_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


class BuildNative(build_ext):
    """Compile the listed modules; fall back to pure Python unless compiling is required."""

    def finalize_options(self) -> None:
        """Make the extensions: mypyc's C sources of the listed modules."""
        # mypycify type-checks the modules (seconds): done here, when the build needs it, not
        # at each of the build's earlier steps, which see the names only (`_declared`).
        if self.inplace or getattr(self, "editable_mode", False):
            _clean()  # An editable install's: a wheel's build leaves the checkout alone.
        self.distribution.ext_modules = _extensions()
        super().finalize_options()

    def run(self) -> None:
        """Compile, then record the sources compiled."""
        if not self.extensions:
            return
        try:
            super().run()
        except Exception as exc:  # A missing compiler or header: the build says why.
            if os.environ.get("RESERVE_REQUIRE_COMPILED") == "1":
                raise
            print(
                f"warning: reserve: the checks could not be compiled ({exc}); installing "
                "the pure-Python modules (slower: see docs/compiled.md).",
                file=sys.stderr,
            )
            return
        modules = _listed()
        # In place for an editable install, else in the build tree that becomes the wheel.
        target = ROOT / "ledger" if self.inplace or getattr(self, "editable_mode", False) else (
            Path(self.build_lib) / "ledger"
        )
        _record(ROOT, target, modules)


def _clean() -> None:
    """Remove compiled modules built in place earlier (an editable install's)."""
    for module in _listed():
        for built in (ROOT / Path(*module.split("."))).parent.glob(
            module.rsplit(".", 1)[-1] + ".cpython-*"
        ):
            built.unlink()
    for built in ROOT.glob(f"{GROUP}__mypyc.*"):
        built.unlink()
    (ROOT / "ledger" / BUILD_FILE).unlink(missing_ok=True)


def _declared() -> list[Extension]:
    """Return the extensions by name, for the build steps before `build_ext` (no sources).

    Their names tell setuptools the wheel is platform-specific, and an editable install
    where the shared library (a top-level module) is.
    """
    if os.environ.get("RESERVE_PURE") == "1":
        if {"editable_wheel", "develop"} & set(sys.argv):  # In place; a wheel's build: not.
            _clean()
        return []
    return [Extension(name, sources=[]) for name in [*_listed(), f"{GROUP}__mypyc"]]


def _extensions() -> list[Any]:
    if os.environ.get("RESERVE_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        if os.environ.get("RESERVE_REQUIRE_COMPILED") == "1":
            raise
        print("warning: reserve: mypyc is not installed; installing pure-Python modules",
              file=sys.stderr)
        return []
    os.chdir(ROOT)  # mypyc reads pyproject.toml's [tool.mypy] and writes build/ here.
    return list(
        mypycify(_sources(_listed()), opt_level="3", debug_level="0", group_name=GROUP)
    )


setup(ext_modules=_declared(), cmdclass={"build_ext": BuildNative})
