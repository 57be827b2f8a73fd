"""The paying account of a bank file (SPEC §10): a township reserve or a county treasury.

The payer account number (付款账号) in the file's title lines is looked up among the
`bank-account`s of the books' reserves, then treasuries. `--account` overrides it, naming
either a Beancount account (`Assets:Reserve:Yingze:Liuxiang`, `Assets:Treasury:Yingze`) or a
bank account number.
"""

from __future__ import annotations

import dataclasses

from ledger import accounts
from ledger import directory as directory_mod


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
