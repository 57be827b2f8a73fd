from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from pathlib import Path

import importers_fixtures as fx
import pytest

from importers.bank_file import read_bank_file
from importers.errors import InputError
from importers.register import identify
from importers.register import read_register
from ledger.recipients import make_id

DATE = datetime.date(2024, 3, 5)
FIRST = 6  # the first detail row of fx.bank_lines with title lines


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_bank_file(path)
    return caught.value


# Shapes ------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    rows = fx.payments("成功", "失败", "处理中")
    path = fx.write_csv(tmp_path / "bank.csv", fx.bank_lines(rows), encoding)
    bank = read_bank_file(path)
    assert (bank.kind, bank.batch, bank.date) == ("result", fx.BATCH, DATE)
    assert bank.payer_account == fx.payer_account()
    assert bank.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert [r.status for r in bank.rows] == ["paid", "failed", "pending"]
    first = bank.rows[0]
    assert (first.index, first.row, first.name) == (1, FIRST, fx.person_name(0))
    assert (first.id_number, first.card) == (fx.person_id(0), fx.person_card(0))
    assert (first.amount, first.memo, first.fail_reason) == (
        Decimal("450.00"),
        rows[0].memo,
        "",
    )
    assert bank.rows[1].fail_reason == "账户已冻结"
    assert bank.rows[1].amount == Decimal("1200.50")


def test_request_file_without_status(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("", ""), status=False)
    bank = read_bank_file(fx.write_csv(tmp_path / "req.csv", lines))
    assert bank.kind == "request"
    assert [r.status for r in bank.rows] == [None, None]


def test_xlsx_with_text_ids_and_typed_cells(tmp_path: Path) -> None:
    rows = fx.payments("成功", "成功")
    lines = fx.bank_lines(rows, title=False, footer=False, date_column=True)
    lines = [[*lines[0]]] + [
        [*line[:4], p.amount, *line[5:-1], datetime.date(2024, 3, 6 + i)]
        for i, (line, p) in enumerate(zip(lines[1:], rows, strict=True))
    ]
    bank = read_bank_file(fx.write_xlsx(tmp_path / "bank.xlsx", lines))
    assert bank.date == datetime.date(2024, 3, 6)  # the earliest status date
    assert bank.batch == "file-" + bank.sha256[:12]
    assert bank.payer_account == ""
    assert [r.row for r in bank.rows] == [2, 3]
    assert [r.amount for r in bank.rows] == [Decimal("450.00"), Decimal("1200.50")]
    assert bank.rows[1].date == datetime.date(2024, 3, 7)
    assert bank.rows[1].card == fx.person_card(1)


@pytest.mark.parametrize(("column", "header"), [(2, "身份证号"), (3, "卡号")])
def test_xlsx_number_cell_for_id_or_card_is_refused(
    tmp_path: Path, column: int, header: str
) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    err = error_of(fx.write_xlsx(tmp_path / "bank.xlsx", lines, numbers=[column]))
    assert (err.row, err.column) == (FIRST, header)
    assert "stored as a number" in err.message


def test_xls(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("S", "E"))
    bank = read_bank_file(fx.write_xls(tmp_path / "bank.xls", lines))
    assert [r.status for r in bank.rows] == ["paid", "failed"]
    assert (bank.batch, bank.date, bank.rows[1].row) == (fx.BATCH, DATE, FIRST + 1)


def txt_lines(count: str = "3", total: str = "1950.50") -> list[list[fx.Cell]]:
    rows = fx.payments("S", "E", "P")
    body = fx.bank_lines(rows, title=False, footer=False)
    summary: list[fx.Cell] = [fx.BATCH, count, total, "20240305", fx.payer_account()]
    return [["批次号", "总笔数", "总金额", "代发日期", "付款账号"], summary, *body]


def test_txt_with_summary_line(tmp_path: Path) -> None:
    bank = read_bank_file(fx.write_txt(tmp_path / "bank.txt", txt_lines()))
    assert (bank.batch, bank.date, bank.payer_account) == (
        fx.BATCH,
        DATE,
        fx.payer_account(),
    )
    assert [r.status for r in bank.rows] == ["paid", "failed", "pending"]
    assert bank.rows[0].row == 4


