"""Rules of the SDMX domain: which artefacts a structure query names, and which series a
data query asks for.

The figures are the trade domain's preferred ones, read through its service: the same
figures `/api/v1/trade/series` answers, one series per reporter, partner and indicator.
Never commits (it only reads).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from itertools import chain, groupby
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from app.changes import service as changes_service
from app.db.types import utcnow
from app.sdmx import codes, repository
from app.sdmx.artefacts import DIMENSIONS, Artefact, Catalogue, Component, catalogue
from app.sdmx.errors import NoResultsFound
from app.sdmx.queries import DataDetail, DataQuery, StructureQuery
from app.trade import service as trade_service

# --- messages --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What every message says of itself. `prepared` is when the data last changed, so that
    the same question asked again gets the same bytes (and the same ETag) until it does."""

    id: str
    prepared: datetime


@dataclass(frozen=True)
class Observation:
    period: str
    value: Decimal
    status: str  # a code of CL_OBS_STATUS
    qualifier: str | None  # a code of CL_OBS_QUALIFIER; None: the figure is exact


@dataclass(frozen=True)
class Series:
    key: tuple[str, ...]  # a value of each of `DIMENSIONS`, in order
    unit: str  # a code of CL_UNIT_MEASURE
    multiplier: str  # a code of CL_UNIT_MULT
    observations: tuple[Observation, ...]


@dataclass(frozen=True)
class StructureAnswer:
    header: Header
    artefacts: list[Artefact]


@dataclass(frozen=True)
class DataAnswer:
    header: Header
    catalogue: Catalogue
    detail: DataDetail
    series: Iterator[Series]  # read from the database as it is consumed


def _header(session: Session, query: object) -> Header:
    # The same query, the same id: a digest of what it asks (its parsed form).
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:20]
    return Header(f"{codes.AGENCY}-{digest}", changes_service.last_change_at(session) or utcnow())


def published(session: Session, area_codes: Collection[str] | None = None) -> Catalogue:
    """Every artefact, with the areas and indicators stored now; with `area_codes`, CL_AREA
    lists only those of them."""
    return catalogue(repository.areas(session, area_codes), repository.indicators(session))


# --- structure ---------------------------------------------------------------------------------


def _ancestors(shelf: Catalogue, artefact: Artefact) -> list[Artefact]:
    found: list[Artefact] = []
    pending = shelf.parents(artefact)
    while pending:
        parent = pending.pop(0)
        if all(parent is not seen for seen in found):
            found.append(parent)
            pending.extend(shelf.parents(parent))
    return found


def _related(shelf: Catalogue, artefact: Artefact, references: str) -> list[Artefact]:
    """What `references=` adds to a matched artefact (SDMX REST 2.1, structure queries)."""
    parents = shelf.parents(artefact)
    siblings = [child for parent in parents for child in shelf.children(parent)]
    walks: dict[str, list[Artefact]] = {
        "none": [],
        "parents": parents,
        "parentsandsiblings": parents + siblings,
        "children": shelf.children(artefact),
        "descendants": shelf.descendants(artefact),
        "all": parents + siblings + shelf.descendants(artefact),
    }
    if references in walks:
        return walks[references]
    # A resource type: the artefacts of that type it is linked to, either way.
    linked = _ancestors(shelf, artefact) + shelf.descendants(artefact)
    return [other for other in linked if other.resource == references]


def structure(session: Session, query: StructureQuery) -> StructureAnswer:
    """The artefacts a structure query names and those its `references` add, in the order
    of the catalogue; a 404 when it names none."""
    shelf = published(session)
    matched = [artefact for artefact in shelf.of(query.resource) if query.names(artefact.id)]
    if not matched:
        raise NoResultsFound(
            f"No {query.resource} matches: this service publishes "
            f"{', '.join(a.id for a in shelf.of(query.resource))} "
            f"of agency {codes.AGENCY}, version {codes.VERSION}."
        )
    wanted = {(a.resource, a.id) for a in matched}
    for artefact in matched:
        wanted.update((a.resource, a.id) for a in _related(shelf, artefact, query.references))
    artefacts = [a for a in shelf.artefacts if (a.resource, a.id) in wanted]
    return StructureAnswer(_header(session, query), artefacts)


# --- data --------------------------------------------------------------------------------------


def _codes_asked(shelf: Catalogue, dimension: Component, query: DataQuery) -> list[str]:
    """The codes the key gives for `dimension` (empty: any); a 404 when none is published."""
    values = query.values_of(dimension.id)
    if values is None:
        return []
    known = shelf.codelist_of(dimension).code_ids()
    found = [value for value in values if value in known]
    if not found:
        listed = ", ".join(values)
        raise NoResultsFound(
            f"No data for {dimension.id}={listed}: not a code of {dimension.codelist}."
        )
    return found


def _observation(row: Row[Any]) -> Observation:
    qualifier = None if row.qualifier == codes.EXACT else row.qualifier
    return Observation(str(row.year), row.value, codes.OBS_STATUS_CODES[row.status], qualifier)


def _kept(observations: Sequence[Observation], query: DataQuery) -> tuple[Observation, ...]:
    """The first and last N observations of a series when asked (both: the union)."""
    if query.first_n is None and query.last_n is None:
        return tuple(observations)
    count = len(observations)
    kept: set[int] = set()
    if query.first_n is not None:
        kept.update(range(min(query.first_n, count)))
    if query.last_n is not None:
        kept.update(range(max(count - query.last_n, 0), count))
    return tuple(observations[i] for i in sorted(kept))


def _series(rows: Iterable[Row[Any]], query: DataQuery) -> Iterator[Series]:
    """Rows in the order of their key and year, as series."""
    for (reporter, partner, indicator, unit), group in groupby(
        rows, key=lambda row: (row.reporter, row.partner, row.indicator, row.unit)
    ):
        yield Series(
            key=(codes.ANNUAL, reporter, partner, indicator),
            unit=codes.UNIT_MEASURE_CODES[unit],
            multiplier=codes.UNIT_MULTIPLIERS[unit],
            observations=_kept([_observation(row) for row in group], query),
        )


def data(session: Session, query: DataQuery) -> DataAnswer:
    """The series a data query asks for, read as the answer is written; a 404 when the
    query matches no figure (checked before anything is written)."""
    # A key that names its reporters and partners needs no other area: a message names
    # only the codes of its series (CL_AREA in full is hundreds of areas, each in three
    # languages, and was most of the time of a one-series answer).
    reporters, partners = query.values_of(codes.REPORTER), query.values_of(codes.PARTNER)
    named = None if reporters is None or partners is None else {*reporters, *partners}
    shelf = published(session, named)
    # Every figure is annual: CL_FREQ has `A` alone, so any other FREQ is a 404 here.
    asked = {dimension.id: _codes_asked(shelf, dimension, query) for dimension in DIMENSIONS}
    figures = trade_service.ObservationQuery(
        reporter=asked[codes.REPORTER],
        partner=asked[codes.PARTNER],
        indicator=asked[codes.INDICATOR],
        year_from=query.start_year,
        year_to=query.end_year,
        preferred=True,
        updated_after=query.updated_after,
    )
    batches = trade_service.stream_observations(session, figures, sort=None)
    first = next(batches, None)
    if not first:
        raise NoResultsFound("No figure matches the key and the periods asked for.")
    rows = chain.from_iterable(chain([first], batches))
    return DataAnswer(_header(session, query), shelf, query.detail, _series(rows, query))
