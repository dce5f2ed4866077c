"""Rules of the areas domain: code resolution, membership as of a date, names by language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.areas import repository
from app.areas.models import Area, ScoMembership
from app.areas.repository import AreaRepository
from app.dates import period_end
from app.db.keyset import Paged, PageParams
from app.errors import REFERENCE_ERROR, ValidationFailed
from app.labels import area_name
from app.schemas import Overlay
from app.vocabulary import Language


def get_area(session: Session, code: str) -> Area:
    return AreaRepository(session).get_or_raise(code)


def stored_code(session: Session, code: str) -> str:
    """The stored code of the area `code` names (alpha-2 or any case); `code` if none."""
    area = repository.get_area(session, code)
    return area.code if area else code


def localized(area: Area, language: Language) -> Mapping[str, str]:
    """What an area's answer in `language` shows in place of the stored values: its name
    (`app.labels.area_name`: the stored one in English, CLDR's in Russian and Chinese)."""
    return {"name": area_name(area.code, language, stored=area.name, iso2=area.iso2)}


def list_areas(
    session: Session, *, kind: str | None, page: PageParams, language: Language
) -> Paged[Overlay]:
    """A page of areas, named in `language`."""
    areas = AreaRepository(session).list_areas(kind=kind, page=page)
    return areas.map(lambda area: Overlay(area, localized(area, language)))


def list_memberships(
    session: Session, *, as_of: date | None, status: str, page: PageParams, language: Language
) -> Paged[dict[str, Any]]:
    """Who held `status` on `as_of` (default: today, UTC), as `/sco/members` answers it,
    the countries named in `language`."""
    day = as_of or datetime.now(UTC).date()
    rows = AreaRepository(session).list_memberships(as_of=day, status=status, page=page)
    return rows.map(
        lambda row: membership_item(
            row.ScoMembership,
            area_name(row.ScoMembership.country, language, stored=row.country_name, iso2=row.iso2),
            day,
        )
    )


def resolve_area_codes(session: Session, raw_codes: list[str], *, field: str) -> list[str]:
    """Alpha-3 codes for `raw_codes` (alpha-2 or alpha-3, any case); unknown codes are a 422."""
    if not raw_codes:
        return []  # no filter: nothing to look up
    known = repository.codes_for(session, raw_codes)
    unknown = [code for code in raw_codes if code not in known]
    if unknown:
        raise ValidationFailed.for_field(
            field, f"unknown area code(s): {', '.join(unknown)}", kind=REFERENCE_ERROR
        )
    return list(dict.fromkeys(known[code] for code in raw_codes))


def membership_item(membership: ScoMembership, country_name: str, as_of: date) -> dict[str, Any]:
    """One status spell as `/sco/members` answers it for the date `as_of`.

    A spell whose start a source gives only to the year ("2023") or month is listed from the
    first day of that period, but it is `certain` only once the period is over: on
    2023-03-01 Bahrain's dialogue partnership may not have begun yet, and the answer says so.
    """
    item = {key: value for key, value in vars(membership).items() if not key.startswith("_")}
    item["country_name"] = country_name
    item["certain"] = as_of >= period_end(membership.since, membership.since_precision) or (
        membership.since_precision == "day"
    )
    return item