def test_txt_summary_count_mismatch(tmp_path: Path) -> None:
    err = error_of(fx.write_txt(tmp_path / "bank.txt", txt_lines(count="4")))
    assert (err.row, err.column) == (2, "总笔数")
    assert "总笔数 says 4" in err.message


def test_gbk_txt(tmp_path: Path) -> None:
    bank = read_bank_file(fx.write_txt(tmp_path / "bank.txt", txt_lines(), "gbk"))
    assert bank.rows[2].name == fx.person_name(2)


# Title lines, footers, units, statuses ------------------------------------------------


def test_title_forms_and_totals(tmp_path: Path) -> None:
    rows = fx.payments("成功", "失败")
    lines = fx.bank_lines(rows)
    lines[1:4] = [
        [f"批次号：{fx.BATCH}  代发日期：2024年3月5日"],
        ["付款账号", "", fx.payer_account(), "总笔数:", "2"],
        [
            "总金额(元)：1,650.50；成功笔数：1；成功金额：450.00；失败笔数：1；失败金额：1200.50"
        ],
    ]
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (bank.batch, bank.date, bank.payer_account) == (
        fx.BATCH,
        DATE,
        fx.payer_account(),
    )


@pytest.mark.parametrize(
    ("line", "column", "said"),
    [
        (["总笔数：3"], "总笔数", "3"),
        (["总金额：1650.51"], "总金额", "1650.51"),
        (["成功金额：450.01"], "成功金额", "450.01"),
        (["失败笔数", "2"], "失败笔数", "2"),
    ],
)
def test_total_and_subtotal_mismatch(
    tmp_path: Path, line: list[fx.Cell], column: str, said: str
) -> None:
    lines = fx.bank_lines(fx.payments("成功", "失败"))
    lines.insert(1, line)
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (2, column)
    assert f"{column} says {said} but" in err.message


def test_footer_total_mismatch(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    lines[-1][4] = "1650.00"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "金额")
    assert str(err).endswith("金额 says 1650.00 but the detail rows add up to 1650.50")


def test_footer_count_mismatch(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    lines[-1][1] = "共3笔"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "共3笔")


def test_subtotal_line_below_footer(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "失败"))
    lines.append(["成功笔数：2"])
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 3, "成功笔数")


def test_conflicting_title_values(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines.insert(1, ["批次号", "B-OTHER"])
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (3, "批次号")
    assert "differs from B-OTHER on row 2" in err.message


def test_xlsx_footer_and_notes(tmp_path: Path) -> None:
    rows = fx.payments("成功", "失败")
    lines = fx.bank_lines(rows)
    lines[-1][4] = Decimal("1650.50")  # a number cell in the 合计 line
    lines.insert(-1, ["注：以下为汇总"])  # a note line between the rows and the footer
    lines.append(["失败笔数", Decimal("1"), "失败金额", Decimal("1200.50")])
    bank = read_bank_file(fx.write_xlsx(tmp_path / "bank.xlsx", lines))
    assert [r.row for r in bank.rows] == [FIRST, FIRST + 1]
    lines[-1][3] = Decimal("1200.00")
    err = error_of(fx.write_xlsx(tmp_path / "bad.xlsx", lines))
    assert (err.row, err.column) == (FIRST + 4, "失败金额")


def test_detail_row_below_footer(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines.append(fx.detail(fx.payments("成功", "成功")[1]))
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 2, "卡号")


def test_amount_in_fen(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"), fen=True)
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert [r.amount for r in bank.rows] == [Decimal("450.00"), Decimal("1200.50")]


def test_fen_must_be_whole(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"), fen=True, footer=False)
    lines[FIRST - 1][4] = "45000.5"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "金额(分)")


def test_statuses_sep_and_returned(tmp_path: Path) -> None:
    rows = fx.payments("S", "E", "P", "退票", "交易成功", "f")
    rows[3].reason = "户名不符"
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", fx.bank_lines(rows)))
    statuses = [r.status for r in bank.rows]
    assert statuses == ["paid", "failed", "pending", "returned", "paid", "failed"]
    assert bank.rows[3].fail_reason == "户名不符"
    assert bank.rows[2].fail_reason == ""


def test_unknown_status(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "已作废"))
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 1, "状态")
    assert "unknown status '已作废'" in err.message


