"""Rules of the areas domain: code resolution and membership as of a date."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.areas import repository
from app.areas.models import Area
from app.errors import REFERENCE_ERROR, NotFound, ValidationFailed


def get_area(session: Session, code: str) -> Area:
    area = repository.get_area(session, code)
    if area is None:
        raise NotFound(f"No area with code {code!r}.")
    return area


def resolve_area_codes(session: Session, raw_codes: list[str], *, field: str) -> list[str]:
    """Alpha-3 codes for `raw_codes` (alpha-2 or alpha-3, any case); unknown codes are a 422."""
    known = repository.codes_for(session, raw_codes)
    unknown = [code for code in raw_codes if code not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field, f"unknown area code(s): {', '.join(unknown)}", kind=REFERENCE_ERROR
        )
    return list(dict.fromkeys(known[code] for code in raw_codes))
