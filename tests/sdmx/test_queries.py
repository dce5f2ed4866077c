"""Reading SDMX REST queries (pure), and the tables from the API's vocabularies to SDMX codes."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.sdmx import codes, queries
from app.sdmx.errors import NoResultsFound, NotImplementedHere, SyntaxFailed
from app.vocabulary import OBSERVATION_STATUSES, UNITS

# A query is read, or refused with one of these (400, 404 and 501): never anything else.
REFUSALS = (SyntaxFailed, NoResultsFound, NotImplementedHere)
DATA_PARAMETERS = [
    "startPeriod",
    "endPeriod",
    "updatedAfter",
    "firstNObservations",
    "lastNObservations",
    "detail",
    "dimensionAtObservation",
    "includeHistory",
]


def test_every_status_and_unit_has_its_sdmx_code() -> None:
    assert set(codes.OBS_STATUS_CODES) == set(OBSERVATION_STATUSES)
    assert set(codes.UNIT_MEASURE_CODES) == set(UNITS)
    assert set(codes.UNIT_MULTIPLIERS) == set(UNITS)
    assert set(codes.UNIT_MULTIPLIERS.values()) <= set(codes.UNIT_MULT_CODES)
    # One code per status: a reader can tell them apart.
    assert len(set(codes.OBS_STATUS_CODES.values())) == len(OBSERVATION_STATUSES)


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2020", 2020),
        ("2020-05", 2020),
        ("2020-02-29", 2020),
        ("2021-A1", 2021),
        ("2021-S2", 2021),
        ("2021-T3", 2021),
        ("2021-Q4", 2021),
        ("2021-M12", 2021),
        ("2021-W53", 2021),
        ("2021-D366", 2021),
    ],
)
def test_a_period_counts_by_its_year(value: str, year: int) -> None:
    assert queries.period_year(value, "query.startPeriod") == year


@pytest.mark.parametrize(
    "value",
    ["", "20", "2020-", "2020-00", "2021-02-29", "2020-Q0", "2020-Q5", "2020-M1", "2020-W54",
     "2020-D0367", "2020-05-01T00:00:00", " 2020"],
)  # fmt: skip
def test_what_is_not_a_period_is_a_syntax_error(value: str) -> None:
    with pytest.raises(SyntaxFailed):
        queries.period_year(value, "query.startPeriod")


def test_a_key_has_one_part_per_dimension() -> None:
    assert queries.parse_key("A.KAZ+CHN..trade_turnover") == (
        ("A",),
        ("KAZ", "CHN"),
        None,
        ("trade_turnover",),
    )
    assert queries.parse_key("all") == queries.parse_key(None) == (None, None, None, None)


def test_a_structure_path_defaults_to_all_all_latest() -> None:
    query = queries.structure_query("codelist", "SCOTRADE")
    assert (query.agencies, query.ids, query.versions) == (("SCOTRADE",), None, ("latest",))
    assert query.references == "none"


@settings(max_examples=200, deadline=None)
@given(
    flow=st.text(max_size=30),
    key=st.none() | st.text(max_size=40),
    provider=st.none() | st.text(max_size=10),
    params=st.dictionaries(
        st.sampled_from(DATA_PARAMETERS),
        st.text(max_size=25),
    ),
)
def test_any_data_query_is_read_or_refused(
    flow: str, key: str | None, provider: str | None, params: dict[str, str]
) -> None:
    with contextlib.suppress(*REFUSALS):
        queries.data_query(flow, key, provider, params)


@settings(max_examples=200, deadline=None)
@given(
    resource=st.sampled_from(["dataflow", "codelist", "datastructure", "x"]) | st.text(max_size=12),
    path=st.none() | st.text(max_size=40),
    references=st.none() | st.text(max_size=20),
    detail=st.none() | st.text(max_size=10),
)
def test_any_structure_query_is_read_or_refused(
    resource: str, path: str | None, references: str | None, detail: str | None
) -> None:
    with contextlib.suppress(*REFUSALS):
        queries.structure_query(resource, path, references=references, detail=detail)
