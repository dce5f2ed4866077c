"""search in Chinese: the CJK characters and pairs of each document (DESIGN section 9)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 09:00:00

The search index gains a column `terms`: the characters and overlapping pairs of every run
of CJK characters in a document's title and body (`上海合作组织` -> `上 海 … 上海 海合 合作
作组 组织`), which the application writes with each entry (`app.search.terms`). Both engines
see a run as one token; its pairs let `合作` find `上海合作组织`. On SQLite the FTS5 table
is made again with the column (a virtual table takes no new column); on PostgreSQL the
column is added and the generated `document` vector takes it in, kept as it is (`simple`).
The entries already there get their terms here.

Downgrading drops the column (and the vector's part of it).
"""

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS5_TOKENIZER = "tokenize = 'porter unicode61 remove_diacritics 2'"
ENGLISH_DOCUMENT = (
    "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')"
)
# The characters the terms are made of, as app.search.terms wrote them in this revision.
CJK_RUN = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _terms(*texts: str) -> str:
    grams: dict[str, None] = {}
    for text in texts:
        for run in CJK_RUN.findall(unicodedata.normalize("NFKC", text)):
            grams.update(dict.fromkeys([*run, *("".join(pair) for pair in pairwise(run))]))
    return " ".join(grams)


def _sqlite_table(columns: str, copied: str) -> None:
    """The FTS5 index made again with `columns`, its entries copied (`copied` of each)."""
    op.execute(f"CREATE VIRTUAL TABLE search_index_next USING fts5({columns}, {FTS5_TOKENIZER})")
    op.execute(f"INSERT INTO search_index_next SELECT {copied} FROM search_index")  # noqa: S608  # nosec B608
    op.execute("DROP TABLE search_index")
    op.execute("ALTER TABLE search_index_next RENAME TO search_index")


def _postgres_document(expression: str) -> None:
    op.execute("ALTER TABLE search_index DROP COLUMN document")
    op.execute(
        f"ALTER TABLE search_index ADD COLUMN document tsvector GENERATED ALWAYS AS ({expression}) STORED"
    )
    op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite_table(
            "type UNINDEXED, id UNINDEXED, title, body, terms", "type, id, title, body, ''"
        )
    else:
        op.execute("ALTER TABLE search_index ADD COLUMN terms TEXT NOT NULL DEFAULT ''")
        _postgres_document(ENGLISH_DOCUMENT + " || setweight(to_tsvector('simple', terms), 'C')")
    rows = bind.execute(sa.text("SELECT type, id, title, body FROM search_index")).all()
    update = sa.text("UPDATE search_index SET terms = :terms WHERE type = :type AND id = :id")
    for kind, identity, title, body in rows:
        terms = _terms(title, body)
        if terms:
            bind.execute(update, {"terms": terms, "type": kind, "id": identity})


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_table("type UNINDEXED, id UNINDEXED, title, body", "type, id, title, body")
    else:
        _postgres_document(ENGLISH_DOCUMENT)
        op.execute("ALTER TABLE search_index DROP COLUMN terms")
