"""Fuzzing the readers and the policy: no crash, every rejection names file, row, column."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from ledgers import PRELUDE

from importers.bank_file import BankFile
from importers.bank_file import read_bank_file
from importers.errors import InputError
from importers.register import Register
from importers.register import read_register
from ledger.books import Books
from ledger.recipients import make_card
from ledger.recipients import make_id

_COUNTER = itertools.count()
BANK_NAMES = {
    "seq": ["序号"],
    "name": ["姓名", "户名", "收款人"],
    "id": ["身份证号", "证件号码"],
    "card": ["卡号", "账号", "收款账号"],
    "amount": ["金额", "代发金额", "交易金额", "金额(分)"],
    "memo": ["摘要", "用途", "附言"],
    "status": ["状态", "处理结果", "交易状态"],
    "reason": ["失败原因", "备注"],
}
GARBAGE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
)


@st.composite
def cell(draw: st.DrawFn, kind: str) -> str:
    """Return a plausible or broken cell of a column kind."""
    n = draw(st.integers(0, 10_000))
    good = {
        "seq": str(n),
        "name": f"测试{n}",
        "id": make_id("110101", datetime.date(1970, 1, 1) + datetime.timedelta(days=n), n),
        "card": make_card("622202", n),
        "amount": draw(st.sampled_from(["450.00", "1200.5", "88", "0.01"])),
        "memo": f"临时救助 YZ-{n}",
        "status": draw(st.sampled_from(["成功", "失败", "处理中", "S", "E", "P", "退票"])),
        "reason": "",
    }[kind]
    broken = draw(
        st.sampled_from(
            [
                good,
                good,
                good,
                "",
                "-5.00",
                "1.234",
                "abc",
                "1e5",
                "２０２４-０３-０５",
                "X",
            ]
        )
    )
    return draw(st.one_of(st.just(broken), GARBAGE)) if draw(st.booleans()) else good


@st.composite
def bank_lines(draw: st.DrawFn) -> list[list[str]]:
    """Return the lines of a bank file: maybe titles, a header, rows, maybe a footer."""
    kinds = draw(st.lists(st.sampled_from(list(BANK_NAMES)), min_size=1, max_size=9))
    header = [draw(st.sampled_from(BANK_NAMES[k])) for k in kinds]
    lines: list[list[str]] = []
    if draw(st.booleans()):
        lines += [
            ["批次号：B1"],
            [
                "代发日期",
                draw(st.sampled_from(["2024-03-05", "2024/3/5", "昨天", "20240305"])),
            ],
        ]
        if draw(st.booleans()):
            lines.append(["总笔数", str(draw(st.integers(0, 5)))])
    lines.append(header)
    rows = draw(st.integers(0, 5))
    lines += [[draw(cell(k)) for k in kinds] for _ in range(rows)]
    if draw(st.booleans()):
        lines.append(
            ["合计", f"共{rows}笔", "", "", draw(st.sampled_from(["0.00", "450.00"]))]
        )
    return lines


def _write(folder: Path, lines: list[list[str]], encoding: str, delimiter: str) -> Path:
    path = folder / f"fuzz-{next(_COUNTER)}.{'txt' if delimiter == '|' else 'csv'}"
    text = "\n".join(
        delimiter.join(c.replace(delimiter, " ").replace("\n", " ") for c in line)
        for line in lines
    )
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


def _assert_clean_rejection(path: Path, read: Callable[[Path], object]) -> None:
    try:
        result = read(path)
    except InputError as exc:
        assert str(exc).startswith(str(path)), str(exc)
        if exc.row is not None:
            assert f"row {exc.row}" in str(exc)
        return
    assert isinstance(result, BankFile | Register)


FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    bank_lines(),
    st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030"]),
    st.sampled_from([",", "|"]),
)
def test_bank_files_never_crash(
    tmp_path: Path, lines: list[list[str]], encoding: str, delimiter: str
) -> None:
    _assert_clean_rejection(_write(tmp_path, lines, encoding, delimiter), read_bank_file)


REGISTER_HEADER = [
    "案件编号",
    "姓名",
    "身份证号",
    "乡镇(街道)",
    "救助程序",
    "审批层级",
    "审批人",
    "审批日期",
    "救助金额",
    "支出倍数",
    "公示日期",
    "决议文号",
    "困难类型",
    "申请日期",
]


@FUZZ
@given(
    st.lists(
        st.lists(
            st.one_of(
                GARBAGE,
                st.sampled_from(
                    [
                        "小额",
                        "一般",
                        "紧急",
                        "乡镇",
                        "县级",
                        "联席会议",
                        "2024-03-01",
                        "450.00",
                        "2.5",
                        "因病",
                    ]
                ),
            ),
            min_size=14,
            max_size=14,
        ),
        max_size=4,
    ),
    st.booleans(),
)
def test_registers_never_crash(tmp_path: Path, rows: list[list[str]], drop: bool) -> None:
    header = REGISTER_HEADER[:-3] if drop else REGISTER_HEADER
    lines = [header, *[row[: len(header)] for row in rows]]
    _assert_clean_rejection(_write(tmp_path, lines, "utf-8", ","), read_register)


POLICY_KINDS = [
    "relief-authority",
    "relief-tier",
    "reserve-allocation",
    "advance-deadline",
    "split-window",
    "notice-days",
    "transit-deadline",
    "reserve-idle",
]
VALUES = st.sampled_from(
    [
        '"township"',
        '"county"',
        '"conference"',
        "1",
        "2.5",
        "-3",
        "500.00 CNY",
        "0.00 CNY",
        "TRUE",
        "2020-01-01",
        '"x"',
        "30",
    ]
)
SCOPES = st.sampled_from(
    [
        "",
        '\n  county: "Yingze"',
        '\n  county: "Nowhere"',
        '\n  procedure: "small"',
        '\n  procedure: "urgent"',
        '\n  township: "Liuxiang"',
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.sampled_from(POLICY_KINDS), st.lists(VALUES, max_size=5), SCOPES),
        max_size=6,
    )
)
def test_policy_directives_never_crash(
    books_from: Callable[..., Books], directives: list[tuple[str, list[str], str]]
) -> None:
    text = PRELUDE + "".join(
        f'2018-0{1 + i % 9}-01 custom "{kind}" {" ".join(values)}{scope}\n'
        for i, (kind, values, scope) in enumerate(directives)
    )
    books = books_from(text)
    findings = books.policy.findings
    assert {f.code for f in findings} <= {"POLICY-INVALID"}
    for day in (datetime.date(2017, 1, 1), datetime.date(2019, 6, 1)):
        for county in ("Yingze", "Wanbailin"):
            assert books.policy.tiers(county, day).tiers
            assert books.policy.days("advance-deadline", county, day) >= 0
            books.policy.authority("township", county, "small", day)
