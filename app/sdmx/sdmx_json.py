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


def _series_attributes(detail: DataDetail) -> list[Component]:
    """UNIT_MEASURE and UNIT_MULT, unless `detail` leaves attributes out."""
    return [a for a in ATTRIBUTES if a.attached_to] if detail in ("full", "nodata") else []


def _observation_attributes(series: list[Series], detail: DataDetail) -> list[Component]:
    """OBS_STATUS, and OBS_QUALIFIER when a figure is not exact: a JSON message lists only
    the attributes that have a value in it."""
    if detail != "full":
        return []
    qualified = any(o.qualifier for one in series for o in one.observations)
    return [a for a in ATTRIBUTES if not a.attached_to and (qualified or a.mandatory)]


class _Layout:
    """What a message lists, and where each value is among the values listed."""

    def __init__(self, series: list[Series], detail: DataDetail) -> None:
        self.detail = detail
        self.keys = {dimension.id: _Positions() for dimension in DIMENSIONS}
        self.periods = _Positions()
        self.values = {attribute.id: _Positions() for attribute in ATTRIBUTES}
        self.series_attributes = _series_attributes(detail)
        self.observation_attributes = _observation_attributes(series, detail)

    def series_key(self, series: Series) -> str:
        positions = zip(codes.SERIES_DIMENSIONS, series.key, strict=True)
        return ":".join(str(self.keys[dimension](value)) for dimension, value in positions)

    def series_entry(self, series: Series) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if self.series_attributes:
            given = {codes.UNIT_MEASURE: series.unit, codes.UNIT_MULT: series.multiplier}
            entry["attributes"] = [self.values[a.id](given[a.id]) for a in self.series_attributes]
        if self.detail in ("full", "dataonly"):
            entry["observations"] = {
                str(self.periods(observation.period)): [
                    observation.value,
                    *self._indexes(observation),
                ]
                for observation in series.observations
            }
        return entry

    def _indexes(self, observation: Observation) -> list[int | None]:
        """The position of each attribute's value among its values (None: it has none)."""
        given = {codes.OBS_STATUS: observation.status, codes.OBS_QUALIFIER: observation.qualifier}
        indexes: list[int | None] = []
        for attribute in self.observation_attributes:
            value = given[attribute.id]
            indexes.append(None if value is None else self.values[attribute.id](value))
        return indexes

    def structure(self, shelf: Catalogue) -> dict[str, Any]:
        """The components and the values listed, once every series has been placed."""
        time = TIME_DIMENSION.id
        return {
            "name": _english(names("label", f"dataflow:{codes.DATAFLOW}")),
            "dimensions": {
                "dataset": [],
                "series": [
                    _component(dimension, self.keys[dimension.id], shelf, keyPosition=position)
                    for position, dimension in enumerate(DIMENSIONS)
                ],
                "observation": [
                    {
                        "id": time,
                        "name": _english(names("label", f"concept:{time}")),
                        "keyPosition": len(DIMENSIONS),
                        "role": "time",
                        "values": [_period(year) for year in self.periods.index],
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [_component(a, self.values[a.id], shelf) for a in self.series_attributes],
                "observation": [
                    _component(a, self.values[a.id], shelf) for a in self.observation_attributes
                ],
            },
        }


def data_message(
    header: Header, shelf: Catalogue, series: Iterable[Series], detail: DataDetail
) -> bytes:
    read = list(series)
    layout = _Layout(read, detail)
    body = {layout.series_key(one): layout.series_entry(one) for one in read}
    message = {
        "header": {
            "id": header.id,
            "test": False,
            "prepared": header.prepared.isoformat(timespec="seconds"),
            "sender": {"id": codes.AGENCY, "name": _english(names("label", "sender"))},
        },
        "dataSets": [{"action": "Information", "series": body}],
        "structure": layout.structure(shelf),
    }
    return dumps(message)
