"""SDMX REST 2.1 queries, read from the path and the query string (sdmx-rest v1.5).

Structure: `/{resource}/{agencyID}/{resourceID}/{version}?references=&detail=`, each path
part defaulting to `all`, `all`, `latest`. Data: `/data/{flowRef}/{key}/{providerRef}?
startPeriod=&endPeriod=&updatedAfter=&firstNObservations=&lastNObservations=&detail=
&dimensionAtObservation=&includeHistory=`. What breaks the syntax is a 400 naming the part
(`SyntaxFailed`); what the standard defines but this service does not offer is a 501;
what names nothing published is a 404 (`NoResultsFound`), as SDMX answers an empty result.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Literal, TypeVar

from app.dates import parse_moment
from app.sdmx import codes
from app.sdmx.artefacts import DIMENSIONS, RESOURCES, Resource
from app.sdmx.errors import NoResultsFound, NotImplementedHere, SyntaxFailed

ALL = "all"
LATEST = "latest"
# SDMX-ML's IDType; an agency id may be nested (`SDMX.ECB`); a version is numbers and dots.
_ID = re.compile(r"[A-Za-z0-9_@$\-]+")
_AGENCY = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*(?:\.[A-Za-z][A-Za-z0-9_\-]*)*")
_VERSION = re.compile(r"latest|[0-9]+(?:\.[0-9]+)*")
# The `references` values that follow the links between artefacts; a resource name asks
# for the related artefacts of that type.
REFERENCE_WALKS = ("none", "parents", "parentsandsiblings", "children", "descendants", "all")
STRUCTURE_DETAILS = (
    "full",
    "allstubs",
    "referencestubs",
    "allcompletestubs",
    "referencecompletestubs",
    "referencepartial",
)
DataDetail = Literal["full", "dataonly", "serieskeysonly", "nodata"]
DATA_DETAILS: tuple[DataDetail, ...] = ("full", "dataonly", "serieskeysonly", "nodata")
ALL_DIMENSIONS = "AllDimensions"
# Every structure resource SDMX REST 2.1 defines: those this service does not publish are
# a 501, any other path part a 404.
SDMX_STRUCTURE_RESOURCES = frozenset(
    {
        *RESOURCES,
        "metadatastructure",
        "categoryscheme",
        "hierarchicalcodelist",
        "organisationscheme",
        "agencyscheme",
        "dataproviderscheme",
        "dataconsumerscheme",
        "organisationunitscheme",
        "metadataflow",
        "reportingtaxonomy",
        "provisionagreement",
        "structureset",
        "process",
        "categorisation",
        "contentconstraint",
        "attachmentconstraint",
        "actualconstraint",
        "allowedconstraint",
        "structure",
    }
)
# The other queries of SDMX REST 2.1 besides data: not offered (501).
OTHER_SDMX_QUERIES = frozenset({"schema", "availableconstraint"})

T = TypeVar("T")


def _listed(value: str, field: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...] | None:
    """The values of a path part: None for `all`, else each of its `+`-separated values."""
    if value == ALL:
        return None
    parts = tuple(value.split("+"))
    bad = [part for part in parts if not pattern.fullmatch(part)]
    if bad:
        raise SyntaxFailed.for_field(field, f"{', '.join(map(repr, bad))} is not {what}")
    return parts


def _choice(value: str | None, field: str, allowed: tuple[T, ...], default: T) -> T:
    if value is None:
        return default
    for option in allowed:
        if value == option:
            return option
    raise SyntaxFailed.for_field(field, f"{value!r} is not one of {', '.join(map(str, allowed))}")


# --- structure queries -------------------------------------------------------------------------


@dataclass(frozen=True)
class StructureQuery:
    """Which artefacts of one resource a query names (None: any), and what else it wants."""

    resource: Resource
    agencies: tuple[str, ...] | None
    ids: tuple[str, ...] | None
    versions: tuple[str, ...] | None
    references: str

    def names(self, artefact_id: str) -> bool:
        """Whether it names the artefact `artefact_id` of this service's agency. Each
        artefact has one version, which is its latest."""
        return (
            (self.agencies is None or codes.AGENCY in self.agencies)
            and (self.ids is None or artefact_id in self.ids)
            and (self.versions is None or bool({LATEST, codes.VERSION} & set(self.versions)))
        )


def structure_resource(value: str) -> Resource:
    """The resource a structure path starts with: 404 for a path SDMX does not define, 501
    for a resource it defines that this service does not publish."""
    for resource in RESOURCES:
        if value == resource:
            return resource
    if value in SDMX_STRUCTURE_RESOURCES | OTHER_SDMX_QUERIES:
        raise NotImplementedHere(f"This service publishes {', '.join(RESOURCES)}; not {value}.")
    if value == "data":
        raise NoResultsFound("A data query is /data/{flowRef}/{key}/{providerRef}, key optional.")
    raise NoResultsFound(f"No SDMX resource {value!r}: one of {', '.join(RESOURCES)}.")


def structure_query(
    resource: str,
    path: str | None = None,
    *,
    references: str | None = None,
    detail: str | None = None,
) -> StructureQuery:
    """The query of `/{resource}/{path}`, `path` being `agencyID/resourceID/version` or the
    first parts of it (the others default to `all`, `all`, `latest`)."""
    kind = structure_resource(resource)
    parts = path.split("/") if path is not None else []
    if len(parts) > 3 or "" in parts:
        raise NoResultsFound(
            f"No SDMX query /{resource}/{path}: give /{resource}/agencyID/resourceID/version."
        )
    agency, resource_id, version = [*parts, *(ALL, ALL, LATEST)[len(parts) :]]
    if _choice(detail, "query.detail", STRUCTURE_DETAILS, "full") != "full":
        raise NotImplementedHere(f"detail={detail} is not offered; detail=full is.")
    walks = (*REFERENCE_WALKS, *sorted(SDMX_STRUCTURE_RESOURCES - {"structure"}))
    return StructureQuery(
        resource=kind,
        agencies=_listed(agency, "path.agencyID", _AGENCY, "an agency id"),
        ids=_listed(resource_id, "path.resourceID", _ID, "an id"),
        versions=_listed(version, "path.version", _VERSION, "a version"),
        references=_choice(references, "query.references", walks, "none"),
    )


# --- data queries ------------------------------------------------------------------------------

# A key value per series dimension: None for any value, else the values asked for.
KeyValues = tuple[tuple[str, ...] | None, ...]


@dataclass(frozen=True)
class DataQuery:
    key: KeyValues
    start_year: int | None = None
    end_year: int | None = None
    updated_after: datetime | None = None
    first_n: int | None = None
    last_n: int | None = None
    detail: DataDetail = "full"

    def values_of(self, dimension: str) -> tuple[str, ...] | None:
        positions = [d.id for d in DIMENSIONS]
        return self.key[positions.index(dimension)]


def check_flow(flow_ref: str) -> None:
    """`TRADE`, `SCOTRADE,TRADE` or `SCOTRADE,TRADE,1.0` (`all` and `latest` too); a 404 for
    a well-formed reference to a dataflow this service does not publish."""
    parts = flow_ref.split(",")
    if len(parts) > 3:
        raise SyntaxFailed.for_field(
            "path.flowRef", "is agencyID,resourceID,version (or resourceID alone)"
        )
    if len(parts) == 1:
        parts = [ALL, *parts]
    agency, flow, version = [*parts, LATEST][:3]
    for value, pattern, what in (
        (agency, _AGENCY, "an agency id"),
        (flow, _ID, "an id"),
        (version, _VERSION, "a version"),
    ):
        if value != ALL and not pattern.fullmatch(value):
            raise SyntaxFailed.for_field("path.flowRef", f"{value!r} is not {what}")
    if (
        agency not in (ALL, codes.AGENCY)
        or flow != codes.DATAFLOW
        or version not in (ALL, LATEST, codes.VERSION)
    ):
        raise NoResultsFound(
            f"No dataflow {flow_ref}: this service publishes "
            f"{codes.AGENCY},{codes.DATAFLOW},{codes.VERSION}."
        )


def parse_key(key: str | None) -> KeyValues:
    """`A.KAZ.SCO.trade_turnover`: one part per series dimension, `+` between several values,
    an empty part for any value; `all` (or no key) for every series."""
    if key is None or key == ALL:
        return (None,) * len(DIMENSIONS)
    parts = key.split(".")
    if len(parts) != len(DIMENSIONS):
        order = ".".join(d.id for d in DIMENSIONS)
        raise SyntaxFailed.for_field(
            "path.key",
            f"{key!r} has {len(parts)} part(s); the key of {codes.DATAFLOW} has "
            f"{len(DIMENSIONS)}: {order}",
        )
    return tuple(
        None if part == "" else _listed(part, f"path.key.{dimension.id}", _ID, "a code")
        for part, dimension in zip(parts, DIMENSIONS, strict=True)
    )


# ISO 8601 dates and SDMX reporting periods: a year, a month, a day, or a period of a year.
_PERIOD = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?"
    r"|-(?P<kind>[ASTQMWD])(?P<number>[0-9]{1,3}))?"
)
# How many periods of each kind a year has (SDMX reporting periods), and their digits.
_PERIODS_PER_YEAR = {"A": (1, 1), "S": (2, 1), "T": (3, 1), "Q": (4, 1), "M": (12, 2),
                     "W": (53, 2), "D": (366, 3)}  # fmt: skip


def period_year(value: str, field: str) -> int:
    """The year of a period: `2020`, `2020-05`, `2020-05-31`, `2020-Q2`, `2020-M05`...

    Figures are yearly: a year is in a range when it overlaps it, so a range bound counts by
    the year it falls in.
    """
    match = _PERIOD.fullmatch(value)
    if match is None:
        raise SyntaxFailed.for_field(
            field, f"{value!r} is not a period (2020, 2020-05, 2020-05-31, 2020-Q2...)"
        )
    year = int(match["year"])
    if match["month"] is not None:
        month = int(match["month"])
        day = int(match["day"] or 1)
        if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
            raise SyntaxFailed.for_field(field, f"{value!r} is not a date")
    elif match["kind"] is not None:
        count, digits = _PERIODS_PER_YEAR[match["kind"]]
        if len(match["number"]) != digits or not 1 <= int(match["number"]) <= count:
            raise SyntaxFailed.for_field(field, f"{value!r} is not a period of a year")
    return year


def _moment(value: str, field: str) -> datetime:
    try:
        moment = parse_moment(value.strip())
    except ValueError as error:
        raise SyntaxFailed.for_field(
            field, f"{value!r} is not a time (2024-05-01T12:00:00Z) or a date"
        ) from error
    return moment if isinstance(moment, datetime) else datetime.combine(moment, time(), UTC)


def _count(value: str, field: str) -> int:
    if not re.fullmatch(r"[1-9][0-9]{0,8}", value):
        raise SyntaxFailed.for_field(field, f"{value!r} is not a positive whole number")
    return int(value)


def _optional(params: Mapping[str, str], name: str, read: Callable[[str, str], T]) -> T | None:
    value = params.get(name)
    return None if value is None else read(value, f"query.{name}")


def data_query(
    flow_ref: str, key: str | None, provider: str | None, params: Mapping[str, str]
) -> DataQuery:
    """The data query of a path and its parameters (unknown parameters are ignored)."""
    check_flow(flow_ref)
    values = parse_key(key)
    if provider is not None and provider != ALL:
        raise NoResultsFound(f"No data provider {provider!r}: this service has none but {ALL}.")
    start = _optional(params, "startPeriod", period_year)
    end = _optional(params, "endPeriod", period_year)
    if start is not None and end is not None and start > end:
        raise SyntaxFailed.for_field(
            "query.startPeriod", f"startPeriod ({start}) is after endPeriod ({end})"
        )
    _unsupported_data_features(params)
    return DataQuery(
        key=values,
        start_year=start,
        end_year=end,
        updated_after=_optional(params, "updatedAfter", _moment),
        first_n=_optional(params, "firstNObservations", _count),
        last_n=_optional(params, "lastNObservations", _count),
        detail=_choice(params.get("detail"), "query.detail", DATA_DETAILS, "full"),
    )


def _unsupported_data_features(params: Mapping[str, str]) -> None:
    """Series by year is what this service answers: another layout, or the history of
    past releases (see `/api/v1/trade/observations?as_of=`), is a 501."""
    at_observation = params.get("dimensionAtObservation", codes.TIME_PERIOD)
    if at_observation != codes.TIME_PERIOD:
        if at_observation in (ALL_DIMENSIONS, *(d.id for d in DIMENSIONS)):
            raise NotImplementedHere(
                f"dimensionAtObservation={at_observation} is not offered; {codes.TIME_PERIOD} is."
            )
        raise SyntaxFailed.for_field(
            "query.dimensionAtObservation",
            f"{at_observation!r} is not {codes.TIME_PERIOD}, {ALL_DIMENSIONS} or a dimension",
        )
    history = params.get("includeHistory")
    if _choice(history, "query.includeHistory", ("false", "true"), "false") == "true":
        raise NotImplementedHere(
            "includeHistory=true is not offered: the figures as they stood at a past moment "
            "are at /api/v1/trade/observations?as_of=."
        )
