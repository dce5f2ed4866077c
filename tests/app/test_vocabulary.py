"""The shared vocabularies: what the database, the request bodies, the query parameters and
the OpenAPI document accept and say is what `app.vocabulary` lists, on both backends."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from app.main import create_app
from app.trade.ranking import STATUS_ORDER
from app.trade.wording import QUALIFIER_WORDS
from app.vocabulary import (
    AREA_KINDS,
    CHECK_KINDS,
    CHECK_SEVERITIES,
    DATE_PRECISIONS,
    MEMBERSHIP_STATUSES,
    OBSERVATION_STATUSES,
    ORGANIZATION_KINDS,
    QUALIFIERS,
    SLUG_PATTERN,
    SOURCED_STATUSES,
    UNITS,
    YEAR_MAX,
    YEAR_MIN,
    YEAR_PATTERN,
    check_in,
    in_words,
)

# (table, CHECK constraint name, the vocabulary it must hold)
CONSTRAINED = [
    ("areas", "ck_areas_kind", AREA_KINDS),
    ("sco_memberships", "ck_sco_memberships_status", MEMBERSHIP_STATUSES),
    ("sco_memberships", "ck_sco_memberships_since_precision", DATE_PRECISIONS),
    ("organizations", "ck_organizations_kind", ORGANIZATION_KINDS),
    ("organizations", "ck_organizations_founded_on_precision", DATE_PRECISIONS),
    ("meetings", "ck_meetings_date_precision", DATE_PRECISIONS),
    ("sources", "ck_sources_published_on_precision", DATE_PRECISIONS),
    ("trade_indicators", "ck_trade_indicators_unit", UNITS),
    ("trade_observations", "ck_trade_observations_unit", UNITS),
    ("trade_observations", "ck_trade_observations_qualifier", QUALIFIERS),
    ("trade_observations", "ck_trade_observations_status", OBSERVATION_STATUSES),
]

# (response schema, field, vocabulary): the description names every value.
DESCRIBED = [
    ("AreaOut", "kind", AREA_KINDS),
    ("MembershipOut", "since_precision", DATE_PRECISIONS),
    ("OrganizationOut", "kind", ORGANIZATION_KINDS),
    ("OrganizationOut", "founded_on_precision", DATE_PRECISIONS),
    ("MeetingOut", "date_precision", DATE_PRECISIONS),
    ("SourceOut", "published_on_precision", DATE_PRECISIONS),
    ("IndicatorOut", "unit", UNITS),
    ("ObservationOut", "qualifier", QUALIFIERS),
    ("ObservationOut", "status", OBSERVATION_STATUSES),
    ("CheckOut", "kind", CHECK_KINDS),
    ("CheckOut", "severity", CHECK_SEVERITIES),
]

# (request schema, field, vocabulary): the values the body takes.
ENUMERATED = [
    ("AreaIn", "kind", AREA_KINDS),
    ("OrganizationIn", "kind", ORGANIZATION_KINDS),
    ("OrganizationIn", "founded_on_precision", DATE_PRECISIONS),
    ("MeetingIn", "date_precision", DATE_PRECISIONS),
    ("SourceIn", "published_on_precision", DATE_PRECISIONS),
    ("IndicatorIn", "unit", UNITS),
    ("ObservationIn", "unit", UNITS),
    ("ObservationIn", "qualifier", QUALIFIERS),
    ("ObservationIn", "status", SOURCED_STATUSES),
]

# (path, query parameter, vocabulary)
QUERIED = [
    ("/api/v1/areas", "kind", AREA_KINDS),
    ("/api/v1/sco/members", "status", MEMBERSHIP_STATUSES),
    ("/api/v1/organizations", "kind", ORGANIZATION_KINDS),
]


def _enum(schema: dict[str, Any]) -> list[str]:
    branches = schema.get("anyOf", [schema])
    return next(branch["enum"] for branch in branches if "enum" in branch)


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    generated: dict[str, Any] = create_app().openapi()
    return generated


def _properties(document: dict[str, Any], schema: str) -> dict[str, Any]:
    properties: dict[str, Any] = document["components"]["schemas"][schema]["properties"]
    return properties


@pytest.mark.parametrize(("table", "name", "values"), CONSTRAINED)
def test_the_migrated_constraints_hold_the_vocabularies(
    engine: Engine, table: str, name: str, values: tuple[str, ...]
) -> None:
    # The migrations keep their own copy of each constraint (they must not change with the
    # code): this is where a new value added to one side only is caught.
    constraints = {
        item["name"]: item["sqltext"] for item in inspect(engine).get_check_constraints(table)
    }
    assert sorted(re.findall(r"'([^']*)'", constraints[name])) == sorted(values)


def test_the_year_constraint_is_the_year_rule(engine: Engine) -> None:
    constraints = inspect(engine).get_check_constraints("trade_observations")
    (year,) = [
        item["sqltext"] for item in constraints if item["name"] == "ck_trade_observations_year"
    ]
    assert re.findall(r"\d{4}", year) == [str(YEAR_MIN), str(YEAR_MAX)]


@pytest.mark.parametrize(("schema", "field", "values"), DESCRIBED)
def test_descriptions_name_every_value(
    document: dict[str, Any], schema: str, field: str, values: tuple[str, ...]
) -> None:
    description = _properties(document, schema)[field]["description"]
    assert all(f"`{value}`" in description for value in values), description


@pytest.mark.parametrize(("schema", "field", "values"), ENUMERATED)
def test_request_bodies_take_the_vocabularies(
    document: dict[str, Any], schema: str, field: str, values: tuple[str, ...]
) -> None:
    assert _enum(_properties(document, schema)[field]) == list(values)


@pytest.mark.parametrize(("path", "name", "values"), QUERIED)
def test_query_parameters_take_the_vocabularies(
    document: dict[str, Any], path: str, name: str, values: tuple[str, ...]
) -> None:
    parameters = document["paths"][path]["get"]["parameters"]
    (parameter,) = [item for item in parameters if item["name"] == name]
    assert _enum(parameter["schema"]) == list(values)


def test_sourced_statuses_are_the_statuses_but_derived() -> None:
    assert set(OBSERVATION_STATUSES) - set(SOURCED_STATUSES) == {"derived"}
    assert set(SOURCED_STATUSES) < set(OBSERVATION_STATUSES)


def test_per_value_tables_cover_their_vocabularies() -> None:
    assert set(STATUS_ORDER) == set(OBSERVATION_STATUSES)
    assert set(QUALIFIER_WORDS) == set(QUALIFIERS) - {"exact"}


def test_the_year_pattern_is_the_year_range() -> None:
    pattern = re.compile(f"(?:{YEAR_PATTERN})")
    matched = [year for year in range(10_000) if pattern.fullmatch(str(year))]
    assert matched == list(range(YEAR_MIN, YEAR_MAX + 1))
    assert not pattern.fullmatch(f"0{YEAR_MIN}")


def test_the_slug_pattern() -> None:
    slug = re.compile(SLUG_PATTERN)
    assert slug.match("kaz-sco-trade-turnover-2023")
    assert slug.match("a" * 120)
    for bad in ("", "-kaz", "KAZ", "kaz_sco", "a" * 121, "kaz sco"):
        assert not slug.match(bad), bad


def test_how_values_are_written() -> None:
    assert check_in("unit", UNITS) == "unit IN ('USD', 'percent', 'ratio')"
    assert in_words(UNITS) == "`USD`, `percent` or `ratio`"
    assert in_words(("a", "b"), None) == "`a`, `b`"
    assert in_words(("a",)) == "`a`"
