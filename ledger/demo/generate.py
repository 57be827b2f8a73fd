"""Generating the demo books: plan every year, close it, fund it, check it, write it."""

from __future__ import annotations

import dataclasses
import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from ledger.demo import context as cx
from ledger.demo import county as county_plan
from ledger.demo import faults
from ledger.demo import layout
from ledger.demo import names
from ledger.demo import people
from ledger.demo import reserve
from ledger.demo import text
from ledger.demo import township as township_plan
from ledger.demo.context import Context
from ledger.demo.profile import DEMO_KEY_HEX
from ledger.demo.profile import Profile
from ledger.demo.profile import demo_key
from ledger.demo.profile import key_reference

_TRACKED = ("Assets:Reserve:", "Assets:Cash:", "Assets:Treasury:")


@dataclasses.dataclass(frozen=True)
class Summary:
    """What was written."""

    files: tuple[str, ...]
    transactions: int
    townships: int
    findings: int


def distribute(total: int, weights: list[int]) -> list[int]:
    """Return `total` split by `weights` (largest remainders, ties by position)."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    shares = [Decimal(total * w) / whole for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(weights)), key=lambda i: (-(shares[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _reserve_delta(ctx: Context, county: names.County, year: int, account: str) -> Decimal:
    return sum(
        (
            amount
            for block in ctx.blocks[cx.tx_file(county, year)]
            for posted, amount in block.postings
            if posted == account
        ),
        Decimal(0),
    )


def close_year(ctx: Context, county: names.County, year: int) -> None:
    """Book each township's year-end return, keeping at most 20% of the year's allocation."""
    for township in county.townships:
        key = (township.county, township.township)
        account = cx.account("reserve", township)
        balance = ctx.carry.get(key, Decimal(0)) + _reserve_delta(
            ctx, county, year, account
        )
        keep = balance
        if (township.county, township.township, year) not in ctx.idle:
            share = reserve.allocation(ctx, township, year) * cx.CARRY_SHARE
            keep = min(balance, share.quantize(Decimal(1)))
        if balance > keep:
            ctx.add(
                text.txn(
                    datetime.date(year, 12, 31),
                    cx.tx_file(county, year),
                    township.name,
                    f"{year}年度未用备用金缴回",
                    [
                        (f"Assets:Treasury:{county.county}", balance - keep),
                        (account, keep - balance),
                    ],
                    meta=[("period", str(year))],
                    tags=["reserve-return"],
                )
            )
        ctx.carry[key] = keep


def fund_year(ctx: Context, county: names.County, year: int, first: bool) -> None:
    """Book the treasury's funding: each half-year's outflows, rounded up, on its first day."""
    treasury = f"Assets:Treasury:{county.county}"
    halves = [Decimal(0), Decimal(0)]
    for block in ctx.blocks[cx.tx_file(county, year)]:
        for account, amount in block.postings:
            if account == treasury and amount < 0:
                halves[block.date.month > 6] -= amount
    file = cx.tx_file(county, year)
    funding = f"Income:Funding:{county.county}"
    if first:
        ctx.add(
            text.txn(
                datetime.date(year, 1, 1),
                file,
                None,
                "上年结转临时救助资金",
                [
                    (treasury, Decimal(50_000)),
                    ("Equity:Opening-Balances", Decimal(-50_000)),
                ],
            )
        )
    sources = ("中央财政困难群众救助补助资金", "市级财政临时救助配套资金")
    for half, source in enumerate(sources):
        amount = (
            (halves[half] * Decimal("1.02") / 10_000).to_integral_value("ROUND_CEILING")
            * 10_000
        ) + 10_000
        ctx.add(
            text.txn(
                datetime.date(year, 1 + 6 * half, 1),
                file,
                None,
                f"{year}年临时救助资金到账",
                [(treasury, amount), (funding, -amount)],
                meta=[("source", source)],
            )
        )


def check_balances(ctx: Context) -> None:
    """Add quarterly balance assertions; fail if a tracked account closes a day below zero."""
    moves: dict[str, dict[datetime.date, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for blocks in ctx.blocks.values():
        for block in blocks:
            for account, amount in block.postings:
                if account.startswith(_TRACKED):
                    moves[account][block.date] += amount
    files = {c.county: c for c in ctx.city}
    for account, by_day in sorted(moves.items()):
        balance = Decimal(0)
        checkpoints = [
            datetime.date(y, m, 1) for y in sorted(ctx.profile.years) for m in (4, 7, 10)
        ]
        for day in sorted(set(by_day) | set(checkpoints)):
            if day in checkpoints and not account.startswith("Assets:Cash:"):
                county = files[account.split(":")[2]]
                ctx.add(
                    text.Block(
                        day,
                        cx.tx_file(county, day.year),
                        f"{day} balance {account}  {balance} {text.CURRENCY}\n",
                        0,
                    )
                )
            balance += by_day.get(day, Decimal(0))
            if balance < 0 and account not in ctx.overdraft_ok:
                raise AssertionError(
                    f"demo generator overdrew {account} on {day}: {balance}"
                )


def build(profile: Profile) -> Context:
    """Return the planned books of a profile (nothing written)."""
    profile.validate()
    rng = random.Random(profile.seed)
    city = names.build_city(rng, profile.counties, profile.townships_per_county)
    ctx = Context(profile, rng, city, people.People(rng, demo_key(profile)))
    faults.plant(ctx)
    years = sorted(profile.years)
    pairs = [(c, t) for c in city for t in c.townships]
    counts = distribute(
        profile.disbursements, [t.population for _, t in pairs] * len(years)
    )
    index = 0
    for year in years:
        for county in city:
            general: list[cx.Case] = []
            for township in county.townships:
                general += township_plan.plan(ctx, county, township, year, counts[index])
                index += 1
            county_plan.plan(ctx, county, year, general)
            close_year(ctx, county, year)
            fund_year(ctx, county, year, year == years[0])
    check_balances(ctx)
    return ctx


def generate(profile: Profile, out_dir: Path) -> Summary:
    """Write the books of a profile into out_dir; return what was written."""
    ctx = build(profile)
    out_dir.mkdir(parents=True, exist_ok=True)
    files, marks = layout.write(ctx, out_dir, key_reference(profile, out_dir))
    findings = faults.resolve(ctx, marks)
    manifest = {
        "as_of": profile.as_of.isoformat(),
        "seed": profile.seed,
        "faults_per_code": profile.faults,
        "findings": findings,
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    if profile.key_file is None:
        (out_dir / "demo-key.hex").write_text(f"{DEMO_KEY_HEX}\n", encoding="ascii")
    transactions = sum(1 for blocks in ctx.blocks.values() for b in blocks if b.postings)
    return Summary(
        (*files, "manifest.json"),
        transactions,
        sum(len(c.townships) for c in ctx.city),
        len(findings),
    )
