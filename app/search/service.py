"""Ranked search: which types to look in, and a page of the ranking."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.db.keyset import MAX_LIMIT, Paged, PageParams
from app.errors import ValidationFailed
from app.search import repository
from app.search.cursor import decode_offset, encode_offset
from app.search.documents import SEARCHABLE
from app.search.repository import Hit

# Ranked results page by offset, not by key (a rank is no column), and only so deep: the
# first 5,000 are what anyone reads.
MAX_DEPTH = 10 * MAX_LIMIT


def check_types(types: list[str], *, field: str = "query.type") -> list[str]:
    unknown = [kind for kind in types if kind not in SEARCHABLE]
    if unknown:
        raise ValidationFailed.for_field(field, f"unknown type(s): {', '.join(unknown)}")
    return types


def search(session: Session, q: str, *, types: list[str], page: PageParams) -> Paged[Hit]:
    """One page of the records matching `q`, best first; `types` (if any) keeps those only."""
    check_types(types)
    offset = decode_offset(page.cursor, page.seal)
    hits = repository.search(session, q, types=types, limit=page.limit + 1, offset=offset)
    more = len(hits) > page.limit and offset + page.limit <= MAX_DEPTH
    return Paged(
        hits[: page.limit], encode_offset(offset + page.limit, page.seal) if more else None
    )
