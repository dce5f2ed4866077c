"""Keep the search index in step with writes: same transaction, every write path."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.search.documents import SEARCHABLE, document_for
from app.search.terms import index_terms

DELETE = text("DELETE FROM search_index WHERE type = :type AND id = :id")
INSERT = text(
    "INSERT INTO search_index (type, id, title, body, terms) "
    "VALUES (:type, :id, :title, :body, :terms)"
)


def reindex(session: Session, changed: dict[tuple[str, str], str]) -> None:
    """Rewrite the index entries of the changed resources (a change feed hook, at commit)."""
    for kind, identity in sorted(changed):
        if kind not in SEARCHABLE:
            continue
        session.execute(DELETE, {"type": kind, "id": identity})
        document = document_for(session, kind, identity)
        if document is not None:
            title, body = document
            row = {"type": kind, "id": identity, "title": title, "body": body}
            session.execute(INSERT, {**row, "terms": index_terms(title, body)})
