"""Query parameters that accept several values, by repetition (`?a=x&a=y`) or comma (`?a=x,y`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

# Every resource id is a slug (DESIGN §3): a malformed id is a 422, a well-formed unknown
# one a 404.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,119}$"
# Text without control characters: PostgreSQL cannot compare a string holding NUL, so such
# a value must be refused as a 422 rather than fail in the driver as a 500.
PRINTABLE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
# One value of a repeatable filter (`?country=KZ&country=CN,RU`), before `split_values`.
FilterValue = Annotated[str, StringConstraints(pattern=PRINTABLE_PATTERN, max_length=1000)]


def split_values(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated values, dropping blanks and duplicates."""
    if not values:
        return []
    parts = (part.strip() for value in values for part in value.split(","))
    return list(dict.fromkeys(part for part in parts if part))
