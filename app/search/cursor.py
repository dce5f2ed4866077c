"""Cursors of ranked search results: a position in the ranking, sealed as list cursors are.

A rank is no column, so search pages by offset; the offset travels in the same opaque,
signed token as keyset cursors (`app.db.keyset.CursorSeal`), bound to the query (`q`,
`type`) that ranked the results.
"""

from __future__ import annotations

import orjson

from app.db.keyset import CursorSeal, invalid_cursor

ORDERING = "search-rank"
MAX_OFFSET = 100_000


def encode_offset(offset: int, seal: CursorSeal) -> str:
    return seal.seal(orjson.dumps(offset), ORDERING)


def decode_offset(cursor: str | None, seal: CursorSeal) -> int:
    if cursor is None:
        return 0
    try:
        offset = orjson.loads(seal.open(cursor, ORDERING))
    except ValueError as error:
        raise invalid_cursor() from error
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise invalid_cursor()
    return offset
