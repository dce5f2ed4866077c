"""full-text search index (SQLite FTS5, PostgreSQL tsvector)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 06:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One row per searchable resource: (type, id, title, body). The application keeps it in
# step with writes (app/search/index.py); this migration fills it from existing rows.
BACKFILL = [
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'meeting', id, title, "
    "coalesce(summary, '') || ' ' || coalesce(city, '') || ' ' || "
    "coalesce(attendance_note, '') || ' ' || coalesce(CAST(topics AS TEXT), '') FROM meetings",
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'session', id, title, coalesce(summary, '') || ' ' || "
    "coalesce(CAST(topics AS TEXT), '') FROM sessions",
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'report', id, title, coalesce(summary, '') FROM reports",
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'source', id, title, coalesce(excerpt, '') FROM sources",
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'organization', id, name, coalesce(abbreviation, '') || ' ' || coalesce(note, '') "
    "FROM organizations",
    "INSERT INTO search_index (type, id, title, body) "
    "SELECT 'person', id, name, coalesce(note, '') FROM people",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "type UNINDEXED, id UNINDEXED, title, body, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
    else:
        op.execute(
            "CREATE TABLE search_index ("
            "type VARCHAR(20) NOT NULL, id VARCHAR(200) NOT NULL, "
            "title TEXT NOT NULL, body TEXT NOT NULL, "
            "document tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('english', title), 'A') || "
            "setweight(to_tsvector('english', body), 'B')) STORED, "
            "CONSTRAINT pk_search_index PRIMARY KEY (type, id))"
        )
        op.execute("CREATE INDEX ix_search_index_document ON search_index USING gin (document)")
    for statement in BACKFILL:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
