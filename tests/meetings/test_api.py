"""Meetings, their sessions, delegations and participations through the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.factories.meetings import delegation_body, member
from tests.factories.seeded import KAZ_MINISTRY, KUSHUKOVA

API = "/api/v1"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
KAZ_DELEGATION = f"{ASTANA}-kaz"
SWG = "sco-swg-trade-facilitation"
REPORT = "kaz-national-report-trade-facilitation-2023"

MEETING_FIELDS = {
    "id",
    "title",
    "body_id",
    "start_date",
    "end_date",
    "date_precision",
    "timezone",
    "city",
    "country",
    "chair_country",
    "organizer_ids",
    "summary",
    "attendance_note",
    "topics",
    "source_ids",
    "created_at",
    "updated_at",
}
SESSION_FIELDS = {
    "id",
    "meeting_id",
    "order",
    "title",
    "summary",
    "topics",
    "source_id",
    "created_at",
    "updated_at",
}
DELEGATION_FIELDS = {
    "id",
    "meeting_id",
    "country",
    "head_person_id",
    "organization_ids",
    "members",
    "source_id",
    "created_at",
    "updated_at",
}
PARTICIPATION_FIELDS = {
    "id",
    "meeting_id",
    "person_id",
    "role",
    "note",
    "source_id",
    "created_at",
    "updated_at",
}


def _meetings(client: TestClient, params: Any = None) -> list[dict[str, Any]]:
    query = [*(params.items() if isinstance(params, dict) else params or []), ("limit", 500)]
    response = client.get(f"{API}/meetings", params=query)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _ids(client: TestClient, params: Any = None) -> list[str]:
    return [item["id"] for item in _meetings(client, params)]


@pytest.fixture
def astana(client: TestClient) -> dict[str, Any]:
    response = client.get(f"{API}/meetings/{ASTANA}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- the meeting record -----------------------------------------------------------------


def test_astana_meeting_facts(astana: dict[str, Any]) -> None:
    assert set(astana) == MEETING_FIELDS | {
        "sessions",
        "delegations",
        "participations",
        "report_ids",
        "sources",
    }
    assert astana["body_id"] == SWG
    assert astana["start_date"] == "2024-04-30"
    assert astana["end_date"] in (None, "2024-04-30")
    assert astana["city"] == "Astana"
    assert astana["country"] == "KAZ"
    assert astana["chair_country"] == "KAZ"


def test_astana_embeds_the_two_thematic_sessions_the_sources_name(astana: dict[str, Any]) -> None:
    sessions = astana["sessions"]
    assert all(set(item) == SESSION_FIELDS for item in sessions)
    assert all(item["meeting_id"] == ASTANA for item in sessions)
    # oq.gov.kz: "thematic sessions were held on trade and logistics connections ... as well as
    # on measures taken in the SCO countries for the smooth functioning of markets".
    assert [item["title"] for item in sessions] == [
        "Trade and logistics connections, using the example of the Trans-Caspian "
        "International Transport Route",
        "Measures taken in the SCO countries for the smooth functioning of markets",
    ]
    assert {item["source_id"] for item in sessions} == {"oq-gov-kz-2024-05-02"}


def test_astana_names_no_delegation_and_no_organizer(astana: dict[str, Any]) -> None:
    # The sources say only that "the heads of delegations" reported: none is named.
    assert astana["delegations"] == []
    assert astana["organizer_ids"] == []
    assert "heads of delegations" in astana["summary"]


@pytest.fixture
def kaz_delegation(client: TestClient, write_key: str) -> dict[str, Any]:
    """A delegation written through the API (the seed names none)."""
    response = client.post(
        f"{API}/meetings/{ASTANA}/delegations",
        json=delegation_body(
            id=KAZ_DELEGATION,
            organization_ids=[KAZ_MINISTRY],
            members=[member(KUSHUKOVA, "Vice Minister")],
        ),
        headers={"Authorization": f"Bearer {write_key}"},
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_written_delegation_is_embedded(
    client: TestClient, kaz_delegation: dict[str, Any]
) -> None:
    astana = client.get(f"{API}/meetings/{ASTANA}").json()
    delegation = next(item for item in astana["delegations"] if item["id"] == KAZ_DELEGATION)
    assert set(delegation) == DELEGATION_FIELDS
    assert delegation == kaz_delegation
    assert delegation["country"] == "KAZ"
    assert {member["person_id"] for member in delegation["members"]} == {"janel-kushukova"}


def test_astana_embeds_welcoming_speech(astana: dict[str, Any]) -> None:
    assert all(set(item) == PARTICIPATION_FIELDS for item in astana["participations"])
    speech = next(item for item in astana["participations"] if item["role"] == "welcoming_speech")
    assert speech["person_id"] == "janel-kushukova"
    assert speech["meeting_id"] == ASTANA


def test_astana_embeds_report_ids(astana: dict[str, Any]) -> None:
    assert REPORT in astana["report_ids"]


def test_astana_embeds_its_sources_in_order(astana: dict[str, Any]) -> None:
    assert {"kazinform-2024-04-30", "oq-gov-kz-2024-05-02"} <= set(astana["source_ids"])
    assert [source["id"] for source in astana["sources"]] == astana["source_ids"]
    kazinform = next(s for s in astana["sources"] if s["id"] == "kazinform-2024-04-30")
    assert kazinform["priority"] == 40
    assert {"title", "url", "published_on", "publisher_id", "excerpt"} <= set(kazinform)


def test_list_item_is_the_detail_without_embeds(client: TestClient, astana: dict[str, Any]) -> None:
    item = next(item for item in _meetings(client) if item["id"] == ASTANA)
    assert set(item) == MEETING_FIELDS
    assert item == {key: value for key, value in astana.items() if key in MEETING_FIELDS}


def test_embedded_parts_equal_their_own_endpoints(
    client: TestClient, astana: dict[str, Any]
) -> None:
    sessions = client.get(f"{API}/meetings/{ASTANA}/sessions").json()["items"]
    delegations = client.get(f"{API}/meetings/{ASTANA}/delegations").json()["items"]
    assert sessions == astana["sessions"]
    assert delegations == astana["delegations"]
    for delegation in delegations:
        assert client.get(f"{API}/delegations/{delegation['id']}").json() == delegation


def test_delegation_by_id(client: TestClient, kaz_delegation: dict[str, Any]) -> None:
    response = client.get(f"{API}/delegations/{KAZ_DELEGATION}")
    assert response.status_code == 200
    body = response.json()
    assert body["meeting_id"] == ASTANA
    assert body["country"] == "KAZ"
    assert all(set(member) == {"person_id", "role"} for member in body["members"])


@contextmanager
def _count_selects(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def _record(*args: Any) -> None:
        statement = str(args[2])
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


def test_meeting_detail_takes_a_fixed_number_of_queries(client: TestClient, engine: Engine) -> None:
    # meeting + 2 link lists, sessions, delegations + 2 link lists, participations,
    # report ids, sources: one query per kind of part, however many rows there are.
    with _count_selects(engine) as statements:
        assert client.get(f"{API}/meetings/{ASTANA}").status_code == 200
    assert len(statements) <= 10, statements


# --- filters ----------------------------------------------------------------------------


def test_meetings_are_newest_first(client: TestClient) -> None:
    items = _meetings(client)
    assert ASTANA in {item["id"] for item in items}
    keys = [(item["start_date"], item["id"]) for item in items]
    by_date_desc_then_id = sorted(
        sorted(keys, key=lambda k: k[1]), key=lambda k: k[0], reverse=True
    )
    assert keys == by_date_desc_then_id


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ({"from": "2024-04-30"}, True),
        ({"to": "2024-04-30"}, True),
        ({"from": "2024-04-30", "to": "2024-04-30"}, True),
        ({"from": "2024-04-01", "to": "2024-05-31"}, True),
        ({"from": "2024-05-01"}, False),
        ({"to": "2024-04-29"}, False),
        ({"from": "2024-04-01", "to": "2024-04-29"}, False),
    ],
)
def test_date_range_is_inclusive(
    client: TestClient, params: dict[str, str], included: bool
) -> None:
    assert (ASTANA in _ids(client, params)) is included


def test_date_range_matches_by_overlap(client: TestClient) -> None:
    for item in _meetings(client, {"from": "2024-01-01", "to": "2024-12-31"}):
        last_day = item["end_date"] or item["start_date"]
        assert item["start_date"] <= "2024-12-31"
        assert last_day >= "2024-01-01"


@pytest.mark.parametrize("country", ["KZ", "kz", "kaz", "KAZ", "Kaz"])
def test_filter_by_host_country_any_code_form(client: TestClient, country: str) -> None:
    items = _meetings(client, {"country": country})
    assert ASTANA in {item["id"] for item in items}
    assert {item["country"] for item in items} == {"KAZ"}


def test_filter_by_several_countries(client: TestClient) -> None:
    kaz = set(_ids(client, {"country": "KAZ"}))
    chn = set(_ids(client, {"country": "CHN"}))
    assert ASTANA not in chn
    assert set(_ids(client, {"country": "kz,cn"})) == kaz | chn
    assert set(_ids(client, [("country", "KAZ"), ("country", "CHN")])) == kaz | chn


def test_filter_by_body(client: TestClient) -> None:
    items = _meetings(client, {"body": SWG})
    assert ASTANA in {item["id"] for item in items}
    assert {item["body_id"] for item in items} == {SWG}
    assert ASTANA not in _ids(client, {"body": "wto"})


@pytest.mark.parametrize("q", ["middle corridor", "MIDDLE CORRIDOR", "Middle Corridor"])
def test_text_search_over_topics_and_summary(client: TestClient, q: str) -> None:
    assert ASTANA in _ids(client, {"q": q})


@pytest.mark.parametrize("q", ["astana", "ASTANA", "trade facilitation"])
def test_text_search_over_city_and_title(client: TestClient, q: str) -> None:
    assert ASTANA in _ids(client, {"q": q})


@pytest.mark.parametrize("q", ["no such words anywhere", "%", "_", "\\"])
def test_text_search_without_match(client: TestClient, q: str) -> None:
    assert _ids(client, {"q": q}) == []


def test_filters_combine(client: TestClient) -> None:
    params = {"from": "2024-04-30", "to": "2024-04-30", "country": "kz", "body": SWG, "q": "astana"}
    assert ASTANA in _ids(client, params)
    assert ASTANA not in _ids(client, {**params, "q": "no such words anywhere"})


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2024-13-01"}, "query.from"),
        ({"from": "yesterday"}, "query.from"),
        ({"to": "2024-02-30"}, "query.to"),
        ({"from": "2024-05-01", "to": "2024-04-30"}, "query.from"),
        ({"country": "XX"}, "query.country"),
        ({"country": "KAZ,XYZ"}, "query.country"),
        ({"body": "no-such-organization"}, "query.body"),
        ({"q": ""}, "query.q"),
        ({"q": "x" * 201}, "query.q"),
        ({"q": "a\x00b"}, "query.q"),
    ],
)
def test_bad_filters_are_422(client: TestClient, params: dict[str, str], field: str) -> None:
    response = client.get(f"{API}/meetings", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


# --- sub-resources and unknown ids ------------------------------------------------------


def test_sessions_are_listed_in_order(client: TestClient) -> None:
    response = client.get(f"{API}/meetings/{ASTANA}/sessions")
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["order"] for item in items] == sorted(item["order"] for item in items)
    assert len(items) == 2


def test_a_meeting_known_only_to_the_month_says_so(client: TestClient) -> None:
    meeting = client.get(f"{API}/meetings/2015-12-beijing-swg-trade-facilitation").json()
    assert (meeting["start_date"], meeting["end_date"]) == ("2015-12-01", None)
    assert meeting["date_precision"] == "month"
    astana = client.get(f"{API}/meetings/{ASTANA}").json()
    assert astana["date_precision"] == "day"


@pytest.mark.parametrize(
    ("params", "included"),
    [
        ({"from": "2015-12-10"}, True),  # it may have been held on any day of December
        ({"to": "2015-12-01"}, True),
        ({"from": "2015-12-31", "to": "2016-01-31"}, True),
        ({"from": "2016-01-01"}, False),
        ({"to": "2015-11-30"}, False),
    ],
)
def test_date_filters_take_a_month_dated_meeting_as_the_whole_month(
    client: TestClient, params: dict[str, str], included: bool
) -> None:
    assert ("2015-12-beijing-swg-trade-facilitation" in _ids(client, params)) is included


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/no-such-meeting",
        "/meetings/no-such-meeting/sessions",
        "/meetings/no-such-meeting/delegations",
        "/delegations/no-such-delegation",
    ],
)
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    response = client.get(API + path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == API + path


@pytest.mark.parametrize(
    "path",
    [
        "/meetings/2024-04-30-ASTANA",
        "/meetings/_astana/sessions",
        "/meetings/astana.swg/delegations",
        "/delegations/KAZ",
        f"/meetings/{'a' * 121}",
    ],
)
def test_malformed_ids_are_422(client: TestClient, path: str) -> None:
    response = client.get(API + path)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.id"
