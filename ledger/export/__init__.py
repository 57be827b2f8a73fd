"""The SQL export (`reserve export`) and the cross-book SQL audit (`reserve audit --db`).

`schema` defines the tables, `rows` builds them from loaded books (the entry tables; the record
tables' rows come from `record_rows`), `export` writes one book in one transaction, `db_checks`
runs the cross-book checks, `urls` validates database URLs.
"""
