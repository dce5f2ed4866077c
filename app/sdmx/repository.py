"""Queries of the SDMX domain: what its code lists enumerate (`select()` only).

The figures themselves are read through the trade domain's service, which owns the rules
of which figure is preferred.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.areas.models import Area
from app.sdmx.artefacts import AreaRow, IndicatorRow
from app.trade.models import TradeIndicator


def areas(session: Session, codes: Collection[str] | None = None) -> list[AreaRow]:
    """Every area (countries and groups), by code; only those of `codes` when given."""
    statement = select(Area.code, Area.name).order_by(Area.code)
    if codes is not None:
        statement = statement.where(Area.code.in_(codes))
    rows = session.execute(statement)
    return [AreaRow(row.code, row.name) for row in rows]


def indicators(session: Session) -> list[IndicatorRow]:
    """Every trade indicator, by code."""
    statement = select(TradeIndicator.code, TradeIndicator.name, TradeIndicator.description)
    rows = session.execute(statement.order_by(TradeIndicator.code))
    return [IndicatorRow(row.code, row.name, row.description) for row in rows]
