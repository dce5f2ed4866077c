"""Keyset (cursor) pagination for every list: `{items, next_cursor}` plus a `Link` header.

Cursors are opaque to clients: base64url JSON of the last row's sort key and the ordering
it belongs to. A cursor that does not decode, or that belongs to another ordering, is a 422.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.orm import QueryableAttribute

from app.errors import INVALID_CURSOR, ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")
# A SELECT of any columns (SQLAlchemy 2.1 types a Select by its row tuple).
AnySelect = Select[*tuple[Any, ...]]
ColumnLike = ColumnElement[Any] | QueryableAttribute[Any]


class Page(BaseModel, Generic[T]):
    """One page of a list; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None = Field(default=None, examples=[None])


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(max_length=1000, description="Opaque cursor from a previous `next_cursor`."),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


@dataclass(frozen=True)
class SortKey:
    """A column of the ordering; `descending` flips its direction."""

    column: ColumnLike
    descending: bool = False


def _encode_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode_value(raw: Any, column: ColumnLike) -> Any:
    if raw is None:
        return None
    python_type = column.type.python_type
    if python_type is date and isinstance(raw, str):
        return date.fromisoformat(raw)
    if python_type is Decimal and isinstance(raw, str):
        return Decimal(raw)
    if python_type is int and isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if python_type is str and isinstance(raw, str):
        return raw
    if python_type is bool and isinstance(raw, bool):
        return raw
    raise ValueError("cursor value of the wrong type")


def _ordering_name(keys: Sequence[SortKey]) -> str:
    return ",".join(("-" if key.descending else "") + str(key.column) for key in keys)


def encode_cursor(values: Sequence[Any], keys: Sequence[SortKey]) -> str:
    payload = {"k": [_encode_value(value) for value in values], "o": _ordering_name(keys)}
    return base64.urlsafe_b64encode(orjson.dumps(payload)).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    invalid = ValidationFailed.for_field(
        "query.cursor", "invalid or expired cursor", kind=INVALID_CURSOR
    )
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(payload, dict) or payload.get("o") != _ordering_name(keys):
            raise invalid
        raw_values = payload["k"]
        if not isinstance(raw_values, list) or len(raw_values) != len(keys):
            raise invalid
        return [_decode_value(raw, key.column) for raw, key in zip(raw_values, keys, strict=True)]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError) as exc:
        raise invalid from exc


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the ordering (works for mixed directions)."""
    clauses: list[ColumnElement[bool]] = []
    for index, key in enumerate(keys):
        equal_prefix = [keys[i].column == values[i] for i in range(index)]
        beyond = key.column < values[index] if key.descending else key.column > values[index]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)


def apply_keyset(statement: AnySelect, keys: Sequence[SortKey], params: PageParams) -> AnySelect:
    """Order by `keys`, start after the cursor, and fetch one row more than the page."""
    if params.cursor is not None:
        statement = statement.where(_after(keys, decode_cursor(params.cursor, keys)))
    order = [key.column.desc() if key.descending else key.column.asc() for key in keys]
    return statement.order_by(*order).limit(params.limit + 1)


def next_cursor_for(
    rows: Sequence[T],
    keys: Sequence[SortKey],
    params: PageParams,
    key_values: Callable[[T], Sequence[Any]],
) -> tuple[list[T], str | None]:
    """Trim the extra row; return the page and the cursor that continues after it."""
    if len(rows) <= params.limit:
        return list(rows), None
    page = list(rows[: params.limit])
    return page, encode_cursor(key_values(page[-1]), keys)


def set_link_header(request: Request, response: Response, next_cursor: str | None) -> None:
    if next_cursor is not None:
        url = request.url.include_query_params(cursor=next_cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'


def page_body(
    request: Request,
    response: Response,
    rows: Sequence[T],
    keys: Sequence[SortKey],
    params: PageParams,
    key_values: Callable[[T], Sequence[Any]],
) -> dict[str, Any]:
    """The list envelope for `rows` (fetched with `apply_keyset`), with its `Link` header."""
    items, cursor = next_cursor_for(rows, keys, params, key_values)
    set_link_header(request, response, cursor)
    return {"items": items, "next_cursor": cursor}


PageDep = Annotated[PageParams, Depends(page_params)]
