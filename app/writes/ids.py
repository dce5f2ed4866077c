"""Ids of new resources: slugs, made from the body's own fields when a POST gives none."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from app.errors import RULE_ERROR, ValidationFailed
from app.vocabulary import SLUG_PATTERN


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-")


def slug_from(data: dict[str, Any], fields: tuple[str, ...], *, id_field: str) -> str:
    """The slug of `fields`' values in `data`; 422 on `id_field` when they make none."""
    slug = slugify(" ".join(str(data.get(name) or "") for name in fields))
    if not re.match(SLUG_PATTERN, slug):
        raise ValidationFailed.for_field(f"body.{id_field}", "give an id (a slug)", kind=RULE_ERROR)
    return slug
