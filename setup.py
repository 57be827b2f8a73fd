"""Build: compile the checks' hot modules with mypyc (`ledger.native`, `docs/compiled.md`).

Everything else about the package is in `pyproject.toml`. The compiled modules are listed in
`ledger/native.py`, which also makes the build's record of each source's SHA-256, so that a
source edited after the build runs as source instead of being shadowed (`ledger.native.guard`).

Environment:
  RESERVE_PURE=1              install the pure-Python modules only (no C compiler needed).
  RESERVE_REQUIRE_COMPILED=1  fail when the modules cannot be compiled (CI sets it); without
                              it, a machine without a C compiler gets the pure-Python
                              modules and a warning.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

from setuptools import Extension
from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
#: The name of the shared library mypyc makes for the modules (`reserve_native__mypyc…so`).
GROUP = "reserve_native"


def _native() -> Any:
    """Return `ledger/native.py` (the list, the record), loaded alone.

    It needs only the standard library; the `ledger` package needs the dependencies.
    """
    spec = importlib.util.spec_from_file_location("_reserve_native", ROOT / "ledger/native.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


native = _native()


def _sources() -> list[str]:
    return [str(native.source_path(m, ROOT).relative_to(ROOT)) for m in native.MODULES]


class BuildNative(build_ext):
    """Compile the listed modules; fall back to pure Python unless compiling is required."""

    def _in_place(self) -> bool:
        """Return True for an editable install's build (into the checkout, not a wheel)."""
        return bool(self.inplace or getattr(self, "editable_mode", False))

    def finalize_options(self) -> None:
        """Make the extensions: mypyc's C sources of the listed modules."""
        # mypycify type-checks the modules (seconds): done here, when the build needs it, not
        # at each of the build's earlier steps, which see the names only (`_declared`).
        if self._in_place():
            _clean()  # A wheel's build leaves the checkout alone.
        self.distribution.ext_modules = _extensions()
        super().finalize_options()

    def run(self) -> None:
        """Compile, then record the sources compiled (`ledger.native.manifest`)."""
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
        target = ROOT / "ledger" if self._in_place() else Path(self.build_lib) / "ledger"
        target.mkdir(parents=True, exist_ok=True)
        record = json.dumps(native.manifest(ROOT), indent=1) + "\n"
        (target / native.BUILD_FILE).write_text(record, encoding="utf-8")


def _clean() -> None:
    """Remove compiled modules built in place earlier (an editable install's)."""
    for module in native.MODULES:
        source = native.source_path(module, ROOT)
        for built in source.parent.glob(source.stem + ".cpython-*"):
            built.unlink()
    for built in ROOT.glob(f"{GROUP}__mypyc.*"):
        built.unlink()
    (ROOT / "ledger" / native.BUILD_FILE).unlink(missing_ok=True)


def _declared() -> list[Extension]:
    """Return the extensions by name, for the build steps before `build_ext` (no sources).

    Their names tell setuptools the wheel is platform-specific, and an editable install
    where the shared library (a top-level module) is.
    """
    if os.environ.get("RESERVE_PURE") == "1":
        if {"editable_wheel", "develop"} & set(sys.argv):  # In place; a wheel's build: not.
            _clean()
        return []
    return [Extension(name, sources=[]) for name in [*native.MODULES, f"{GROUP}__mypyc"]]


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
    return list(mypycify(_sources(), opt_level="3", debug_level="0", group_name=GROUP))


setup(ext_modules=_declared(), cmdclass={"build_ext": BuildNative})
