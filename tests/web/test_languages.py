"""The pages in English, Russian and Chinese: the language chosen, the page's own words from
the catalogue, names as the API gives them, and stored facts left as they were written."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.trade.tolerance import Interval
from app.trade.wording import amount, span
from app.vocabulary import LANGUAGES
from app.web.catalogue import MESSAGES, TRANSLATORS

ASTANA = "2024-04-30-astana-swg-trade-facilitation"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "web" / "templates"


def test_every_message_is_in_every_language() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        placeholders = {
            language: set(re.findall(r"{(\w+)}", text)) for language, text in texts.items()
        }
        assert len({frozenset(names) for names in placeholders.values()}) == 1, key


def test_every_message_the_templates_ask_for_exists() -> None:
    used: set[str] = set()
    for template in TEMPLATES.glob("*.html"):
        for method, key in re.findall(r"\bt(\.html)?\('([\w.]+)'", template.read_text("utf-8")):
            assert key.endswith(".html") == bool(method), key  # markup only through t.html
            used.add(key)
    assert used <= set(MESSAGES)


@pytest.mark.parametrize(
    ("params", "headers", "language", "heading", "chart"),
    [
        ({}, {}, "en", "Recent meetings", "Kazakhstan's trade turnover with the SCO"),
        ({"lang": "ru"}, {}, "ru", "Недавние встречи", "Товарооборот Казахстана со странами ШОС"),
        (
            {},
            {"Accept-Language": "zh-CN,zh;q=0.9"},
            "zh",
            "近期会议",
            "哈萨克斯坦与上合组织的贸易额",
        ),
        ({"lang": "fr"}, {"Accept-Language": "ru"}, "en", "Recent meetings", "Kazakhstan's"),
    ],
)
def test_the_overview_in_each_language(
    client: TestClient,
    params: dict[str, str],
    headers: dict[str, str],
    language: str,
    heading: str,
    chart: str,
) -> None:
    response = client.get("/", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-language"] == language
    assert "Accept-Language" in response.headers["vary"]
    html = response.text
    assert f'<html lang="{language}">' in html
    assert f'<h2 id="meetings">{heading}</h2>' in html
    assert chart in html
    # The switch names each language in itself, and marks the one shown.
    for code, name in (("en", "English"), ("ru", "Русский"), ("zh", "中文")):
        current = ' aria-current="true"' if code == language else ""
        assert f'<a href="?lang={code}" hreflang="{code}" lang="{code}"{current}>{name}</a>' in html


def test_chinese_charts_tables_and_names(client: TestClient) -> None:
    html = client.get("/", params={"lang": "zh"}).text
    assert "选定数字" in html  # the legend of a chart
    assert '<th scope="col">真实值范围</th>' in html  # a table's column
    assert "659.5–660.5亿美元" in html  # 66.0 bn, to its published digits, in 亿
    assert "中国 (CHN)" in html  # CLDR's name, as /api/v1/areas?lang=zh gives it
    # Stored facts as their source wrote them: a meeting's title, a finding's message.
    assert "Meeting of the SCO Special Working Group on Trade Facilitation" in html
    assert '<p lang="en">KAZ→SCO' in html
    # Links to other pages keep the language asked for.
    assert f'href="/meetings/{ASTANA}?lang=zh"' in html


def test_russian_numbers_use_a_decimal_comma(client: TestClient) -> None:
    html = client.get("/", params={"lang": "ru"}).text
    assert "$65,95–66,05 млрд" in html
    assert ">61,8<" in html  # a value label of a chart
    assert "Выбранная: Опубликованное значение" in html


def test_a_meeting_page_in_chinese(client: TestClient) -> None:
    response = client.get(f"/meetings/{ASTANA}", headers={"Accept-Language": "zh"})
    assert response.headers["content-language"] == "zh"
    html = response.text
    assert "2024年4月30日" in html
    assert "哈萨克斯坦" in html  # the country, named as the API names it
    assert '<h2 id="sessions">议程</h2>' in html
    assert "Trans-Caspian" in html  # a session's stored title
    assert 'href="/?lang' not in html  # chosen by Accept-Language: links do not fix it


def test_an_error_page_in_russian(client: TestClient) -> None:
    response = client.get(
        "/meetings/no-such-meeting", params={"lang": "ru"}, headers={"Accept": BROWSER_ACCEPT}
    )
    assert response.status_code == 404
    assert response.headers["content-language"] == "ru"
    assert "Страница не найдена" in response.text
    # The problem document for API clients stays English, and says no language of its own.
    problem = client.get("/meetings/no-such-meeting", params={"lang": "ru"})
    assert problem.headers["content-type"] == "application/problem+json"
    assert "content-language" not in problem.headers
    assert "Accept-Language" in problem.headers["vary"]


@pytest.mark.parametrize(
    ("language", "figure", "ranged", "open_ended"),
    [
        ("en", "$66.0 bn", "$65.95–66.05 bn", "$67 bn or more"),
        ("ru", "$66,0 млрд", "$65,95–66,05 млрд", "$67 млрд или более"),
        ("zh", "660亿美元", "659.5–660.5亿美元", "670亿美元或以上"),
    ],
)
def test_figures_in_each_language(language: str, figure: str, ranged: str, open_ended: str) -> None:
    billion = Decimal(10) ** 9
    lang = TRANSLATORS[language].language  # type: ignore[index]
    assert amount(Decimal(66) * billion, "USD", Decimal("0.1") * billion, lang) == figure
    interval = Interval(Decimal("65.95") * billion, Decimal("66.05") * billion)
    assert span(interval, "USD", lang) == ranged
    assert span(Interval(Decimal(67) * billion, Decimal("Infinity")), "USD", lang) == open_ended
