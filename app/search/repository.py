"""Ranked full-text queries: SQLite FTS5 and PostgreSQL full-text behind one function.

Both ask the same thing (`app.search.terms.query_terms`): every word, stemmed as English
(the last one, and every Russian stem, as a prefix), and every pair of CJK characters in the
`terms` column. Snippets come from each engine's highlighter; the CJK runs it cannot see
(a run is one token to it) are marked here (`app.search.snippets`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.search.snippets import best_snippet
from app.search.terms import Term, cjk_runs, query_terms

# The text the snippet of a CJK match is cut from: only selected when the query has CJK.
WHOLE_TEXT = "title || ' — ' || body"

# The body's fragment, or the title's where the body has no match (never the `terms`).
_SQLITE = """
SELECT type, id, title,
       snippet(search_index, 3, '<mark>', '</mark>', '…', 24) AS body_snippet,
       snippet(search_index, 2, '<mark>', '</mark>', '…', 24) AS title_snippet,
       {whole} AS whole,
       bm25(search_index, 0.0, 0.0, 4.0, 1.0, 1.0) AS score
FROM search_index
WHERE search_index MATCH :query {type_filter}
ORDER BY score, type, id
LIMIT :limit OFFSET :offset
"""

_POSTGRES = """
SELECT type, id, title,
       ts_headline('english', title || ' — ' || body, query,
                   'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=12, '
                   'MaxFragments=2, FragmentDelimiter=" … "') AS body_snippet,
       '' AS title_snippet,
       {whole} AS whole,
       -ts_rank_cd(document, query) AS score
FROM search_index, {query} AS query
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


def _fts5_query(terms: list[Term]) -> str:
    """Every term quoted (no FTS5 syntax from the user reaches the engine), a prefix with `*`;
    terms side by side must all match."""
    return " ".join(f'"{term.text}"' + ("*" if term.prefix else "") for term in terms)


def _tsquery(terms: list[Term]) -> str:
    """`to_tsquery` text: the terms joined by `&`, a prefix with `:*`. A term is letters and
    digits only (`app.search.terms.WORD`), so nothing in it is tsquery syntax."""
    return " & ".join(term.text + (":*" if term.prefix else "") for term in terms)


def search(session: Session, q: str, *, types: list[str], limit: int, offset: int) -> list[Hit]:
    terms = query_terms(q)
    if not terms:
        return []
    runs = cjk_runs(q)
    dialect = session.get_bind().dialect.name
    type_filter = "AND type IN :types" if types else ""
    whole = WHOLE_TEXT if runs else "''"
    params: dict[str, object] = {"limit": limit, "offset": offset}
    if dialect == "sqlite":
        sql = _SQLITE.format(type_filter=type_filter, whole=whole)
        params["query"] = _fts5_query(terms)
    else:
        # Words are stemmed as English; CJK pairs are kept as they are (`simple`).
        parts = []
        for name, config, chosen in (
            ("words", "english", [term for term in terms if not term.gram]),
            ("grams", "simple", [term for term in terms if term.gram]),
        ):
            if chosen:
                parts.append(f"to_tsquery('{config}', :{name})")
                params[name] = _tsquery(chosen)
        query = " && ".join(parts)
        sql = _POSTGRES.format(type_filter=type_filter, whole=whole, query=query)
    statement = text(sql)
    if types:
        statement = statement.bindparams(bindparam("types", expanding=True))
        params["types"] = types
    rows = session.execute(statement, params)
    return [
        Hit(
            row.type,
            row.id,
            row.title,
            best_snippet([row.body_snippet, row.title_snippet], row.whole, runs),
            float(row.score),
        )
        for row in rows
    ]
