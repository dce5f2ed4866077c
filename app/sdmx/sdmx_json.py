"""SDMX-JSON 1.0 data messages (`application/vnd.sdmx.data+json;version=1.0.0`).

A series key is the positions of its values among the values the message lists for each
dimension (`"0:3:1:0"`), an observation key the position of its period, and each attribute
value the position of its value: so the whole answer is gathered before it is written (the
SDMX-ML and SDMX-CSV answers are written as they are read). Names are in English: a JSON
message carries one language.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from app.sdmx import codes
from app.sdmx.artefacts import ATTRIBUTES, DIMENSIONS, TIME_DIMENSION, Catalogue, Component
from app.sdmx.names import names
from app.sdmx.queries import DataDetail
from app.sdmx.service import Header, Observation, Series
from app.trade.json_body import dumps


class _Positions:
    """The values of one component in the order they first appear, and their positions."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        return self.index.setdefault(value, len(self.index))


def _english(names_by_language: dict[str, str]) -> str:
    return names_by_language.get("en") or next(iter(names_by_language.values()))


def _component(
    component: Component, positions: _Positions, shelf: Catalogue, **extra: Any
) -> dict[str, Any]:
    named = {code.id: code.names for code in shelf.codelist_of(component).codes}
    return {
        "id": component.id,
        "name": _english(names("label", f"concept:{component.id}")),
        **extra,
        "values": [{"id": value, "name": _english(named[value])} for value in positions.index],
    }


def _period(year: str) -> dict[str, str]:
    start = datetime(int(year), 1, 1, tzinfo=UTC)
    end = datetime(int(year), 12, 31, 23, 59, 59, tzinfo=UTC)
    return {"id": year, "name": year, "start": start.isoformat(), "end": end.isoformat()}


def _observation_attributes(series: list[Series], detail: DataDetail) -> list[Component]:
    """OBS_STATUS, and OBS_QUALIFIER when a figure is not exact (a JSON message lists only
    attributes that have a value in it)."""
    if detail != "full":
        return []
    qualified = any(o.qualifier for one in series for o in one.observations)
    return [a for a in ATTRIBUTES if not a.attached_to and (qualified or a.mandatory)]


def data_message(
    header: Header, shelf: Catalogue, series: Iterable[Series], detail: DataDetail
) -> bytes:
    read = list(series)
    keys = {dimension.id: _Positions() for dimension in DIMENSIONS}
    periods = _Positions()
    values = {attribute.id: _Positions() for attribute in ATTRIBUTES}
    series_attributes = [a for a in ATTRIBUTES if a.attached_to]
    if detail not in ("full", "nodata"):
        series_attributes = []
    observation_attributes = _observation_attributes(read, detail)
    body: dict[str, dict[str, Any]] = {}
    for one in read:
        key = ":".join(
            str(keys[dimension](value))
            for dimension, value in zip(codes.SERIES_DIMENSIONS, one.key, strict=True)
        )
        entry: dict[str, Any] = {}
        if series_attributes:
            given = {codes.UNIT_MEASURE: one.unit, codes.UNIT_MULT: one.multiplier}
            entry["attributes"] = [values[a.id](given[a.id]) for a in series_attributes]
        if detail in ("full", "dataonly"):
            entry["observations"] = {
                str(periods(observation.period)): [
                    observation.value,
                    *_indexes(observation, observation_attributes, values),
                ]
                for observation in one.observations
            }
        body[key] = entry
    message = {
        "header": {
            "id": header.id,
            "test": False,
            "prepared": header.prepared.isoformat(timespec="seconds"),
            "sender": {"id": codes.AGENCY, "name": _english(names("label", "sender"))},
        },
        "dataSets": [{"action": "Information", "series": body}],
        "structure": {
            "name": _english(names("label", f"dataflow:{codes.DATAFLOW}")),
            "dimensions": {
                "dataset": [],
                "series": [
                    _component(dimension, keys[dimension.id], shelf, keyPosition=position)
                    for position, dimension in enumerate(DIMENSIONS)
                ],
                "observation": [
                    {
                        "id": TIME_DIMENSION.id,
                        "name": _english(names("label", f"concept:{TIME_DIMENSION.id}")),
                        "keyPosition": len(DIMENSIONS),
                        "role": "time",
                        "values": [_period(year) for year in periods.index],
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [_component(a, values[a.id], shelf) for a in series_attributes],
                "observation": [_component(a, values[a.id], shelf) for a in observation_attributes],
            },
        },
    }
    return dumps(message)


def _indexes(
    observation: Observation, attributes: list[Component], values: dict[str, _Positions]
) -> list[int | None]:
    """The position of each attribute's value among its values (None: it has none)."""
    given = {codes.OBS_STATUS: observation.status, codes.OBS_QUALIFIER: observation.qualifier}
    indexes: list[int | None] = []
    for attribute in attributes:
        value = given[attribute.id]
        indexes.append(None if value is None else values[attribute.id](value))
    return indexes
