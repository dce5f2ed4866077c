"""The closed vocabularies and value rules every layer shares, each written once.

Each vocabulary is one `Literal`; its tuple of values is derived from it with `get_args`,
so the CHECK constraint of a model, the Pydantic model of a request body, a query
parameter and the description in the OpenAPI document cannot drift apart. The order of
the values is the order the documentation and the constraints list them in.

This module sits below every domain and imports nothing of the application (nor
Pydantic or SQLAlchemy): models, schemas, services and routers all read it. The
Pydantic types built on these rules (`Slug`, `Year`) are in `app.schemas`.

The migrations keep their own copies of the constraint texts on purpose: a migration
states the schema as it was when it was written and must not change when this does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, cast, get_args


def values_of(vocabulary: Any) -> tuple[str, ...]:
    """The values of a `Literal` vocabulary, in the order it lists them."""
    return tuple(str(value) for value in get_args(vocabulary))


# --- trade observations and indicators (DESIGN section 3) ----------------------------------

Unit = Literal["USD", "percent", "ratio"]
UNITS = values_of(Unit)

# How a figure relates to its published digits: "almost $51 billion" is `less_than`,
# "exceeded $67 billion" is `more_than`.
Qualifier = Literal["exact", "approximately", "more_than", "less_than"]
QUALIFIERS = values_of(Qualifier)

ObservationStatus = Literal["reported", "derived", "estimated", "provisional"]
OBSERVATION_STATUSES = values_of(ObservationStatus)
# The statuses a source can give a figure: `derived` figures are computed, never written.
SourcedStatus = Literal["reported", "estimated", "provisional"]
SOURCED_STATUSES = values_of(SourcedStatus)

# What `GET /trade/checks` can find; `CHECK_KINDS` is also the order the checks run in.
CheckKind = Literal[
    "source_conflict",
    "derivation_mismatch",
    "share_mismatch",
    "share_total",
    "span_mismatch",
    "open_base_year",
    "mirror_gap",
]
CHECK_KINDS = values_of(CheckKind)
CheckSeverity = Literal["info", "warning"]
CHECK_SEVERITIES = values_of(CheckSeverity)

# The layouts `sco-api import` and `POST /trade/imports` read (`app/trade/importers/`): the
# API's own CSV and JSON, the Correlates of War dyadic trade file, UN Comtrade's CSV.
ImportFormat = Literal["csv", "json", "cow", "comtrade"]
IMPORT_FORMATS = values_of(ImportFormat)

# --- areas, organizations ----------------------------------------------------------------

AreaKind = Literal["country", "group"]
AREA_KINDS = values_of(AreaKind)

MembershipStatus = Literal["member", "observer", "dialogue_partner", "partner"]
MEMBERSHIP_STATUSES = values_of(MembershipStatus)

OrganizationKind = Literal[
    "intergovernmental",
    "ministry",
    "agency",
    "association",
    "news_agency",
    "working_group",
    "company",
    "other",
]
ORGANIZATION_KINDS = values_of(OrganizationKind)

# --- languages (DESIGN section 9) ---------------------------------------------------------

# The languages names and labels are given in (`?lang=`, `Accept-Language`); any other
# falls back to the first, English. Their labels are `app.labels`.
Language = Literal["en", "ru", "zh"]
LANGUAGES: tuple[Language, ...] = cast(tuple[Language, ...], values_of(Language))
DEFAULT_LANGUAGE: Language = "en"

# --- dates a source gives only to the month or the year (see `app.dates`) -----------------

DatePrecision = Literal["day", "month", "year"]
DATE_PRECISIONS = values_of(DatePrecision)

# --- years and ids -------------------------------------------------------------------------

# Every year the API takes, of a figure, a base year, a filter or a report (DESIGN section
# 4: "years outside 1990-2100 -> 422"). The reports of an SCO trade meeting are documents
# of these years too, and a filter must find whatever a write may store.
YEAR_MIN, YEAR_MAX = 1990, 2100
# The same range as a pattern, for filters that take years as text ("2019,2023"); a test
# holds it to YEAR_MIN..YEAR_MAX.
YEAR_PATTERN = "199[0-9]|20[0-9][0-9]|2100"

# Every resource id is a slug (DESIGN section 3): a malformed id is a 422, a well-formed
# unknown one a 404.
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,119}$"


# --- the same values in other notations ----------------------------------------------------


def check_in(column: str, values: Iterable[str]) -> str:
    """The CHECK constraint text that keeps `column` within `values`."""
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def check_year(column: str) -> str:
    """The CHECK constraint text that keeps `column` within YEAR_MIN..YEAR_MAX."""
    return f"{column} BETWEEN {YEAR_MIN} AND {YEAR_MAX}"


def in_words(values: Iterable[str], conjunction: str | None = "or") -> str:
    """The values as the documentation lists them: "`USD`, `percent` or `ratio`".

    With no conjunction, commas only ("`reported`, `derived`"), for lists of filters.
    """
    quoted = [f"`{value}`" for value in values]
    if conjunction is None or len(quoted) < 2:
        return ", ".join(quoted)
    return ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]


def is_year(value: int) -> bool:
    return YEAR_MIN <= value <= YEAR_MAX
