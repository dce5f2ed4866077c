"""The text read path of observation lists (`app.trade.sql_text`) says what the typed path says."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, literal, select, update
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.types import ExactDecimal
from app.trade.csv_export import OBSERVATION_COLUMNS, cell
from app.trade.models import TradeObservation
from app.trade.numbers import plain
from app.trade.serializer import observation_item, timestamp_text
from app.trade.sql_text import decimal_text_of
from tests.support.live import committed_app, prepare_database

OBSERVATIONS = "/api/v1/trade/observations"
# Hypothesis takes naive bounds and attaches the zone itself.
timestamps = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _decimal_samples() -> list[Decimal]:
    edges = ["0", "-0", "0.000000", "-0.000000", "6.8", "6.800000", "100", "-100.500000"]
    rng = random.Random(20240430)
    randoms = [
        Decimal(rng.randint(-(10**17), 10**17)).scaleb(-rng.randint(0, 6)) for _ in range(300)
    ]
    return [Decimal(edge) for edge in edges] + randoms


def test_decimal_text_is_plain_of_the_stored_value(engine: Engine) -> None:
    column = ExactDecimal()
    with engine.connect() as connection:
        for value in _decimal_samples():
            # What the column stores: the value as written, and as NUMERIC(24, 6) keeps it.
            for stored in (value, value.quantize(Decimal("0.000001"))):
                expression = decimal_text_of(literal(stored, column))
                assert connection.execute(select(expression)).scalar_one() == plain(value)


@given(timestamps)
def test_timestamp_text_is_what_orjson_writes(moment: datetime) -> None:
    stored = moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLite's layout, and PostgreSQL's to_char
    expected = orjson.dumps(moment, option=orjson.OPT_UTC_Z).decode().strip('"')
    assert timestamp_text(stored) == expected


@pytest.fixture
def fresh(empty_database_url: str) -> Iterator[tuple[TestClient, Engine]]:
    """A database of its own: the test changes a timestamp."""
    engine = prepare_database(empty_database_url)
    settings = Settings(SCO_RATE_LIMIT=0, SCO_RESPONSE_CACHE=False)
    with TestClient(committed_app(engine, settings)) as client:
        yield client, engine
    engine.dispose()


BACKENDS = pytest.mark.parametrize("empty_database_url", ["sqlite", "postgresql"], indirect=True)


def _every_listed(client: TestClient, **params: str) -> list[bytes]:
    """Each listed item as its own JSON bytes, walking every page."""
    items: list[bytes] = []
    cursor: str | None = None
    while True:
        query = {"limit": "7", **params, **({"cursor": cursor} if cursor else {})}
        response = client.get(OBSERVATIONS, params=query)
        assert response.status_code == 200, response.text
        body = orjson.loads(response.content)
        items += [orjson.dumps(item) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


@BACKENDS
def test_list_items_equal_item_answers_byte_for_byte(fresh: tuple[TestClient, Engine]) -> None:
    client, engine = fresh
    # One timestamp on a whole second: the fraction is left out, as for the typed column.
    with Session(engine) as session, session.begin():
        first_id = session.scalars(
            select(TradeObservation.id).order_by(TradeObservation.id).limit(1)
        ).one()
        session.execute(
            update(TradeObservation)
            .where(TradeObservation.id == first_id)
            .values(updated_at=datetime(2024, 5, 2, 10, 0, tzinfo=UTC))
        )
    listed = _every_listed(client, sort="-value")
    assert len(listed) > 20
    for raw in listed:
        item = orjson.loads(raw)
        single = client.get(f"{OBSERVATIONS}/{item['id']}")
        assert single.status_code == 200
        assert orjson.dumps(orjson.loads(single.content)) == raw
    whole_second = next(orjson.loads(raw) for raw in listed if first_id in raw.decode())
    assert whole_second["updated_at"] == "2024-05-02T10:00:00Z"


def _typed_cells(item: dict[str, Any]) -> list[str]:
    """The CSV cells of an item as the typed path formats them (`csv_export.cell`)."""
    derivation = item.get("derivation") or {}
    flat = {
        **item,
        "derivation_formula": derivation.get("formula"),
        "derivation_inputs": derivation.get("inputs"),
        "bounds_lower": item["bounds"]["lower"],
        "bounds_upper": item["bounds"]["upper"],
    }
    return [cell(flat.get(column)) for column in OBSERVATION_COLUMNS]


def test_csv_cells_equal_those_of_the_typed_rows(client: TestClient, engine: Engine) -> None:
    response = client.get(OBSERVATIONS, params={"format": "csv"})
    assert response.status_code == 200
    lines = response.text.splitlines()[1:]
    with Session(engine) as session:
        rows = session.execute(
            select(TradeObservation.__table__).order_by(
                TradeObservation.reporter,
                TradeObservation.partner,
                TradeObservation.indicator,
                TradeObservation.year,
                TradeObservation.id,
            )
        ).all()
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows(
        _typed_cells(observation_item(row)) for row in rows
    )
    assert "\r\n".join(lines) + "\r\n" == expected.getvalue()
