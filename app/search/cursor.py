"""Cursors of ranked search results: an opaque, validated position in the ranking."""

from __future__ import annotations

import base64
import binascii

import orjson

from app.errors import INVALID_CURSOR, ValidationFailed


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"search_offset": offset})).decode().rstrip("=")


def decode_offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        payload = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = payload["search_offset"]
    except (ValueError, KeyError, TypeError, binascii.Error) as error:
        raise ValidationFailed.for_field(
            "query.cursor", "invalid or expired cursor", kind=INVALID_CURSOR
        ) from error
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 100_000:
        raise ValidationFailed.for_field(
            "query.cursor", "invalid or expired cursor", kind=INVALID_CURSOR
        )
    return offset
