"""Keyset (cursor) paging: one ordering per list, and cursors that derive themselves.

A list is ordered by its `SortKey`s, the last of them unique, so the order is total and
stable. A page is fetched with one row more than asked (that row says whether more
follow); the cursor holds the sort values of the last row kept, read from the row through
each key's `field`, so no caller spells them out.

Cursors are opaque and sealed (`CursorSeal`): the values (no column names), then an HMAC
over them, the ordering and the query the page belongs to (the HTTP layer digests the
path and its filters into `CursorSeal.query`), with the installation's key. So a cursor
is honoured only with the ordering and filters that issued it: one that was altered, that
comes from another list, or that is sent with other filters or another `sort` is a 422 on
`query.cursor`, never a silently wrong page.

No HTTP here: repositories page through this module, and `app.http.pagination` turns the
`Paged` they return into the list body and its `Link` header.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import ColumnElement, Select, UnaryExpression, and_, or_
from sqlalchemy.orm import QueryableAttribute

from app.errors import INVALID_CURSOR, ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")
U = TypeVar("U")
# A SELECT of any columns (SQLAlchemy 2.1 types a Select by its row tuple).
AnySelect = Select[*tuple[Any, ...]]
SelectT = TypeVar("SelectT", bound=AnySelect)
ColumnLike = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class CursorSeal:
    """What cursors are signed with: the installation's key, and the query they belong to.

    `query` is a digest of what chooses the rows (the path and its filters, `sort`); a page
    without one (a service called outside HTTP) seals with the empty query.
    """

    key: bytes = b""
    query: bytes = b""

    def seal(self, payload: bytes, ordering: str) -> str:
        """`payload` as an opaque token bound to `ordering` and this query."""
        return base64.urlsafe_b64encode(self._mac(payload, ordering) + payload).decode().rstrip("=")

    def open(self, token: str, ordering: str) -> bytes:
        """The payload of a token sealed for `ordering` and this query; ValueError otherwise."""
        try:
            raw = base64.urlsafe_b64decode((token + "=" * (-len(token) % 4)).encode("ascii"))
        except (binascii.Error, UnicodeError) as exc:
            raise ValueError("not base64url") from exc
        mac, payload = raw[:MAC_BYTES], raw[MAC_BYTES:]
        if len(mac) != MAC_BYTES or not hmac.compare_digest(mac, self._mac(payload, ordering)):
            raise ValueError("not sealed for this ordering and query")
        return payload

    def _mac(self, payload: bytes, ordering: str) -> bytes:
        message = b"\0".join((ordering.encode(), self.query, payload))
        return hmac.new(self.key, message, hashlib.sha256).digest()[:MAC_BYTES]


# 128 bits of HMAC-SHA256: forging a cursor would take about 2**128 tries.
MAC_BYTES = 16
UNSEALED = CursorSeal()


@dataclass(frozen=True)
class PageParams:
    """What the client asked for: at most `limit` rows, after the row `cursor` names.

    `seal` signs the cursors of the page and checks the one given (`CursorSeal`).
    """

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    seal: CursorSeal = UNSEALED


@dataclass(frozen=True)
class SortKey:
    """One column of an ordering, and where a fetched row holds its value.

    `field` is the attribute read from a fetched row (an ORM object, or a `Row` by its
    label) to make the cursor; it defaults to the column's key. A dotted path reads into
    one entity of a row that holds several (`"ScoMembership.country"`).
    """

    column: ColumnLike
    descending: bool = False
    field: str = ""

    def __post_init__(self) -> None:
        if not self.field:
            key = getattr(self.column, "key", None)
            if not key:
                raise ValueError(f"SortKey({self.column}) needs the `field` rows hold it in")
            object.__setattr__(self, "field", key)

    @property
    def ordered(self) -> UnaryExpression[Any]:
        return self.column.desc() if self.descending else self.column.asc()


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list: its items, and the cursor of the next page (None on the last)."""

    items: list[T]
    next_cursor: str | None = None

    def with_items(self, items: list[U]) -> Paged[U]:
        """The same page holding `items` in place of its own (rows made answer objects)."""
        return Paged(items, self.next_cursor)

    def map(self, convert: Callable[[T], U]) -> Paged[U]:
        """The same page with each item converted."""
        return self.with_items([convert(item) for item in self.items])


def ordering(keys: Sequence[SortKey]) -> list[UnaryExpression[Any]]:
    """The ORDER BY of `keys` (for a list read whole, without a page)."""
    return [key.ordered for key in keys]


# --- the cursor ----------------------------------------------------------------------------


def _encode_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _aware_time(raw: str) -> datetime:
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:  # cursors hold aware times; a naive one was not made here
        raise ValueError("cursor time without an offset")
    return moment


