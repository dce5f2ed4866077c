"""SDMX-CSV 1.0 data messages (`application/vnd.sdmx.data+csv;version=1.0.0`), RFC 4180.

One row per observation: the dataflow (`SCOTRADE:TRADE(1.0)`), the dimensions in the
order of the DSD, the time period, the value and the attributes, codes as identifiers (an
empty OBS_QUALIFIER: the figure is exact).
Without observations (`detail=serieskeysonly` or `nodata`), one row per series without the
time and value columns; `dataonly` leaves out the attributes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from app.sdmx import codes
from app.sdmx.queries import DataDetail
from app.sdmx.service import Series
from app.trade.numbers import plain

DATAFLOW_CELL = f"{codes.AGENCY}:{codes.DATAFLOW}({codes.VERSION})"
SERIES_ATTRIBUTES = (codes.UNIT_MEASURE, codes.UNIT_MULT)
CHUNK_CHARS = 64 * 1024


def _header(detail: DataDetail) -> list[str]:
    columns = ["DATAFLOW", *codes.SERIES_DIMENSIONS]
    if detail in ("full", "dataonly"):
        columns += [codes.TIME_PERIOD, codes.OBS_VALUE]
    if detail == "full":
        columns += [codes.OBS_STATUS, codes.OBS_QUALIFIER]
    if detail in ("full", "nodata"):
        columns += SERIES_ATTRIBUTES
    return columns


def _rows(series: Series, detail: DataDetail) -> Iterator[list[str]]:
    key = [DATAFLOW_CELL, *series.key]
    attributes = [series.unit, series.multiplier]
    if detail == "serieskeysonly":
        yield key
    elif detail == "nodata":
        yield key + attributes
    elif detail == "dataonly":
        for observation in series.observations:
            yield [*key, observation.period, plain(observation.value)]
    else:
        for observation in series.observations:
            cells = [
                observation.period,
                plain(observation.value),
                observation.status,
                observation.qualifier or "",
            ]
            yield [*key, *cells, *attributes]


def data_message(series: Iterable[Series], detail: DataDetail) -> Iterator[bytes]:
    """The CSV text, header first (\\r\\n line ends), in chunks of about CHUNK_CHARS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header(detail))
    for one in series:
        writer.writerows(_rows(one, detail))
        if buffer.tell() >= CHUNK_CHARS:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    remaining = buffer.getvalue()
    if remaining:
        yield remaining.encode("utf-8")