# Bad cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5.00", "amount -5.00 is not positive"),
        ("0", "amount 0 is not positive"),
        ("12.345", "amount 12.345 has more than two decimals"),
        ("十元", "amount 十元 is not a number"),
        ("", "amount is empty"),
    ],
)
def test_bad_amount(tmp_path: Path, amount: str, message: str) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"), footer=False)
    lines[FIRST][4] = amount
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert str(err) == f"{tmp_path / 'bank.csv'}, row {FIRST + 1}, column 金额: {message}"


@pytest.mark.parametrize("written", ["2024-03-06", "2024/3/6", "20240306", "2024年3月6日"])
def test_date_forms(tmp_path: Path, written: str) -> None:
    rows = fx.payments("成功")
    rows[0].date = written
    lines = fx.bank_lines(rows, title=False, date_column=True)
    bank = read_bank_file(fx.write_csv(tmp_path / "bank.csv", lines))
    assert bank.date == bank.rows[0].date == datetime.date(2024, 3, 6)


@pytest.mark.parametrize("written", ["2024-02-30", "03/06/2024", "昨天"])
def test_bad_date(tmp_path: Path, written: str) -> None:
    rows = fx.payments("成功", "成功")
    rows[1].date = written
    err = error_of(fx.write_csv(tmp_path / "b.csv", fx.bank_lines(rows, date_column=True)))
    assert (err.row, err.column) == (FIRST + 1, "处理日期")
    assert written in err.message


def test_no_date_at_all(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"), title=False)
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (None, None)
    assert "no date" in err.message


def test_bad_id_check_digit(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功", "成功"))
    good = fx.person_id(1)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    lines[FIRST][2] = bad
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST + 1, "身份证号")
    assert "check digit" in err.message
    assert bad not in str(err)  # never the full number in a message


def test_bad_id_birth_date(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 1][2] = make_id("110101", datetime.date(2001, 1, 1), 5).replace(
        "20010101", "20010231"
    )
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "身份证号")
    assert "birth date" in err.message


@pytest.mark.parametrize(
    ("card", "words"), [("62220212345", "11 digits"), ("6222AB12345678", "other")]
)
def test_bad_card(tmp_path: Path, card: str, words: str) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 1][3] = card
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST, "卡号")
    assert words in err.message


def test_missing_column(tmp_path: Path) -> None:
    lines = [
        [c for i, c in enumerate(line) if i != 3]
        for line in fx.bank_lines(fx.payments("成功"))
    ]
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST - 1, "卡号")


def test_duplicate_column(tmp_path: Path) -> None:
    lines = fx.bank_lines(fx.payments("成功"))
    lines[FIRST - 2][5] = "交易金额"
    err = error_of(fx.write_csv(tmp_path / "bank.csv", lines))
    assert (err.row, err.column) == (FIRST - 1, "交易金额")
    assert "two columns" in err.message


def test_empty_file_and_no_header(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in error_of(empty).message
    blank = fx.write_csv(tmp_path / "blank.csv", [["", ""], ["", ""]])
    assert "empty" in error_of(blank).message
    other = fx.write_csv(tmp_path / "other.csv", [["a", "b"], ["1", "2"]])
    err = error_of(other)
    assert err.row is None
    assert "no header row" in err.message


def test_large_csv_reads_every_row(tmp_path: Path) -> None:
    # The speed of large files is measured in benchmarks/, not asserted here.
    rows = fx.payments(*(["成功"] * 9 + ["失败"]) * 2_000)
    path = fx.write_csv(tmp_path / "big.csv", fx.bank_lines(rows))
    bank = read_bank_file(path)
    assert len(bank.rows) == 20_000
    assert sum(1 for row in bank.rows if row.status == "failed") == 2_000


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
