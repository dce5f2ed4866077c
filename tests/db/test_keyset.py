"""`app.db.keyset` on its own: sort keys, cursors and pages of lists computed in memory."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import orjson
import pytest
from sqlalchemy import Integer, Numeric, String, cast, column

from app.db.keyset import (
    MAC_BYTES,
    UNSEALED,
    CursorSeal,
    Paged,
    PageParams,
    SortKey,
    cursor_after,
    decode_cursor,
    page_sorted,
)
from app.errors import ValidationFailed

KIND = column("kind", String())
RANK = column("rank", Integer())
NAME = column("name", String())


@dataclass(frozen=True)
class Item:
    kind: str
    rank: int
    name: str


ITEMS = sorted(
    (Item(kind, rank, f"{kind}{rank}") for kind in "ab" for rank in range(4)),
    key=lambda item: (item.kind, -item.rank, item.name),
)
# Mixed directions: kind ascending, rank descending, the unique name last.
ORDER = (SortKey(KIND), SortKey(RANK, descending=True), SortKey(NAME))


def test_a_sort_key_reads_the_field_of_its_column_key() -> None:
    assert [key.field for key in ORDER] == ["kind", "rank", "name"]


def test_an_expression_without_a_key_must_name_its_field() -> None:
    with pytest.raises(ValueError, match="field"):
        SortKey(cast(RANK, Numeric(24, 6)))
    assert SortKey(cast(RANK, Numeric(24, 6)), field="rank").field == "rank"


def test_a_cursor_holds_the_sort_values_of_its_row() -> None:
    assert decode_cursor(cursor_after(ITEMS[2], ORDER), ORDER) == ["a", 1, "a1"]


@pytest.mark.parametrize("limit", [1, 2, 3, 8, 9])
def test_walking_a_sorted_list_gives_every_item_once(limit: int) -> None:
    seen: list[Item] = []
    page: Paged[Item] = page_sorted(ITEMS, ORDER, PageParams(limit=limit))
    while True:
        assert len(page.items) <= limit
        seen += page.items
        if page.next_cursor is None:
            break
        page = page_sorted(ITEMS, ORDER, PageParams(limit=limit, cursor=page.next_cursor))
    assert seen == ITEMS


def test_a_cursor_of_another_ordering_is_refused() -> None:
    cursor = cursor_after(ITEMS[0], ORDER)
    with pytest.raises(ValidationFailed) as refused:
        page_sorted(ITEMS, (SortKey(NAME),), PageParams(limit=2, cursor=cursor))
    assert refused.value.errors is not None
    assert refused.value.errors[0].field == "query.cursor"


# --- sealed cursors ----------------------------------------------------------------------

SEAL = CursorSeal(key=b"installation key", query=b"digest of the filters")


def test_a_sealed_cursor_reads_back_with_its_seal_only() -> None:
    cursor = cursor_after(ITEMS[2], ORDER, SEAL)
    assert decode_cursor(cursor, ORDER, SEAL) == ["a", 1, "a1"]
    others = [
        CursorSeal(key=b"installation key", query=b"other filters"),
        CursorSeal(key=b"another installation", query=b"digest of the filters"),
        UNSEALED,
    ]
    for other in others:
        with pytest.raises(ValidationFailed) as refused:
            decode_cursor(cursor, ORDER, other)
        assert refused.value.errors is not None
        assert refused.value.errors[0].field == "query.cursor"


def test_a_sealed_cursor_holds_values_not_column_names() -> None:
    cursor = cursor_after(ITEMS[2], ORDER, SEAL)
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    assert raw[MAC_BYTES:] == b'["a",1,"a1"]'
    assert b"kind" not in raw


def test_values_of_the_wrong_type_are_refused_even_when_sealed() -> None:
    for values in (["a", "1", "a1"], ["a", 1], [1, 1, "a1"], {"k": 1}):
        cursor = SEAL.seal(orjson.dumps(values), ",".join(str(k.column) for k in ORDER))
        with pytest.raises(ValidationFailed):
            decode_cursor(cursor, ORDER, SEAL)


def test_walking_sealed_pages_gives_every_item_once() -> None:
    seen: list[Item] = []
    page: Paged[Item] = page_sorted(ITEMS, ORDER, PageParams(limit=3, seal=SEAL))
    while True:
        seen += page.items
        if page.next_cursor is None:
            break
        page = page_sorted(ITEMS, ORDER, PageParams(limit=3, cursor=page.next_cursor, seal=SEAL))
    assert seen == ITEMS
