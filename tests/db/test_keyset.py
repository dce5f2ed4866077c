"""`app.db.keyset` on its own: sort keys, cursors and pages of lists computed in memory."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Integer, Numeric, String, cast, column

from app.db.keyset import Paged, PageParams, SortKey, cursor_after, decode_cursor, page_sorted
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
