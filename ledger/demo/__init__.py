"""Demo books of a fictional city, generated deterministically, with optional planted faults.

Run ``reserve demo OUT_DIR`` with:

``--counties N`` (2), ``--townships-per-county N`` (3)
    The city: the first two counties are 迎泽区 (Yingze) and 万柏林区 (Wanbailin) as in the
    SPEC's examples, the rest are drawn from a syllable table (see `names`).
``--years 2024,2025``
    Consecutive calendar years, all before the audit year (a gap or an open year would be an
    ALLOCATION-RANGE finding of its own).
``--disbursements M`` (300)
    Relief cases over the whole city, spread by population; each is one disbursement in effect
    (an advance and its settlement, or instalments, count once).
``--seed S`` (1)
    Everything is drawn from one ``random.Random(S)``: the same settings give byte-identical
    files.
``--faults K`` (0)
    Plant K faults of every code a ledger alone can show (see `faults`) and list the findings
    they must raise in ``manifest.json``: ``{"as_of", "seed", "faults_per_code", "findings"}``,
    each finding ``{"code", "case", "county", "township", "file", "line"}`` with ``file``
    relative to OUT_DIR and ``line`` null where SPEC §5 leaves the entry open. K is at most
    the number of townships (SUSPENSE-OPEN is found once per account).
``--key-file F``
    Hash recipients with the key in F instead of the public demo key; the books name F.
``--no-plugins``
    Leave out the ``plugin`` lines (to check the books before the plugins exist).
``--as-of D`` (2026-11-28)
    The audit date the manifest assumes; the clean books raise nothing on it or any later date.

Design decisions:

* Text is written directly (no printer): 100,000 disbursements take seconds.
* Small relief and emergency advances are paid from the township reserve (small relief
  partly in cash in each county's first township); general and conference relief are paid by
  the county treasury (SPEC §1: "payment by the county"), partly through a bank round trip
  via `Assets:InTransit` with imported-row metadata. A case the reserve cannot afford is paid
  as general relief by the county instead, so no reserve, cash box or treasury closes a day
  below zero (checked while generating, and by quarterly `balance` assertions).
* Each township returns its unspent reserve on 31 December (``#reserve-return``), keeping at
  most 20% of the year's allocation, so no reserve is idle. No entry is dated after the last
  year, so later audit dates find no unallocated year.
* Recipients are synthetic (`people`): only masks and keyed hashes reach the books. A repeat
  recipient is helped again only by the same township, in a later year, from 1 March, so the
  clean books raise no SPLIT-PAYMENT, RECIPIENT-REPEAT or DUPLICATE-CASE.
* Township components are unique in the whole city (an approval record names its township,
  not its county).
* Case numbers are ``<county>-<township>-<year>-<nnnn>`` (e.g. ``YZ-LX-2024-0007``); planted
  faults use 9001 and up.
* The demo key (`profile.DEMO_KEY_HEX`, written to ``demo-key.hex``) is public and DEMO-ONLY.
"""

from __future__ import annotations

from ledger.demo.generate import Summary
from ledger.demo.generate import build
from ledger.demo.generate import generate
from ledger.demo.profile import DemoError
from ledger.demo.profile import Profile

__all__ = ["DemoError", "Profile", "Summary", "build", "generate"]
