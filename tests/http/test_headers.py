"""The one reading of Accept, Accept-Encoding and entity-tag lists (`app.http.headers`),
its edge cases, and what it decides through the HTTP API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.http.etag import gzip_etag, names_state
from app.http.headers import (
    EntityTag,
    MediaRange,
    accepts_coding,
    coding_quality,
    media_quality,
    media_ranges,
    parse_entity_tag,
    parse_entity_tags,
    prefers,
)
from tests.conftest import bearer

JSON = ("application/json",)
OBSERVATIONS = "/api/v1/trade/observations"

# --- Accept ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "quality"),
    [
        ("text/csv", 1.0),
        ("TEXT/CSV", 1.0),
        ("text/csv;q=0.5", 0.5),
        ("text/csv ; Q=0.5", 0.5),
        ("text/csv;q=0.125", 0.125),
        ("text/csv;q=1.000", 1.0),
        ("text/csv;q=0", 0.0),
        ("text/csv;charset=utf-8;q=0.4", 0.4),  # parameters before the weight
        ("text/csv;q=0.4;ext=1", 0.4),  # an extension after it
        ("text/csv;q=0.4;q=0.9", 0.4),  # only the first q is the weight
        ('text/csv;x="a,b;q=0.1";q=0.7', 0.7),  # commas and semicolons inside quotes
        # Invalid weights: the element is ignored as if it had not been sent.
        ("text/csv;q=2", 0.0),
        ("text/csv;q=1.5", 0.0),
        ("text/csv;q=1.001", 0.0),
        ("text/csv;q=-1", 0.0),
        ("text/csv;q=.5", 0.0),
        ("text/csv;q=0.5000", 0.0),
        ("text/csv;q=high", 0.0),
        ("text/csv;q=", 0.0),
        ("text/csv;q=2, */*;q=0.1", 0.1),
        # Specificity: the most specific matching range, whatever the order.
        ("*/*;q=0.1, text/*;q=0.2, text/csv;q=0.3", 0.3),
        ("text/csv;q=0.3, text/*;q=0.2, */*;q=0.1", 0.3),
        ("text/*;q=0.2, */*;q=0.9", 0.2),
        ("*/*;q=0.9", 0.9),
        ("text/csv;q=0.2, text/csv;q=0.9", 0.2),  # equally specific: the first listed
        ("text/plain", 0.0),
        ("application/*", 0.0),
        # Malformed ranges are skipped, the rest still counts.
        ("garbage, text/csv;q=0.6", 0.6),
        ("*/csv, text/csv;q=0.6", 0.6),
        ("text/, /csv, text/csv;q=0.6", 0.6),
        ("", 0.0),
        (",,,", 0.0),
    ],
)
def test_media_quality(accept: str, quality: float) -> None:
    assert media_quality(accept, "text/csv") == quality


def test_media_ranges_keep_the_order_and_lower_case() -> None:
    assert media_ranges("Text/HTML, application/xml;q=0.9, */*;q=0.8, nonsense") == [
        MediaRange("text", "html", 1.0),
        MediaRange("application", "xml", 0.9),
        MediaRange("*", "*", 0.8),
    ]


@pytest.mark.parametrize(
    ("accept", "csv"),
    [
        (None, False),
        ("", False),
        ("*/*", False),  # a tie keeps the default format
        ("text/csv, application/json", False),
        ("text/csv", True),
        ("text/*", True),
        ("text/csv;q=0.5, application/json", False),
        ("text/csv, application/json;q=0.5", True),
        ("text/csv;q=0.5, application/json;q=0.4", True),
        ("text/html,*/*;q=0.8", False),
        ("text/csv;q=0", False),
        ("text/csv;q=2", False),  # q above 1 is ignored, not read as "very much"
        ("text/csv;q=2, application/json;q=0.1", False),
        ("application/json;q=0, text/csv;q=0.001", True),
    ],
)
def test_prefers_csv_over_json(accept: str | None, csv: bool) -> None:
    assert prefers(accept, "text/csv", over=JSON) is csv


def test_prefers_needs_the_format_to_be_acceptable() -> None:
    assert prefers("text/csv", "text/csv", over=()) is True
    assert prefers("text/csv;q=0", "text/csv", over=()) is False
    assert prefers("application/json", "text/csv", over=()) is False


@pytest.mark.parametrize(
    ("accept", "csv"),
    [("text/csv;q=2", False), ("text/csv;q=0.9, application/json;q=nonsense", True)],
)
def test_csv_negotiation_through_the_api(client: TestClient, accept: str, csv: bool) -> None:
    response = client.get(OBSERVATIONS, params={"limit": 1}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv") is csv


# --- Accept-Encoding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_encoding", "quality"),
    [
        ("gzip", 1.0),
        ("GZIP", 1.0),
        ("deflate, gzip;q=0.5", 0.5),
        ("gzip;q=0", 0.0),
        ("*", 1.0),
        ("*;q=0.3", 0.3),
        ("gzip;q=0, *", 0.0),  # named beats `*`, whatever the order
        ("*, gzip;q=0", 0.0),
        ("*;q=0, gzip", 1.0),
        ("identity", 0.0),
        ("br", 0.0),
        ("gzip;q=2", 0.0),  # invalid weight: the element is ignored
        ("gzip;q=2, *;q=0.5", 0.5),
        ("gzip;q=nonsense", 0.0),
        ("", 0.0),
    ],
)
def test_coding_quality(accept_encoding: str, quality: float) -> None:
    assert coding_quality(accept_encoding, "gzip") == quality


def test_accepts_coding() -> None:
    assert accepts_coding("gzip, br", "gzip")
    assert not accepts_coding("gzip;q=0", "gzip")
    assert not accepts_coding(None, "gzip")
    assert not accepts_coding("", "gzip")


# --- entity tags -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ('"abc"', EntityTag('"abc"')),
        ('W/"abc"', EntityTag('"abc"', weak=True)),
        (' "abc" ', EntityTag('"abc"')),
        ('""', EntityTag('""')),
        ('"a,b"', EntityTag('"a,b"')),
        ("abc", None),  # unquoted
        ('w/"abc"', None),  # the weak marker is case-sensitive
        ('W/ "abc"', None),
        ('"a"b"', None),
        ('"a b"', None),  # no space inside a tag
        ("*", None),
        ("", None),
    ],
)
def test_parse_entity_tag(value: str, tag: EntityTag | None) -> None:
    assert parse_entity_tag(value) == tag


@pytest.mark.parametrize(
    ("value", "any_", "tags"),
    [
        ("*", True, []),
        (" * ", True, []),
        ('"a"', False, ['"a"']),
        ('"a", W/"b" ,"c"', False, ['"a"', 'W/"b"', '"c"']),
        ('"a,b", "c"', False, ['"a,b"', '"c"']),  # a comma inside a tag
        ('junk, "a", W/ "b", "c" d, "e"', False, ['"a"', '"e"']),  # malformed ones ignored
        ('"a", *', False, ['"a"']),  # `*` only as the whole value
        (",,", False, []),
        ("", False, []),
    ],
)
def test_parse_entity_tags(value: str, any_: bool, tags: list[str]) -> None:
    parsed = parse_entity_tags(value)
    assert parsed.any is any_
    assert [str(tag) for tag in parsed.tags] == tags


def test_strong_and_weak_comparison() -> None:
    # RFC 9110 §8.8.3.2, its table of examples.
    weak_one, weak_two, strong_one = (
        EntityTag('"1"', weak=True),
        EntityTag('"2"', weak=True),
        EntityTag('"1"'),
    )
    assert not weak_one.strong_equals(weak_one)
    assert weak_one.weak_equals(weak_one)
    assert not weak_one.strong_equals(weak_two)
    assert not weak_one.weak_equals(weak_two)
    assert not weak_one.strong_equals(strong_one)
    assert weak_one.weak_equals(strong_one)
    assert strong_one.strong_equals(strong_one)


@pytest.mark.parametrize(
    ("header", "strong", "weak"),
    [
        ('"v1"', True, True),
        ('"v1-gzip"', True, True),  # the gzip answer's tag names the same state
        ('W/"v1"', False, True),
        ('W/"v1-gzip"', False, True),
        ('"other", "v1"', True, True),
        ('"other"', False, False),
        ("*", True, True),
        ("v1", False, False),
        ("", False, False),
    ],
)
def test_names_state(header: str, strong: bool, weak: bool) -> None:
    assert names_state(header, '"v1"', strong=True) is strong
    assert names_state(header, '"v1"', strong=False) is weak
    assert names_state(header, gzip_etag('"v1"'), strong=True) is strong


def test_if_match_compares_strongly(client: TestClient, write_key: str) -> None:
    # DESIGN section 9: a weak tag in `If-Match` is a 412, nothing changed.
    item = "/api/v1/areas/KAZ"
    etag = client.get(item, headers={"Accept-Encoding": "identity"}).headers["etag"]
    auth = bearer(write_key)
    weak = client.patch(item, json={"name": "A"}, headers={**auth, "If-Match": f"W/{etag}"})
    assert weak.status_code == 412
    assert "weak" in weak.json()["detail"]
    assert client.get(item).json()["name"] == "Kazakhstan"
    listed = client.patch(item, json={"name": "A"}, headers={**auth, "If-Match": f'"x", {etag}'})
    assert listed.status_code == 200


def test_if_none_match_compares_weakly(client: TestClient) -> None:
    item = "/api/v1/areas/KAZ"
    etag = client.get(item, headers={"Accept-Encoding": "identity"}).headers["etag"]
    assert client.get(item, headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert client.get(item, headers={"If-None-Match": '"x", *'}).status_code == 200
