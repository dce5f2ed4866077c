"""Queries of the areas domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, or_, select
from sqlalchemy.orm import Session

from app.areas.models import Area, ScoMembership
from app.db.keyset import Paged, PageParams, SortKey, fetch_page
from app.db.repository import Repository

AREA_ORDER = (SortKey(Area.code),)
# Membership rows hold the spell and the country's name: the keys read the spell's columns.
MEMBERSHIP_ORDER = (
    SortKey(ScoMembership.country, field="ScoMembership.country"),
    SortKey(ScoMembership.since, field="ScoMembership.since"),
)


def get_area(session: Session, code: str) -> Area | None:
    """Find an area by alpha-3 (or group) code or alpha-2, in any case."""
    normalized = code.strip().upper()
    column = Area.iso2 if len(normalized) == 2 else Area.code
    return session.scalars(select(Area).where(column == normalized)).one_or_none()


def codes_for(session: Session, raw_codes: list[str]) -> dict[str, str]:
    """Map each given code (alpha-2/alpha-3, any case) to its alpha-3 code, where known."""
    normalized = {code.strip().upper() for code in raw_codes}
    rows = session.execute(
        select(Area.code, Area.iso2).where(
            or_(Area.code.in_(normalized), Area.iso2.in_(normalized))
        )
    )
    found: dict[str, str] = {}
    for code, iso2 in rows:
        found[code] = code
        if iso2:
            found[iso2] = code
    return {raw: found[raw.strip().upper()] for raw in raw_codes if raw.strip().upper() in found}


def _held_on(as_of: date) -> ColumnElement[bool]:
    """The spell had begun by `as_of` and had not yet ended (its end date is exclusive)."""
    return and_(
        ScoMembership.since <= as_of,
        or_(ScoMembership.until.is_(None), ScoMembership.until > as_of),
    )


def member_codes_as_of(session: Session, as_of: date) -> list[str]:
    """Alpha-3 codes of the SCO member states on `as_of` (used to resolve the `SCO` group)."""
    statement = select(ScoMembership.country).where(
        ScoMembership.status == "member", _held_on(as_of)
    )
    return sorted(session.scalars(statement))


class AreaRepository(Repository[Area, str]):
    model = Area
    id_name = "code"

    def get(self, id_: str) -> Area | None:
        """By alpha-3 (or group) code or alpha-2, in any case."""
        return get_area(self.session, id_)

    def list_areas(self, *, kind: str | None, page: PageParams) -> Paged[Area]:
        statement = select(Area)
        if kind is not None:
            statement = statement.where(Area.kind == kind)
        return self.page(statement, AREA_ORDER, page)

    def list_memberships(self, *, as_of: date, status: str, page: PageParams) -> Paged[Row[Any]]:
        """Spells of `status` held on `as_of`: rows of the spell, its `country_name` (as
        stored) and `iso2`."""
        statement = (
            select(ScoMembership, Area.name.label("country_name"), Area.iso2)
            .join(Area, Area.code == ScoMembership.country)
            .where(ScoMembership.status == status, _held_on(as_of))
        )
        return fetch_page(self.session.execute, statement, MEMBERSHIP_ORDER, page)
