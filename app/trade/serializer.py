"""The JSON object of a trade observation: one list of fields, read from typed or text rows.

The item answer (`GET /trade/observations/{id}`, and the answers of writes) reads typed
values, `Decimal`s and aware `datetime`s, which `json_body.dumps` writes as exact JSON
numbers and `…Z` times. A list page reads the same columns as the database's text (the
repository's "text" layout: a 500-row page should not parse each decimal and timestamp
only to print it again) and sends that text as it is. Both are read through
`OBSERVATION_FIELDS`, so a list item and the item answer are the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from operator import attrgetter, itemgetter
from typing import Any, Literal

import orjson
from sqlalchemy import Row

Convert = Callable[[Any], Any]
# Makes the function that reads the column of a name from a row.
Getter = Callable[[str], Convert]
Kind = Literal["plain", "decimal", "timestamp", "bounds", "derivation"]


@dataclass(frozen=True)
class Field:
    """One key of the observation object, and the kind of value it holds."""

    key: str
    kind: Kind = "plain"


# The observation object, in the contract's field order. `bounds` reads the columns
# `bounds_lower` and `bounds_upper`; every other field reads the column of its own name.
OBSERVATION_FIELDS = (
    Field("id"),
    Field("reporter"),
    Field("partner"),
    Field("indicator"),
    Field("year"),
    Field("base_year"),
    Field("span_years"),
    Field("value", "decimal"),
    Field("unit"),
    Field("precision", "decimal"),
    Field("qualifier"),
    Field("qualifier_word"),
    Field("bounds", "bounds"),
    Field("status"),
    Field("preferred"),
    Field("source_id"),
    Field("derivation", "derivation"),
    Field("note"),
    Field("created_at", "timestamp"),
    Field("updated_at", "timestamp"),
)


def bounds_item(lower: Any, upper: Any) -> dict[str, Any]:
    """`{"lower": …, "upper": …}`: the range a figure allows (DESIGN section 7)."""
    return {"lower": lower, "upper": upper}


def derivation_item(derivation: dict[str, Any] | None) -> dict[str, Any] | None:
    if not derivation:
        return None
    return {"formula": derivation.get("formula"), "inputs": list(derivation.get("inputs") or [])}


def timestamp_text(stored: str) -> str:
    """`2024-05-02 10:00:00.000000` -> `2024-05-02T10:00:00Z` (as orjson writes it)."""
    text = stored[:10] + "T" + stored[11:]
    if text.endswith(".000000"):
        text = text[:-7]
    return text + "Z"


def decimal_fragment(digits: str | None) -> orjson.Fragment | None:
    """Decimal text from the database as a JSON number of exactly those digits."""
    return None if digits is None else orjson.Fragment(digits.encode("ascii"))


def _then(read: Convert, convert: Convert | None) -> Convert:
    return read if convert is None else lambda row: convert(read(row))


def _readers(
    get: Getter, *, decimal: Convert | None, timestamp: Convert | None
) -> tuple[tuple[str, Convert], ...]:
    """(key, read) for each field: `read(row)` is the field's JSON value, its decimals and
    timestamps converted by `decimal` and `timestamp` (None: as they are)."""

    def reader(field: Field) -> Convert:
        if field.kind == "bounds":
            lower = _then(get("bounds_lower"), decimal)
            upper = _then(get("bounds_upper"), decimal)
            return lambda row: bounds_item(lower(row), upper(row))
        column = get(field.key)
        if field.kind == "derivation":
            return lambda row: derivation_item(column(row))
        if field.kind == "decimal":
            return _then(column, decimal)
        if field.kind == "timestamp":
            return _then(column, timestamp)
        return column

    return tuple((field.key, reader(field)) for field in OBSERVATION_FIELDS)


# ORM objects and typed rows, by attribute: `json_body.dumps` writes `Decimal` and
# `datetime` itself.
_TYPED_READERS = _readers(attrgetter, decimal=None, timestamp=None)


def observation_item(row: Any) -> dict[str, Any]:
    """The observation object of an ORM object or a typed row."""
    return {key: read(row) for key, read in _TYPED_READERS}


@cache
def _text_readers(columns: tuple[str, ...]) -> tuple[tuple[str, Convert], ...]:
    # By position: a `Row` reads by index several times faster than by name.
    return _readers(
        lambda name: itemgetter(columns.index(name)),
        decimal=decimal_fragment,
        timestamp=timestamp_text,
    )


def observation_items_from_text(rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    """The observation objects of rows read in the repository's "text" layout."""
    if not rows:
        return []
    readers = _text_readers(rows[0]._fields)
    return [{key: read(row) for key, read in readers} for row in rows]