# How a cursor's JSON value becomes the column's value, by the column's Python type: what
# the JSON value must be, and how it is read.
_DECODERS: dict[type, tuple[type, Callable[[Any], Any]]] = {
    date: (str, date.fromisoformat),
    datetime: (str, _aware_time),
    Decimal: (str, Decimal),
    int: (int, int),
    str: (str, str),
    bool: (bool, bool),
}


def _decode_value(raw: Any, column: ColumnLike) -> Any:
    if raw is None:
        return None
    decoder = _DECODERS.get(column.type.python_type)
    if decoder is None:
        raise ValueError("cursor value of the wrong type")
    expected, read = decoder
    # A bool is an int to isinstance: a JSON true is never read as an integer.
    if not isinstance(raw, expected) or (expected is int and isinstance(raw, bool)):
        raise ValueError("cursor value of the wrong type")
    return read(raw)


def _ordering_name(keys: Sequence[SortKey]) -> str:
    return ",".join(("-" if key.descending else "") + str(key.column) for key in keys)


def invalid_cursor() -> ValidationFailed:
    """The 422 of a cursor this list cannot continue from (it says why it may be so)."""
    return ValidationFailed.for_field(
        "query.cursor",
        "not a cursor of this list with these filters and this sort (it was altered, or "
        "issued for other parameters); start again without `cursor`",
        kind=INVALID_CURSOR,
    )


def encode_cursor(
    values: Sequence[Any], keys: Sequence[SortKey], seal: CursorSeal = UNSEALED
) -> str:
    payload = orjson.dumps([_encode_value(value) for value in values])
    return seal.seal(payload, _ordering_name(keys))


def decode_cursor(cursor: str, keys: Sequence[SortKey], seal: CursorSeal = UNSEALED) -> list[Any]:
    """The sort values `cursor` holds; a 422 unless it was sealed for this ordering and query."""
    try:
        raw_values = orjson.loads(seal.open(cursor, _ordering_name(keys)))
        if not isinstance(raw_values, list) or len(raw_values) != len(keys):
            raise invalid_cursor()
        return [_decode_value(raw, key.column) for raw, key in zip(raw_values, keys, strict=True)]
    except (ValueError, TypeError) as exc:
        raise invalid_cursor() from exc


def cursor_after(row: Any, keys: Sequence[SortKey], seal: CursorSeal = UNSEALED) -> str:
    """The cursor of the page that starts after `row`."""
    return encode_cursor([attrgetter(key.field)(row) for key in keys], keys, seal)


# --- pages ---------------------------------------------------------------------------------


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the ordering (works for mixed directions)."""
    clauses: list[ColumnElement[bool]] = []
    for index, key in enumerate(keys):
        equal_prefix = [keys[i].column == values[i] for i in range(index)]
        beyond = key.column < values[index] if key.descending else key.column > values[index]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)


def apply_keyset(statement: SelectT, keys: Sequence[SortKey], params: PageParams) -> SelectT:
    """Order by `keys`, start after the cursor, and fetch one row more than the page."""
    if params.cursor is not None:
        statement = statement.where(_after(keys, decode_cursor(params.cursor, keys, params.seal)))
    return statement.order_by(*ordering(keys)).limit(params.limit + 1)


def _trim(rows: Sequence[T], keys: Sequence[SortKey], params: PageParams) -> Paged[T]:
    """The page in `rows` (fetched by `apply_keyset`: one row too many when more follow)."""
    if len(rows) <= params.limit:
        return Paged(list(rows))
    items = list(rows[: params.limit])
    return Paged(items, cursor_after(items[-1], keys, params.seal))


def fetch_page(
    run: Callable[[SelectT], Iterable[T]],
    statement: SelectT,
    keys: Sequence[SortKey],
    params: PageParams,
) -> Paged[T]:
    """One page of `statement` in the order of `keys`, run by `run` (`session.scalars` for
    ORM objects, `session.execute` or a connection's `execute` for rows)."""
    return _trim(list(run(apply_keyset(statement, keys, params))), keys, params)


def _follows(values: Sequence[Any], bound: Sequence[Any], keys: Sequence[SortKey]) -> bool:
    """Whether sort values `values` come strictly after `bound` in the ordering of `keys`."""
    for value, limit, key in zip(values, bound, keys, strict=True):
        if value != limit:
            return bool(value < limit) if key.descending else bool(value > limit)
    return False


def page_sorted(items: Sequence[T], keys: Sequence[SortKey], params: PageParams) -> Paged[T]:
    """A page of a list computed in memory (not stored), already in the order of `keys`."""
    if params.cursor is not None:
        bound = decode_cursor(params.cursor, keys, params.seal)
        read = [attrgetter(key.field) for key in keys]
        items = [item for item in items if _follows([get(item) for get in read], bound, keys)]
    return _trim(items[: params.limit + 1], keys, params)
