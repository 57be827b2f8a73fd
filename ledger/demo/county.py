"""One county's year: general relief and conference cases, paid by the county treasury.

SPEC §1 says general-procedure relief is paid by the county, so the demo books pay it from
`Assets:Treasury:<County>` straight to the township's `Expenses:Relief:…:General`. About 60%
of the cases go through a bank round trip: a request file (报盘) on the 10th or 25th moves each
row to the township's `Assets:InTransit`, the result file (回盘) two days later books it paid.
Some rows fail (back to the treasury, re-issued in a batch of their own three days later) and
some stay pending (paid four days later by a second result file); neither happens in December
so that the year closes with nothing in transit. The rest are booked by hand with a voucher
number, one case per county-year in two instalments 35-45 days apart.

Amounts fit the seed tiers strictly inside their ratio ranges; conference cases have a ratio
of 4 or more and a decision number. Notice starts 7-15 days before approval.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from ledger.demo import context as cx
from ledger.demo import names
from ledger.demo import text
from ledger.demo.context import Case
from ledger.demo.context import Context
from ledger.demo.people import Person

_FAIL_REASONS = ("账户已销户", "账户状态异常（冻结）", "卡号不存在")
_RELATIONS = ("女儿", "儿子", "配偶", "监护人")


def draw_general(ctx: Context, case: Case, forced: int | None = None) -> None:
    """Draw a general case's tier (0-2, 3 = conference), amount and ratio."""
    draw = ctx.rng.random()
    tier = (
        forced
        if forced is not None
        else 3
        if draw < 0.03
        else 0
        if draw < 0.63
        else (1 if draw < 0.88 else 2)
    )
    if tier == 3:
        case.approval = "conference"
        case.amount = Decimal(ctx.rng.randrange(81, 201) * 100).quantize(text.CENT)
        case.ratio = Decimal(ctx.rng.randrange(400, 651)) / 100
        return
    low, high, least, most = cx.TIERS[tier]
    case.approval = "county"
    step_low = int(least) // 10 + 1 if tier else 50
    case.amount = Decimal(ctx.rng.randrange(step_low, int(most) // 10) * 10).quantize(
        text.CENT
    )
    case.ratio = Decimal(ctx.rng.randrange(int(low * 100) + 5, int(high * 100) - 4)) / 100


def _next_batch(day: datetime.date) -> datetime.date | None:
    for candidate in (day.replace(day=10), day.replace(day=25)):
        if candidate >= day:
            return candidate
    if day.month == 12:
        return None
    return datetime.date(day.year, day.month + 1, 10)


def plan(ctx: Context, county: names.County, year: int, cases: list[Case]) -> None:
    """Book a county-year's general and conference cases."""
    batches: dict[datetime.date, list[Case]] = defaultdict(list)
    direct: list[Case] = []
    decisions = 0
    for index, case in enumerate(cases):
        draw_general(ctx, case, index if index < 4 else None)
        case.approved = ctx.day(year, (1, 8), (12, 15))
        case.notice = case.approved - cx.days(ctx.rng.randrange(7, 16))
        case.applied = case.notice - cx.days(ctx.rng.randrange(3, 21))
        if case.approval == "conference":
            decisions += 1
            case.decision = f"{county.name[0]}民联〔{year}〕{decisions}号"
        request = _next_batch(case.approved)
        if request is not None and ctx.rng.random() < 0.6:
            batches[request].append(case)
        else:
            direct.append(case)
    split_done = False
    for case in direct:
        assert case.approved is not None
        pay = min(
            case.approved + cx.days(ctx.rng.randrange(1, 8)), datetime.date(year, 12, 30)
        )
        instalments = (
            not split_done
            and case.approval == "county"
            and case.amount >= 1000
            and case.approved <= datetime.date(year, 10, 15)
        )
        split_done = split_done or instalments
        _direct(ctx, case, year, pay, instalments)
    for number, request in enumerate(sorted(batches)):
        _batch(ctx, county, year, request, batches[request], first=number == 0)


def _direct(
    ctx: Context, case: Case, year: int, pay: datetime.date, instalments: bool
) -> None:
    case.person = ctx.people.pick(case.township, case.county.region, pay)
    cx.approval_record(ctx, case, year)
    treasury = f"Assets:Treasury:{case.county.county}"
    expense = cx.account("relief", case.township, "general")
    parts = [(pay, case.amount, "")]
    if instalments:
        first = (case.amount * Decimal("0.6")).quantize(Decimal(1))
        second_day = pay + cx.days(ctx.rng.randrange(35, 46))
        parts = [(pay, first, "1/2"), (second_day, case.amount - first, "2/2")]
    for date, amount, instalment in parts:
        meta = cx.disbursement_meta(case)
        if instalment:
            meta.append(("instalment", instalment))
        meta.append(("voucher", f"记{date:%m}-{ctx.rng.randrange(300, 600):03d}"))
        ctx.add(
            text.txn(
                date,
                cx.tx_file(case.county, year),
                case.person.name,
                "临时救助（联席会议）"
                if case.approval == "conference"
                else "临时救助（一般程序）",
                [(expense, amount), (treasury, -amount)],
                meta,
            )
        )


def bank_meta(
    batch: str, row: int, sha: str, person: Person, status: str = ""
) -> list[tuple[str, text.MetaValue]]:
    """Return the metadata of an imported bank row (SPEC §3)."""
    meta: list[tuple[str, text.MetaValue]] = [("batch", batch), ("bank-row", row)]
    if status:
        meta.append(("bank-status", status))
    meta += [
        ("source-sha256", sha),
        ("card", person.card),
        ("card-masked", person.card_masked),
    ]
    return meta


def _batch(
    ctx: Context,
    county: names.County,
    year: int,
    request: datetime.date,
    rows: list[Case],
    first: bool,
) -> None:
    batch = f"{county.abbr}{request:%Y%m%d}"
    file = cx.tx_file(county, year)
    shas = {kind: ctx.sha(f"{batch}|{kind}") for kind in ("request", "result", "result-2")}
    treasury = f"Assets:Treasury:{county.county}"
    result = request + cx.days(2)
    reissue: list[Case] = []
    for row, case in enumerate(rows, 1):
        if first and row == 3:
            case.person = ctx.people.stranger(
                county.region, ctx.rng.choice(names.DOTTED_NAMES)
            )
        else:
            case.person = ctx.people.pick(case.township, county.region, request)
        person = case.person
        cx.approval_record(ctx, case, year)
        transit = cx.account("intransit", case.township)
        ctx.add(
            text.txn(
                request,
                file,
                person.name,
                f"代发报盘 {batch}",
                [(transit, case.amount), (treasury, -case.amount)],
                [
                    ("case", case.number),
                    ("recipient", person.recipient),
                    *bank_meta(batch, row, shas["request"], person),
                ],
            )
        )
        draw = ctx.rng.random() if request.month < 12 else 1.0
        if draw < 0.03:
            ctx.add(
                text.txn(
                    result,
                    file,
                    person.name,
                    f"代发回盘 {batch}：失败退回",
                    [(treasury, case.amount), (transit, -case.amount)],
                    [
                        ("case", case.number),
                        ("recipient", person.recipient),
                        *bank_meta(batch, row, shas["result"], person, "failed"),
                        ("fail-reason", ctx.rng.choice(_FAIL_REASONS)),
                    ],
                )
            )
            reissue.append(case)
            continue
        paid_on, sha = (
            (result + cx.days(4), shas["result-2"])
            if draw < 0.06
            else (result, shas["result"])
        )
        meta = cx.disbursement_meta(case) + bank_meta(batch, row, sha, person, "paid")
        if first and row == 1:
            meta.append(("holder", person.name[0] + " " + person.name[1:]))
        elif first and row == 2:
            holder = ctx.rng.choice(names.SURNAMES) + ctx.rng.choice(names.GIVEN_FEMALE)
            meta += [
                ("holder", holder),
                ("agent", f"{holder}（{ctx.rng.choice(_RELATIONS)}，代领）"),
            ]
        elif first and row == 3:
            meta.append(("holder", person.name.replace("·", "")))
        ctx.add(
            text.txn(
                paid_on,
                file,
                person.name,
                f"代发回盘 {batch}：成功",
                [
                    (cx.account("relief", case.township, "general"), case.amount),
                    (transit, -case.amount),
                ],
                meta,
            )
        )
    if reissue:
        _reissue(ctx, county, year, f"{batch}R", result + cx.days(3), reissue)


def _reissue(
    ctx: Context,
    county: names.County,
    year: int,
    batch: str,
    request: datetime.date,
    rows: list[Case],
) -> None:
    file = cx.tx_file(county, year)
    treasury = f"Assets:Treasury:{county.county}"
    shas = {kind: ctx.sha(f"{batch}|{kind}") for kind in ("request", "result")}
    for row, case in enumerate(rows, 1):
        assert case.person is not None
        person = case.person
        person.card, person.card_masked = ctx.people.new_card()
        transit = cx.account("intransit", case.township)
        ctx.add(
            text.txn(
                request,
                file,
                person.name,
                f"代发报盘 {batch}（失败重发，新卡）",
                [(transit, case.amount), (treasury, -case.amount)],
                [
                    ("case", case.number),
                    ("recipient", person.recipient),
                    *bank_meta(batch, row, shas["request"], person),
                ],
            )
        )
        ctx.add(
            text.txn(
                request + cx.days(2),
                file,
                person.name,
                f"代发回盘 {batch}：成功",
                [
                    (cx.account("relief", case.township, "general"), case.amount),
                    (transit, -case.amount),
                ],
                cx.disbursement_meta(case)
                + bank_meta(batch, row, shas["result"], person, "paid"),
            )
        )
