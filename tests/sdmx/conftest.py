"""The SDMX service on a real server, for the `sdmx1` client (which talks HTTP through
`requests`): uvicorn on a loopback port over the seeded database of each backend.

The service only reads, so the server may share the suite's seeded database; its sessions
commit like the application's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests
import sdmx
from sqlalchemy import Engine

from app.config import Settings
from tests.support.live import committed_app, serve

SOURCE_ID = "SCOTRADE"


@dataclass
class Service:
    """The server's base URL, and an `sdmx1` client of it that notes every URL it asks."""

    base: str
    client: sdmx.Client
    asked: list[str] = field(default_factory=list)

    def series(self, reporter: str, partner: str, indicator: str) -> list[dict[str, object]]:
        """The points of `/api/v1/trade/series` for the same series."""
        answer = requests.get(
            f"{self.base}/api/v1/trade/series",
            params={"reporter": reporter, "partner": partner, "indicator": indicator},
            timeout=30,
        )
        answer.raise_for_status()
        points: list[dict[str, object]] = answer.json()["points"]
        return points


@pytest.fixture(scope="module")
def live_base(engine: Engine) -> Iterator[str]:
    with serve(committed_app(engine, Settings(SCO_RATE_LIMIT=0))) as base:
        yield base


@pytest.fixture
def scotrade(live_base: str) -> Service:
    """The service registered as the custom source `SCOTRADE`, as README "SDMX" shows."""
    sdmx.add_source(
        {"id": SOURCE_ID, "url": f"{live_base}/sdmx/2.1", "name": "SCO Trade API"},
        override=True,  # each backend's server has its own address
    )
    client = sdmx.Client(SOURCE_ID)
    client.cache.clear()  # the messages `sdmx1` keeps by URL, for every client
    service = Service(live_base, client)

    def note(response: requests.Response, *args: object, **kwargs: object) -> None:
        service.asked.append(response.url.removeprefix(live_base))

    client.session.hooks["response"].append(note)
    return service
