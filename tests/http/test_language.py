"""The language of an answer: `?lang=` over `Accept-Language`, English by default and as the
fallback; `Content-Language` and `Vary` say so; ETags and conditions follow the bytes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.http.headers import language_ranges, lookup_language
from app.http.language import negotiate
from tests.conftest import bearer
from tests.factories.areas import area_body

KAZ = "/api/v1/areas/KAZ"


@pytest.mark.parametrize(
    ("header", "ranges"),
    [
        ("ru", ["ru"]),
        ("en;q=0.5, ru", ["ru", "en"]),
        ("zh-CN,zh;q=0.9,en;q=0.8", ["zh-cn", "zh", "en"]),
        ("de;q=0.9, fr;q=0.9, *;q=0.1", ["de", "fr", "*"]),
        ("ru;q=0, en", ["en"]),  # q=0: "not this one"
        ("ru;q=2, en;q=high, zh", ["zh"]),  # weights that are no qvalue: the element is ignored
        ("12!, ru-", []),  # no language range
        ("", []),
    ],
)
def test_accept_language_is_read_with_its_weights(header: str, ranges: list[str]) -> None:
    assert language_ranges(header) == ranges


@pytest.mark.parametrize(
    ("ranges", "found"),
    [
        (["zh-hant-tw"], "zh"),  # RFC 4647 lookup: ever shorter prefixes
        (["ru-x-private"], "ru"),  # a single-letter subtag goes with the one after it
        (["de", "ru"], "ru"),
        (["*"], None),
        (["zh-cn", "ru"], "zh"),
        (["fr"], None),
    ],
)
def test_lookup_follows_rfc_4647(ranges: list[str], found: str | None) -> None:
    assert lookup_language(ranges, ["en", "ru", "zh"]) == found


@pytest.mark.parametrize(
    ("lang", "header", "chosen"),
    [
        (None, None, "en"),
        (None, "ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        (None, "de, zh;q=0.5", "zh"),
        (None, "de", "en"),  # unsupported: English
        ("zh", "ru", "zh"),  # `lang` wins
        ("ZH-Hans", None, "zh"),
        ("fr", "ru", "en"),  # `lang` wins even when it names no language we have
        ("ru", None, "ru"),
    ],
)
def test_lang_wins_and_english_is_the_fallback(
    lang: str | None, header: str | None, chosen: str
) -> None:
    assert negotiate(lang, header) == chosen


@pytest.mark.parametrize(
    ("params", "headers", "language", "name"),
    [
        ({}, {}, "en", "Kazakhstan"),
        ({"lang": "ru"}, {}, "ru", "Казахстан"),
        ({}, {"Accept-Language": "zh-CN,zh;q=0.9"}, "zh", "哈萨克斯坦"),
        ({"lang": "en"}, {"Accept-Language": "ru"}, "en", "Kazakhstan"),
        ({"lang": "fr"}, {}, "en", "Kazakhstan"),
        ({}, {"Accept-Language": "de"}, "en", "Kazakhstan"),
    ],
)
def test_answers_say_their_language_and_vary_by_it(
    client: TestClient, params: dict[str, str], headers: dict[str, str], language: str, name: str
) -> None:
    response = client.get(KAZ, params=params, headers=headers)
    assert response.status_code == 200
    assert response.json()["name"] == name
    assert response.headers["content-language"] == language
    vary = [value.strip() for value in response.headers["vary"].split(",")]
    assert {"Accept-Language", "Accept", "Accept-Encoding"} <= set(vary)


def test_answers_that_do_not_change_by_language_do_not_vary_by_it(client: TestClient) -> None:
    response = client.get("/api/v1/meetings", params={"lang": "ru"})
    assert response.status_code == 200
    assert "content-language" not in response.headers
    assert "Accept-Language" not in response.headers["vary"]


@pytest.mark.parametrize("lang", ["", "ru_RU", "12!", "x" * 40])
def test_a_lang_that_is_no_language_tag_is_422(client: TestClient, lang: str) -> None:
    response = client.get(KAZ, params={"lang": lang})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.lang"


def test_lang_twice_is_422(client: TestClient) -> None:
    response = client.get(f"{KAZ}?lang=ru&lang=zh")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.lang"


def test_each_language_has_its_own_etag(client: TestClient) -> None:
    english = client.get(KAZ)
    russian = client.get(KAZ, params={"lang": "ru"})
    assert english.headers["etag"] != russian.headers["etag"]
    # The English tag names no Russian answer: a Russian request gets the body again.
    again = client.get(
        KAZ, params={"lang": "ru"}, headers={"If-None-Match": english.headers["etag"]}
    )
    assert again.status_code == 200
    assert again.json()["name"] == "Казахстан"
    fresh = client.get(
        KAZ, params={"lang": "ru"}, headers={"If-None-Match": russian.headers["etag"]}
    )
    assert fresh.status_code == 304
    assert fresh.headers["content-language"] == "ru"
    head = client.head(KAZ, headers={"Accept-Language": "ru"})
    assert head.headers["etag"] == russian.headers["etag"]
    assert head.headers["content-language"] == "ru"


def test_a_cursor_stays_valid_in_another_language(client: TestClient) -> None:
    first = client.get("/api/v1/areas", params={"limit": 2, "lang": "ru"}).json()
    following = client.get(
        "/api/v1/areas", params={"limit": 2, "lang": "zh", "cursor": first["next_cursor"]}
    )
    assert following.status_code == 200
    english = client.get("/api/v1/areas", params={"limit": 4}).json()["items"]
    assert [item["code"] for item in following.json()["items"]] == [
        item["code"] for item in english[2:4]
    ]


def test_writes_answer_in_the_language_and_store_only_what_is_sent(
    client: TestClient, write_key: str
) -> None:
    russian = client.get(KAZ, params={"lang": "ru"})
    # `If-Match` names the representation the request selects: here the Russian one.
    changed = client.patch(
        KAZ,
        params={"lang": "ru"},
        json={"name": "Republic of Kazakhstan"},
        headers={**bearer(write_key), "If-Match": russian.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "Казахстан"  # CLDR's name; the stored one is English
    assert changed.headers["content-language"] == "ru"
    assert changed.headers["etag"] == client.get(KAZ, params={"lang": "ru"}).headers["etag"]
    assert client.get(KAZ).json()["name"] == "Republic of Kazakhstan"
    # The tag of the Russian answer names no English one.
    stale = client.patch(
        KAZ,
        json={"name": "Kazakhstan"},
        headers={**bearer(write_key), "If-Match": changed.headers["etag"]},
    )
    assert stale.status_code == 412


def test_a_created_area_is_answered_in_the_language(client: TestClient, write_key: str) -> None:
    body = area_body("XKX", iso2="XK", name="Kosovo", kind="country")
    created = client.post(
        "/api/v1/areas", json=body, headers={**bearer(write_key), "Accept-Language": "zh"}
    )
    assert created.status_code == 201, created.text
    assert created.json()["name"] == "科索沃"
    assert created.headers["content-language"] == "zh"
    assert client.get("/api/v1/areas/xk").json()["name"] == "Kosovo"
