"""Query parameters that accept several values, by repetition (`?a=x&a=y`) or comma (`?a=x,y`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Query
from pydantic import StringConstraints, WithJsonSchema

from app.vocabulary import SLUG_PATTERN

# Text without control characters: PostgreSQL cannot compare a string holding NUL, so such
# a value must be refused as a 422 rather than fail in the driver as a 500.
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# One value of a repeatable filter (`?country=KZ&country=CN,RU`), before `split_values`.
FilterValue = Annotated[str, StringConstraints(pattern=PRINTABLE_PATTERN, max_length=1000)]


def country_filter(whose: str) -> Any:
    """`Query` of a repeatable country filter (`list[FilterValue] | None`), `whose` it is."""
    return Query(
        description=f"{whose}: alpha-3 or alpha-2, any case; several by repetition or comma.",
        examples=[["KAZ"]],  # an example is a value of the parameter: a list of codes
    )


def id_filter(description: str, example: str) -> Any:
    """`Query` of a filter naming one record by its id (`str | None`)."""
    return Query(pattern=SLUG_PATTERN, description=description, examples=[example])


def listed(item: str) -> str:
    """Pattern of one filter value: `item`s separated by commas, blanks and spaces ignored."""
    return rf"^ *(?:{item})? *(?:, *(?:{item})? *)*$"


def one_of(choices: Iterable[str]) -> str:
    """Pattern of a filter value naming any of `choices`, comma-separated."""
    return listed("|".join(re.escape(choice) for choice in choices))


def documented(pattern: str) -> WithJsonSchema:
    """State `pattern` in the OpenAPI document; the service checks the value itself.

    For filters whose 422 should name the field and list the values it takes
    (`query.kind: unknown kind(s): …; one of …`) rather than quote a regular expression.
    """
    return WithJsonSchema({"type": "string", "pattern": pattern, "maxLength": 1000})


def split_values(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated values, dropping blanks and duplicates."""
    if not values:
        return []
    parts = (part.strip() for value in values for part in value.split(","))
    return list(dict.fromkeys(part for part in parts if part))
