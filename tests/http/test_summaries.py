"""Operation summaries read as English: sentence case, acronyms in capitals, a or an."""

from __future__ import annotations

import pytest

from app.http.summaries import article, sentence, summary_of, with_article


@pytest.mark.parametrize(
    ("operation_id", "one", "summary"),
    [
        ("listScoMembers", False, "List SCO members"),
        ("listTradeIndicators", False, "List trade indicators"),
        ("getArea", True, "Get an area"),
        ("getTradeObservation", True, "Get a trade observation"),
        ("getMeetingPage", True, "Get a meeting page"),
        ("search", False, "Search"),
        ("getCsvExport", False, "Get CSV export"),
    ],
)
def test_an_operation_id_reads_as_a_sentence(operation_id: str, one: bool, summary: str) -> None:
    assert summary_of(operation_id, one=one) == summary


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("area", "an"),
        ("organization", "an"),
        ("indicator", "an"),
        ("person", "a"),
        ("trade observation", "a"),
        ("unit", "a"),
        ("user", "a"),
        ("hour", "an"),
        ("sco member", "an"),  # "ess-see-oh"
        ("csv file", "a"),  # "see-ess-vee"
    ],
)
def test_the_article_follows_the_sound(noun: str, expected: str) -> None:
    assert article(noun) == expected


def test_sentences_keep_acronyms_and_articles() -> None:
    assert sentence("create", with_article("area")) == "Create an area"
    assert sentence("change", with_article("sco member"), "(JSON merge patch)") == (
        "Change an SCO member (JSON merge patch)"
    )
    assert sentence("") == ""
