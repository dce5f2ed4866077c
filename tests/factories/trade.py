"""Request bodies of `/trade/observations`, and observation rows written straight to the
database."""

from __future__ import annotations

from decimal import Decimal

from app.trade.models import TradeObservation
from app.vocabulary import Qualifier
from tests.factories import Body, present
from tests.factories.seeded import KAZINFORM

Number = int | str


def observation_body(
    *,
    reporter: str = "KAZ",
    partner: str = "SCO",
    indicator: str = "trade_turnover",
    year: int = 2024,
    value: Number = 1000000000,
    source_id: str = KAZINFORM,
    id: str | None = None,
    precision: Number | None = None,
    qualifier: Qualifier | None = None,
    note: str | None = None,
) -> Body:
    """A reported figure: KAZ→SCO trade turnover from Kazinform unless told otherwise.

    A value or precision given as a string is sent as a JSON string, as a client that keeps
    every digit would send it.
    """
    return present(
        id=id,
        reporter=reporter,
        partner=partner,
        indicator=indicator,
        year=year,
        value=value,
        precision=precision,
        qualifier=qualifier,
        source_id=source_id,
        note=note,
    )


def observation_record(
    id: str,
    *,
    year: int,
    value: Decimal,
    precision: Decimal,
    source_id: str,
    reporter: str = "KAZ",
    partner: str = "SCO",
    indicator: str = "trade_turnover",
) -> TradeObservation:
    """A reported figure in US dollars, stated exactly, as a row (no derivation runs)."""
    return TradeObservation(
        id=id,
        reporter=reporter,
        partner=partner,
        indicator=indicator,
        year=year,
        value=value,
        unit="USD",
        precision=precision,
        qualifier="exact",
        status="reported",
        source_id=source_id,
    )
