"""What the index holds besides the text, and what a query asks of it (`app.search.terms`),
and how a CJK match is highlighted (`app.search.snippets`)."""

from __future__ import annotations

import pytest

from app.search.snippets import best_snippet
from app.search.terms import Term, index_terms, query_terms, russian_stem


def test_cjk_runs_are_indexed_as_characters_and_pairs() -> None:
    assert index_terms("Chinese: 上海合作组织.", "") == "上 海 合 作 组 织 上海 海合 合作 作组 组织"
    assert index_terms("No CJK here", "Никакого") == ""
    assert index_terms("中国", "中国") == "中 国 中国"  # each once


def test_a_query_asks_for_pairs_stems_and_words() -> None:
    assert query_terms("SCO上海合作 в Астане corridors") == [
        Term("sco"),
        Term("上海", gram=True),
        Term("海合", gram=True),
        Term("合作", gram=True),
        Term("в", prefix=True),
        Term("астан", prefix=True),
        Term("corridors", prefix=True),  # the last word: a prefix, as one types
    ]
    assert query_terms("trade_turnover") == [Term("trade"), Term("turnover", prefix=True)]
    assert query_terms("'; DROP --") == [Term("drop", prefix=True)]
    assert query_terms("** ()") == []


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("астана", "астан"),
        ("астане", "астан"),
        ("россии", "росс"),
        ("шанхайская", "шанхайск"),
        ("организации", "организац"),
        ("шос", "шос"),  # too short to lose an ending
    ],
)
def test_russian_words_lose_their_endings(word: str, stem: str) -> None:
    assert russian_stem(word) == stem


def test_cjk_matches_are_marked_where_the_engine_cannot() -> None:
    text = "The SCO. " + "x" * 80 + " Chinese: 上海合作组织. Founded in 2001"
    # The engine's fragment holds no mark (the run is one token to it): one is cut around it.
    assert best_snippet(["The SCO. xxx"], text, ["合作"]) == (
        "…"
        + text[text.find("合作") - 30 : text.find("合作")]
        + "<mark>合作</mark>组织. Founded in 2001"
    )
    # A fragment with the run in it is kept, the run marked.
    assert best_snippet(["a 上海合作组织 b"], text, ["合作"]) == "a 上海<mark>合作</mark>组织 b"
    # Without CJK, the engine's first marked fragment as it is.
    assert best_snippet(["body", "<mark>title</mark>"], "", []) == "<mark>title</mark>"
    assert best_snippet(["body", "title"], "", []) == "body"
