"""Queries of the areas domain."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.orm import Session

from app.areas.models import Area, ScoMembership
from app.http.pagination import AnySelect, PageParams, SortKey, apply_keyset

AREA_ORDER = (SortKey(Area.code),)
MEMBERSHIP_ORDER = (SortKey(ScoMembership.country), SortKey(ScoMembership.since))


def list_areas(session: Session, *, kind: str | None, page: PageParams) -> list[Area]:
    statement = select(Area)
    if kind is not None:
        statement = statement.where(Area.kind == kind)
    return list(session.scalars(apply_keyset(statement, AREA_ORDER, page)))


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


def memberships_statement(*, as_of: date, status: str) -> AnySelect:
    return (
        select(ScoMembership, Area.name.label("country_name"))
        .join(Area, Area.code == ScoMembership.country)
        .where(
            ScoMembership.status == status,
            ScoMembership.since <= as_of,
            or_(ScoMembership.until.is_(None), ScoMembership.until > as_of),
        )
    )


def list_memberships(
    session: Session, *, as_of: date, status: str, page: PageParams
) -> list[Row[Any]]:
    statement = memberships_statement(as_of=as_of, status=status)
    return list(session.execute(apply_keyset(statement, MEMBERSHIP_ORDER, page)))


def member_codes_as_of(session: Session, as_of: date) -> list[str]:
    """Alpha-3 codes of the SCO member states on `as_of` (used to resolve the `SCO` group)."""
    statement = select(ScoMembership.country).where(
        ScoMembership.status == "member",
        ScoMembership.since <= as_of,
        or_(ScoMembership.until.is_(None), ScoMembership.until > as_of),
    )
    return sorted(session.scalars(statement))
