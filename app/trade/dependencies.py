"""Path parameters and load-or-404 dependencies of the trade domain."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from app.http.loaders import load_or_404, slug_path
from app.trade import service
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.writes import INDICATOR_CODE

INDICATOR_CODE_PATH = Path(alias="code", pattern=INDICATOR_CODE, examples=["trade_turnover"])
OBSERVATION_ID = slug_path(None, "kaz-sco-trade-turnover-2023-oq-gov-kz-2024-05-02")

# The indicator or observation named in the path, or a 404.
ValidIndicator = Annotated[TradeIndicator, load_or_404(INDICATOR_CODE_PATH, service.get_indicator)]
ValidObservation = Annotated[TradeObservation, load_or_404(OBSERVATION_ID, service.get_observation)]
