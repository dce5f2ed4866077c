"""Ranked full-text queries: SQLite FTS5 and PostgreSQL full-text behind one function."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

_SQLITE = """
SELECT type, id, title,
       snippet(search_index, -1, '<mark>', '</mark>', '…', 24) AS snippet,
       bm25(search_index, 0.0, 0.0, 4.0, 1.0) AS score
FROM search_index
WHERE search_index MATCH :query {type_filter}
ORDER BY score, type, id
LIMIT :limit OFFSET :offset
"""

_POSTGRES = """
SELECT type, id, title,
       ts_headline('english', title || ' — ' || body, query,
                   'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=12, '
                   'MaxFragments=2, FragmentDelimiter=" … "') AS snippet,
       -ts_rank_cd(document, query) AS score
FROM search_index, websearch_to_tsquery('english', :query) AS query
WHERE document @@ query {type_filter}
ORDER BY score, type, id
LIMIT :limit OFFSET :offset
"""


@dataclass(frozen=True)
class Hit:
    type: str
    id: str
    title: str
    snippet: str
    score: float


def _fts5_query(q: str) -> str | None:
    """Every word must match (porter-stemmed); the last may be a prefix. Quoting each token
    means no FTS5 syntax from the user reaches the engine."""
    words = re.findall(r"\w+", q)
    if not words:
        return None
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def search(session: Session, q: str, *, types: list[str], limit: int, offset: int) -> list[Hit]:
    dialect = session.get_bind().dialect.name
    type_filter = "AND type IN :types" if types else ""
    if dialect == "sqlite":
        query = _fts5_query(q)
        if query is None:
            return []
        sql = _SQLITE.format(type_filter=type_filter)
    else:
        query = q
        sql = _POSTGRES.format(type_filter=type_filter)
    statement = text(sql)
    params: dict[str, object] = {"query": query, "limit": limit, "offset": offset}
    if types:
        statement = statement.bindparams(bindparam("types", expanding=True))
        params["types"] = types
    rows = session.execute(statement, params)
    return [Hit(row.type, row.id, row.title, row.snippet, float(row.score)) for row in rows]
