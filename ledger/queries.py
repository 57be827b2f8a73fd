"""Saved BQL queries for auditors' common questions (`queries.beancount`).

`reserve init` writes `QUERIES_TEXT` into the new books' `queries.beancount`, and the demo
books include the same text. Each `query` directive runs in `bean-query` (`.run NAME`) and is
listed in Fava's sidebar (the books set `sidebar-show-queries` high enough). The queries read
only accounts and metadata of SPEC §2-§3; names and recipients' hashes appear where the
question needs them, so the query results are for auditors, not for publication.
"""

from __future__ import annotations

import datetime

#: The date the queries are filed under (any date works; this is the seed policy's).
QUERY_DATE = datetime.date(2015, 6, 1)

#: (name, BQL) of every saved query, in sidebar order.
QUERIES: tuple[tuple[str, str], ...] = (
    (
        "乡镇救助支出（按程序）",
        "SELECT root(account, 4) AS township, leaf(account) AS procedure, "
        "count(number) AS postings, sum(number) AS amount, currency "
        "WHERE account ~ '^Expenses:Relief:' "
        "GROUP BY township, procedure, currency ORDER BY township, procedure",
    ),
    (
        "最大额救助支出",
        "SELECT date, root(account, 4) AS township, leaf(account) AS procedure, "
        "entry_meta('case') AS case_no, payee, number AS amount, currency "
        "WHERE account ~ '^Expenses:Relief:' AND number > 0 "
        "ORDER BY amount DESC LIMIT 50",
    ),
    (
        "未结先行救助预付款",
        "SELECT account, joinstr(links) AS link, min(date) AS first_date, sum(number) AS outstanding, "
        "currency WHERE account ~ '^Assets:Advances:' "
        "GROUP BY account, link, currency HAVING sum(number) != 0 ORDER BY first_date",
    ),
    (
        "受助人救助支出",
        "SELECT entry_meta('recipient') AS recipient, count(number) AS postings, "
        "sum(number) AS amount, currency WHERE account ~ '^Expenses:Relief:' "
        "GROUP BY recipient, currency ORDER BY amount DESC",
    ),
    (
        "银行在途款项",
        "SELECT account, entry_meta('batch') AS batch, entry_meta('case') AS case_no, "
        "min(date) AS sent, sum(number) AS in_transit, currency "
        "WHERE account ~ '^Assets:InTransit:' "
        "GROUP BY account, batch, case_no, currency HAVING sum(number) != 0 ORDER BY sent",
    ),
    (
        "备用金拨付（按年度）",
        "SELECT year, account, sum(number) AS allocated, currency "
        "WHERE account ~ '^Assets:Reserve:' AND 'allocation' IN tags "
        "GROUP BY year, account, currency ORDER BY year, account",
    ),
)


def _directive(name: str, bql: str) -> str:
    return f'{QUERY_DATE.isoformat()} query "{name}" "{bql}"'


#: The text of `queries.beancount`.
QUERIES_TEXT = (
    "; Saved queries for auditors: run in Fava (sidebar) or `bean-query BOOKS '.run NAME'`.\n"
    "; Written by `reserve init` (ledger/queries.py).\n\n"
    + "\n".join(_directive(name, bql) for name, bql in QUERIES)
    + "\n"
)
