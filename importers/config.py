"""The beangulp script of the project's importers.

\b
Usage:
  python -m importers.config identify FILE...
  python -m importers.config extract -e books/main.beancount FILE...

Set RESERVE_RECIPIENT_KEY, or keep the key file named by the books'
`custom "reserve-config" "key-file"`.
"""

from __future__ import annotations

from beangulp import Ingest

from importers.beangulp_importers import importers

#: The beangulp command line over the register, request and result importers.
ingest = Ingest(importers())


def main() -> None:
    """Run beangulp's command line."""
    ingest()


if __name__ == "__main__":
    main()
