"""A small city for inline test ledgers: `PRELUDE + "..."`.

Counties Yingze (迎泽区) with townships Liuxiang (柳巷街道) and Qiaodong (桥东街道), and
Wanbailin (万柏林区) with Xinghua (兴华街道); every project account opened on 2015-01-01 and
funded on 2015-01-02.
"""

from __future__ import annotations

_TOWNSHIPS = (
    ("Yingze", "Liuxiang", "柳巷街道", 52000),
    ("Yingze", "Qiaodong", "桥东街道", 41000),
    ("Wanbailin", "Xinghua", "兴华街道", 60000),
)
_COUNTIES = (("Yingze", "迎泽区民政局"), ("Wanbailin", "万柏林区民政局"))


def _prelude() -> str:
    lines = ['option "operating_currency" "CNY"', ""]
    for county, name in _COUNTIES:
        lines += [
            f"2015-01-01 open Assets:Treasury:{county} CNY",
            f'  name: "{name}"',
            '  bank-account: "0501-0000-0000"',
            f"2015-01-01 open Income:Funding:{county} CNY",
        ]
    for county, township, name, population in _TOWNSHIPS:
        lines += [
            f"2015-01-01 open Assets:Reserve:{county}:{township} CNY",
            f'  name: "{name}"',
            f"  population: {population}",
            f'  bank-account: "0502-{township[:4].upper()}"',
        ]
        for role in ("Cash", "Advances", "InTransit", "Suspense"):
            lines.append(f"2015-01-01 open Assets:{role}:{county}:{township} CNY")
        for leaf in ("Small", "General", "Emergency"):
            lines.append(f"2015-01-01 open Expenses:Relief:{county}:{township}:{leaf} CNY")
        lines.append(f"2015-01-01 open Expenses:BankFees:{county}:{township} CNY")
        lines.append(f"2015-01-01 open Income:Interest:{county}:{township} CNY")
    lines.append("2015-01-01 open Equity:Opening-Balances CNY")
    for county, _ in _COUNTIES:
        lines += [
            '2015-01-02 * "县财政" "临时救助资金" #funding',
            '  source: "county budget"',
            f"  Assets:Treasury:{county}  1000000.00 CNY",
            f"  Income:Funding:{county}",
        ]
    return "\n".join(lines) + "\n\n"


#: Accounts, names and funding of the test city; append the entries under test.
PRELUDE = _prelude()
