"""Reading approval registers, and identifying which kind of file a file is."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import importers_fixtures as fx
import pytest
from importers_read_fixtures import txt_lines

from importers.errors import InputError
from importers.register import identify
from importers.register import read_register

# Registers -----------------------------------------------------------------------------


def write_register(tmp_path: Path, *rows: list[fx.Cell], name: str = "reg.csv") -> Path:
    return fx.write_csv(tmp_path / name, fx.register_lines(*rows))


def register_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_register(path)
    return caught.value


def test_register_every_field(tmp_path: Path) -> None:
    general = fx.register_row(
        1,
        {
            "救助程序": "一般",
            "审批层级": "县级",
            "审批人": "迎泽区民政局",
            "审批日期": "2024/3/10",
            "救助金额": "2500",
            "支出倍数": "1.6",
            "公示日期": "20240301",
            "困难类型": "因灾受损",
        },
    )
    conference = fx.register_row(
        2,
        {
            "救助程序": "一般",
            "审批层级": "联席会议",
            "审批日期": "2024年3月20日",
            "支出倍数": "4.2",
            "决议文号": "迎民联〔2024〕3号",
            "救助金额": "12000.00",
            "困难类型": "其他困难",
        },
    )
    advance = fx.register_row(3, {"救助程序": "紧急", "审批日期": "", "审批人": ""})
    register = read_register(
        write_register(tmp_path, fx.register_row(0), general, conference, advance)
    )
    small, gen, conf, adv = register.rows
    assert (small.row, small.case, small.name) == (3, "YZ-LX-2024-100", fx.person_name(0))
    assert (small.id_number, small.township) == (fx.person_id(0), "柳巷街道")
    assert (small.procedure, small.approval, small.approver) == (
        "small",
        "township",
        "柳巷街道办事处",
    )
    assert (small.approved, small.amount, small.ratio) == (
        datetime.date(2024, 3, 1),
        Decimal("450.00"),
        None,
    )
    assert (small.notice, small.decision, small.applied) == (
        None,
        "",
        datetime.date(2024, 2, 27),
    )
    assert (small.category, small.category_text) == ("illness", "")
    assert (gen.procedure, gen.approval, gen.ratio) == ("general", "county", Decimal("1.6"))
    assert (gen.approved, gen.notice) == (
        datetime.date(2024, 3, 10),
        datetime.date(2024, 3, 1),
    )
    assert (gen.amount, gen.category) == (Decimal("2500.00"), "disaster")
    assert (conf.approval, conf.decision, conf.amount) == (
        "conference",
        "迎民联〔2024〕3号",
        Decimal("12000.00"),
    )
    assert (conf.category, conf.category_text) == ("other", "其他困难")
    assert (adv.procedure, adv.approved, adv.approver) == ("emergency", None, "")
    assert (
        register.sha256 == hashlib.sha256((tmp_path / "reg.csv").read_bytes()).hexdigest()
    )


@pytest.mark.parametrize(
    ("written", "category", "text"),
    [
        ("因病致贫", "illness", ""),
        ("因灾", "disaster", ""),
        ("意外事故", "accident", ""),
        ("因学支出", "education", ""),
        ("就学困难", "education", ""),
        ("生活无着", "other", "生活无着"),
        ("", "", ""),
    ],
)
def test_register_category(tmp_path: Path, written: str, category: str, text: str) -> None:
    register = read_register(
        write_register(tmp_path, fx.register_row(0, {"困难类型": written}))
    )
    assert (register.rows[0].category, register.rows[0].category_text) == (category, text)


def test_register_xlsx(tmp_path: Path) -> None:
    row = fx.register_row(
        0, {"审批日期": datetime.date(2024, 3, 1), "救助金额": Decimal("450")}
    )
    path = fx.write_xlsx(tmp_path / "reg.xlsx", fx.register_lines(row))
    (parsed,) = read_register(path).rows
    assert (parsed.approved, parsed.amount, parsed.id_number) == (
        datetime.date(2024, 3, 1),
        Decimal("450.00"),
        fx.person_id(0),
    )


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"救助程序": "特殊"}, "救助程序", "unknown procedure '特殊'"),
        ({"审批层级": "市级"}, "审批层级", "unknown approval level '市级'"),
        ({"救助程序": "一般", "审批层级": "县级"}, "支出倍数", "needs its ratio"),
        ({"支出倍数": "两倍"}, "支出倍数", "ratio 两倍 is not a number"),
        ({"审批层级": "联席会议"}, "决议文号", "决议文号"),
        ({"审批日期": ""}, "审批日期", "approval date is empty"),
        ({"审批人": ""}, "审批人", "approver is empty"),
        ({"公示日期": "3月1日"}, "公示日期", "is not a date"),
        ({"救助金额": "-1"}, "救助金额", "not positive"),
        ({"案件编号": ""}, "案件编号", "case number is empty"),
        ({"乡镇(街道)": ""}, "乡镇(街道)", "township is empty"),
        ({"身份证号": "123"}, "身份证号", "18 characters"),
    ],
)
def test_register_bad_row(
    tmp_path: Path, changes: dict[str, fx.Cell], column: str, words: str
) -> None:
    err = register_error(
        write_register(tmp_path, fx.register_row(0), fx.register_row(1, changes))
    )
    assert (err.row, err.column) == (4, column)
    assert words in err.message


def test_register_float_cells_as_excel_shows_them(tmp_path: Path) -> None:
    row = fx.register_row(0, {"救助金额": 314.99999999999994, "支出倍数": 1.5})
    (parsed,) = read_register(
        fx.write_xlsx(tmp_path / "reg.xlsx", fx.register_lines(row))
    ).rows
    assert (parsed.amount, parsed.ratio) == (Decimal("315.00"), Decimal("1.5"))


def test_register_notes_and_footer(tmp_path: Path) -> None:
    lines = fx.register_lines(fx.register_row(0), ["注：本月新增"], fx.register_row(1))
    lines += [["合计", "", "", "", "", "", "", "", "900.00"], fx.register_row(2)]
    register = read_register(fx.write_csv(tmp_path / "reg.csv", lines))
    assert [r.row for r in register.rows] == [3, 5]


def test_register_duplicate_case(tmp_path: Path) -> None:
    second = fx.register_row(1, {"案件编号": "YZ-LX-2024-100"})
    err = register_error(write_register(tmp_path, fx.register_row(0), second))
    assert (err.row, err.column) == (4, "案件编号")
    assert "already on row 3" in err.message


def test_register_missing_column(tmp_path: Path) -> None:
    lines = [line[:4] + line[5:] for line in fx.register_lines(fx.register_row(0))]
    err = register_error(fx.write_csv(tmp_path / "reg.csv", lines))
    assert (err.row, err.column) == (2, "救助程序")


# identify ------------------------------------------------------------------------------


def test_identify(tmp_path: Path) -> None:
    rows = fx.payments("成功")
    result = fx.write_csv(tmp_path / "a.csv", fx.bank_lines(rows))
    request = fx.write_xlsx(tmp_path / "b.xlsx", fx.bank_lines(rows, status=False))
    register = write_register(tmp_path, fx.register_row(0), name="c.csv")
    txt = fx.write_txt(tmp_path / "d.txt", txt_lines())
    other = fx.write_csv(tmp_path / "e.csv", [["日期", "说明"], ["2024-03-05", "无关"]])
    assert identify(result) == "result"
    assert identify(request) == "request"
    assert identify(register) == "register"
    assert identify(txt) == "result"
    assert identify(other) is None
    assert identify(tmp_path / "missing.csv") is None
