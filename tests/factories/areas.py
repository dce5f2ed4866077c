"""Request bodies of `/areas`."""

from __future__ import annotations

from app.vocabulary import AreaKind
from tests.factories import Body, present


def area_body(
    code: str = "XTA", *, name: str | None = None, kind: AreaKind = "group", iso2: str | None = None
) -> Body:
    """A new area; a group named after its code unless told otherwise."""
    return present(code=code, iso2=iso2, name=name or f"Test area {code}", kind=kind)
