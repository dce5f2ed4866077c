"""Query parameters that accept several values, by repetition (`?a=x&a=y`) or comma (`?a=x,y`)."""

from __future__ import annotations


def split_values(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated values, dropping blanks and duplicates."""
    if not values:
        return []
    parts = (part.strip() for value in values for part in value.split(","))
    return list(dict.fromkeys(part for part in parts if part))
