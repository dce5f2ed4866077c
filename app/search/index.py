"""Keep the search index in step with writes: same transaction, every write path."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.search.documents import SEARCHABLE, document_for

DELETE = text("DELETE FROM search_index WHERE type = :type AND id = :id")
INSERT = text("INSERT INTO search_index (type, id, title, body) VALUES (:type, :id, :title, :body)")


def reindex(session: Session, changed: dict[tuple[str, str], str]) -> None:
    """Rewrite the index entries of the changed resources (a change feed hook, at commit)."""
    for kind, identity in sorted(changed):
        if kind not in SEARCHABLE:
            continue
        session.execute(DELETE, {"type": kind, "id": identity})
        document = document_for(session, kind, identity)
        if document is not None:
            title, body = document
            session.execute(INSERT, {"type": kind, "id": identity, "title": title, "body": body})
