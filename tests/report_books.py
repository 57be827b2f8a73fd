"""A small fixed year of books for the report tests and snapshots (`PRELUDE + SAMPLE`).

Liuxiang: three small payments from its reserve (one reversed, one returned by the bank, one
paid through a result file), a general payment by the county through the bank; Qiaodong: an
advance settled, a return of unspent reserve booked in January of the next year for 2025;
Xinghua: an advance outstanding and a payment still at the bank. Names are invented.
"""

from __future__ import annotations

from ledgers import PRELUDE

SAMPLE = """
2025-01-01 * "迎泽区民政局" "2025年备用金拨付 柳巷街道" #allocation
  period: "2025"
  Assets:Treasury:Yingze  -40000.00 CNY
  Assets:Reserve:Yingze:Liuxiang  40000.00 CNY

2025-01-01 * "迎泽区民政局" "2025年备用金拨付 桥东街道" #allocation
  period: "2025"
  Assets:Treasury:Yingze  -30000.00 CNY
  Assets:Reserve:Yingze:Qiaodong  30000.00 CNY

2025-01-01 * "万柏林区民政局" "2025年备用金拨付 兴华街道" #allocation
  period: "2025"
  Assets:Treasury:Wanbailin  -50000.00 CNY
  Assets:Reserve:Wanbailin:Xinghua  50000.00 CNY

2025-03-02 * "周建国" "小额临时救助"
  case: "YZ-LX-2025-101"
  recipient: "r-1a2b3c4d5e6f7081"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2025-03-01
  applied: 2025-02-27
  Expenses:Relief:Yingze:Liuxiang:Small  450.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-03-05 * "李秀英" "小额临时救助"
  case: "YZ-LX-2025-102"
  recipient: "r-2b3c4d5e6f708192"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2025-03-04
  applied: 2025-03-01
  Expenses:Relief:Yingze:Liuxiang:Small  300.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-03-20 * "李秀英" "冲销 YZ-LX-2025-102" #reversal
  case: "YZ-LX-2025-102"
  reverses: "2025-03-05 YZ-LX-2025-102"
  Expenses:Relief:Yingze:Liuxiang:Small  -300.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-04-10 * "王芳" "小额临时救助"
  case: "YZ-LX-2025-103"
  recipient: "r-3c4d5e6f70819203"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2025-04-08
  applied: 2025-04-01
  batch: "B2025-04"
  bank-row: 1
  bank-status: "paid"
  source-sha256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
  Expenses:Relief:Yingze:Liuxiang:Small  350.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-04-20 * "王芳" "退票"
  case: "YZ-LX-2025-103"
  recipient: "r-3c4d5e6f70819203"
  batch: "B2025-04"
  bank-row: 1
  bank-status: "returned"
  fail-reason: "账户已销户"
  Assets:Reserve:Yingze:Liuxiang  350.00 CNY
  Expenses:Relief:Yingze:Liuxiang:Small

2025-05-06 * "周建国" "小额临时救助"
  case: "YZ-LX-2025-104"
  recipient: "r-1a2b3c4d5e6f7081"
  approval: "township"
  approver: "柳巷街道办事处"
  approved: 2025-05-05
  applied: 2025-04-28
  Expenses:Relief:Yingze:Liuxiang:Small  200.00 CNY
  Assets:Reserve:Yingze:Liuxiang

2025-06-02 * "赵磊" "一般程序临时救助 报盘"
  case: "YZ-LX-2025-201"
  recipient: "r-4d5e6f7081920314"
  batch: "B2025-06"
  Assets:InTransit:Yingze:Liuxiang  3000.00 CNY
  Assets:Treasury:Yingze

2025-06-05 * "赵磊" "一般程序临时救助"
  case: "YZ-LX-2025-201"
  recipient: "r-4d5e6f7081920314"
  approval: "county"
  approver: "迎泽区民政局"
  approved: 2025-05-30
  notice: 2025-05-20
  ratio: 1.5
  applied: 2025-05-10
  batch: "B2025-06"
  bank-status: "paid"
  Expenses:Relief:Yingze:Liuxiang:General  3000.00 CNY
  Assets:InTransit:Yingze:Liuxiang

2025-07-01 * "孙丽" "先行救助" ^adv-YZ-QD-2025-001
  case: "YZ-QD-2025-001"
  recipient: "r-5e6f708192031425"
  applied: 2025-06-30
  Assets:Advances:Yingze:Qiaodong  2000.00 CNY
  Assets:Reserve:Yingze:Qiaodong

2025-07-20 * "孙丽" "补办审批" ^adv-YZ-QD-2025-001
  case: "YZ-QD-2025-001"
  recipient: "r-5e6f708192031425"
  approval: "township"
  approver: "桥东街道办事处"
  approved: 2025-07-18
  Expenses:Relief:Yingze:Qiaodong:Emergency  2000.00 CNY
  Assets:Advances:Yingze:Qiaodong

2025-09-01 * "钱伟" "先行救助" ^adv-WB-XH-2025-001
  case: "WB-XH-2025-001"
  recipient: "r-6f70819203142536"
  Assets:Advances:Wanbailin:Xinghua  1500.00 CNY
  Assets:Reserve:Wanbailin:Xinghua

2025-12-28 * "吴静" "小额临时救助 报盘"
  case: "WB-XH-2025-101"
  recipient: "r-708192031425364a"
  batch: "B2025-12"
  Assets:InTransit:Wanbailin:Xinghua  800.00 CNY
  Assets:Reserve:Wanbailin:Xinghua

2026-01-10 * "桥东街道" "2025年备用金结余退回" #reserve-return
  period: "2025"
  Assets:Reserve:Yingze:Qiaodong  -5000.00 CNY
  Assets:Treasury:Yingze
"""

#: The whole ledger: the test city and the sample year.
TEXT = PRELUDE + SAMPLE
