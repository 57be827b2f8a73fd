"""The paying account of a bank file (SPEC §10): a township reserve or a county treasury.

The payer account number (付款账号) in the file's title lines is looked up among the
`bank-account`s of the books' reserves, then treasuries. `--account` overrides it, naming
either a Beancount account (`Assets:Reserve:Yingze:Liuxiang`, `Assets:Treasury:Yingze`) or a
bank account number.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ledger import accounts
from ledger import directory as directory_mod

if TYPE_CHECKING:
    from importers.bank_file import BankFile


@dataclasses.dataclass(frozen=True)
class Payer:
    """The account money leaves from.

    Attributes:
      account: the Beancount account (reserve, cash or treasury).
      county: its county component.
      township: its township component; "" for a county treasury.

    """

    account: str
    county: str
    township: str


def resolve(
    directory: directory_mod.Directory, opened: set[str], text: str
) -> tuple[Payer | None, str]:
    """Return the payer named by an account or bank account number, or None and why not."""
    text = text.strip()
    if ":" in text:
        info = accounts.parse(text)
        if info is None or info.role not in ("reserve", "cash", "treasury"):
            return None, (
                f"{text} is not a paying account: expected Assets:Reserve:<County>:<Township>, "
                "Assets:Cash:<County>:<Township> or Assets:Treasury:<County>"
            )
        if text not in opened:
            return None, f"{text} is not opened in the books"
        return Payer(text, info.county, info.township), ""
    township = directory.township_by_account(text)
    if township is not None:
        return Payer(township.reserve, township.county, township.township), ""
    county = directory.county_by_account(text)
    if county is not None:
        return Payer(accounts.account_for("treasury", county.county), county.county, ""), ""
    return None, (
        f"payer account {text} is not the bank-account of any township reserve or county "
        "treasury in the books"
    )


def unplaced(bank: BankFile, status: str | None, payer: Payer, by_option: bool) -> str:
    """Return why a treasury-paid row joined to no approval cannot be booked, and what works.

    SPEC §10 sends a paid row with no approval to `Assets:Suspense:<County>:<Township>`,
    and takes a treasury's township from the approval record: with neither there is no
    account to book to (docs/import.md, "Decisions").
    """
    what = {"paid": "paid", "pending": "pending"}.get(status or "", "sent")
    if by_option:
        named = f"--account {payer.account}"
    else:
        where = f", row {bank.payer_row}" if bank.payer_row else ""
        named = f"{bank.payer_label or '付款账号'}{where}: {payer.account}"
    memo = bank.label("memo", "")
    case_hint = (
        f"write the case number in the {memo} column"
        if memo
        else "add a 摘要/用途/附言 column holding the case number"
    )
    return (
        f"a row {what} by the county treasury ({named}) joins no approval record, so its "
        f"township is unknown: a treasury pays for every township of {payer.county}, the "
        "township is taken from the approval record (SPEC §10), and without it there is no "
        "suspense account to book the row to. To book it: import the approval register "
        f"first (before this file, or in the same command), {case_hint}, or, if a "
        "township's reserve paid the file, name that account: "
        f"--account Assets:Reserve:{payer.county}:<Township>"
    )
