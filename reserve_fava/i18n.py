"""The pages' words in Chinese and English.

The pages speak the language of Fava's own interface: Chinese when Fava's locale is Chinese
(the books' `custom "fava-option" "language" "zh"`, or, without that option, a browser that
prefers Chinese), English otherwise. Township and county names are data and always Chinese.
"""

from __future__ import annotations

from flask import has_request_context

#: English text -> Chinese text. A key missing here is shown in English.
ZH: dict[str, str] = {
    "Reserve": "备用金",
    "Advances": "先行救助垫付",
    "Findings": "审计发现",
    "Import bank files": "导入银行文件",
    "County": "区县",
    "Township": "乡镇",
    "Allocated": "拨付",
    "Small": "小额",
    "General": "一般",
    "Emergency": "紧急",
    "Paid": "支出合计",
    "Advances outstanding": "未结垫付",
    "In transit": "在途",
    "Balance": "余额",
    "Use %": "使用率",
    "Total": "合计",
    "Overdrawn": "透支",
    "Idle": "闲置",
    "Period": "期间",
    "Audit date": "审计日期",
    "Case": "案件编号",
    "Date": "日期",
    "Advanced": "垫付金额",
    "Settled": "已补办",
    "Recovered": "已收回",
    "Outstanding": "未结金额",
    "Due": "到期日",
    "Days overdue": "逾期天数",
    "Age (days)": "已垫付天数",
    "Entries": "分录",
    "Source": "源文件",
    "Code": "代码",
    "Severity": "级别",
    "Message": "说明",
    "Amount": "金额",
    "All": "全部",
    "Show": "显示",
    "error": "错误",
    "warning": "警告",
    "explained": "已说明",
    "Explained": "已说明",
    "Errors": "错误",
    "Warnings": "警告",
    "No outstanding advances.": "没有未结的先行救助垫付。",
    "No findings.": "没有审计发现。",
    "No townships in these books.": "账簿中没有乡镇。",
    "Showing the first": "仅显示前",
    "of": "条，共",
    "Narrow the filter to see the rest.": "请缩小筛选范围。",
    "Files": "文件",
    "Payer account (optional)": "付款账号（可选）",
    "Preview": "预览",
    "Confirm and book": "确认记账",
    "What would be booked": "将要记入的内容",
    "Booked": "已记账",
    "Nothing was written.": "未写入任何内容。",
    "Importing is refused: Fava runs read-only.": "只读模式：不允许导入。",
    "The books changed since the preview; preview again.": "预览后账簿已变化，请重新预览。",
    "This preview has expired; upload the files again.": "预览已过期，请重新上传文件。",
    "Choose at least one file.": "请至少选择一个文件。",
    "The figures could not be computed": "无法计算",
    "Some checks failed; their findings are missing": "部分检查失败，其结果缺失",
    "Upload approval registers, bank request files and result files.": "上传审批台账、报盘文件和回盘文件。",
    "The books cannot be read: {count} error, the figures are incomplete; first: {first}": (
        "账簿无法完整读取：{count} 个错误，数字不完整；第一个：{first}"
    ),
    "The books cannot be read: {count} errors, the figures are incomplete; first: {first}": (
        "账簿无法完整读取：{count} 个错误，数字不完整；第一个：{first}"
    ),
    "as_of {value} in the address is not a date YYYY-MM-DD; {date} is used": (
        "地址中的 as_of {value} 不是 YYYY-MM-DD 格式的日期；使用 {date}"
    ),
    "Registers are booked first, as `reserve import` does.": "与 `reserve import` 相同，先导入审批台账。",
    "The upload is too large: at most {limit} MB at a time; nothing was stored.": (
        "上传的文件太大：每次最多 {limit} MB；未保存任何内容。"
    ),
}


def is_chinese() -> bool:
    """Return True when Fava's interface is in Chinese for this request."""
    if not has_request_context():
        return False
    from flask_babel import get_locale  # type: ignore[import-untyped]

    locale = get_locale()
    return locale is not None and locale.language == "zh"


def text(english: str) -> str:
    """Return the text in the page's language."""
    return ZH.get(english, english) if is_chinese() else english
