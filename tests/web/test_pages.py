"""The HTML pages through HTTP: the overview at `/` and the meeting pages at `/meetings/{id}`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app.errors import PROBLEM_MEDIA_TYPE
from app.trade.wording import EN_DASH
from app.web import charts
from app.web.negotiation import prefers_html
from tests.conftest import bearer
from tests.factories.meetings import delegation_body, meeting_body, member
from tests.factories.seeded import KAZ_MINISTRY, KUSHUKOVA, QAZTRADE
from tests.web.test_charts import parse

ASTANA = "2024-04-30-astana-swg-trade-facilitation"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
KAZ_SCO = "reporter=KAZ&partner=SCO&indicator=trade_turnover"
INTRA_SCO = "reporter=SCO&partner=SCO&indicator=trade_turnover"
SHARES = "indicator=share_in_sco_trade&partner=SCO&preferred=true&sort=-value"
SVG = "{http://www.w3.org/2000/svg}"
CHART_IDS = ("chart-kaz-sco", "chart-intra-sco", "chart-shares")


def _page(client: TestClient, path: str = "/", **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    return str(response.text)


def _charts(html: str) -> dict[str, ET.Element]:
    """Each inline <svg> of the page, parsed as XML (so it must be well-formed)."""
    found = [parse(match) for match in re.findall(r"<svg\b.*?</svg>", html, re.S)]
    return {chart.attrib["id"]: chart for chart in found}


def _points(chart: ET.Element) -> list[ET.Element]:
    return [element for element in chart.iter() if "data-status" in element.attrib]


def _preferred(chart: ET.Element) -> list[ET.Element]:
    return [e for e in _points(chart) if e.attrib["data-preferred"] == "true"]


def _json(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


# --- the overview --------------------------------------------------------------------------


def test_overview_is_an_html_page_with_three_titled_charts(client: TestClient) -> None:
    html = _page(client)
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html
    assert 'name="viewport"' in html
    assert len(re.findall(r"<h1\b", html)) == 1
    assert "Shanghai Cooperation Organisation" in html
    found = _charts(html)
    assert tuple(found) == CHART_IDS
    for chart in found.values():
        title, desc = chart.find(f"{SVG}title"), chart.find(f"{SVG}desc")
        assert title is not None
        assert (title.text or "").strip()
        assert desc is not None
        assert (desc.text or "").strip()
        assert chart.attrib["role"] == "img"
        chart_id = chart.attrib["id"]
        assert chart.attrib["aria-labelledby"] == f"{chart_id}-title {chart_id}-desc"
        assert chart.attrib["width"] == "100%"
    # The text alternative: each chart's figures as a table.
    assert html.count("<details>") == len(CHART_IDS)


@pytest.mark.parametrize(
    ("chart_id", "key"), [("chart-kaz-sco", KAZ_SCO), ("chart-intra-sco", INTRA_SCO)]
)
def test_series_charts_show_one_preferred_point_per_year_of_the_series(
    client: TestClient, chart_id: str, key: str
) -> None:
    chart = _charts(_page(client))[chart_id]
    series = _json(client, f"/api/v1/trade/series?{key}")["points"]
    assert series
    preferred = _preferred(chart)
    assert [int(e.attrib["data-year"]) for e in preferred] == [p["year"] for p in series]
    assert [float(e.attrib["data-value"]) for e in preferred] == pytest.approx(
        [float(p["value"]) for p in series]
    )
    assert [e.attrib["data-status"] for e in preferred] == [p["status"] for p in series]
    # Besides the preferred ones, every other figure of the key is drawn too.
    everything = _json(client, f"/api/v1/trade/observations?{key}&limit=500")["items"]
    assert len(_points(chart)) == len(everything)
    assert {e.attrib["data-status"] for e in _points(chart)} == {o["status"] for o in everything}


def test_the_kazakhstan_chart_marks_qualifiers_and_derived_points(client: TestClient) -> None:
    chart = _charts(_page(client))["chart-kaz-sco"]
    series = _json(client, f"/api/v1/trade/series?{KAZ_SCO}")["points"]
    labels = [e.text or "" for e in chart.iter(f"{SVG}text") if e.get("class") == "label"]
    expected = [
        charts.qualified(Decimal(str(p["value"])), p["qualifier"], Decimal(10) ** 9) for p in series
    ]
    assert labels == expected
    qualified = {p["qualifier"] for p in series} - {"exact"}
    assert qualified, "the seed has 'almost' and 'exceeded' figures"
    for qualifier in qualified:
        assert any(label.startswith(charts.QUALIFIER_SYMBOLS[qualifier]) for label in labels)
    shapes = {(e.attrib["data-status"], e.attrib["data-preferred"]): e.tag for e in _points(chart)}
    assert shapes[("reported", "true")] == f"{SVG}circle"
    assert shapes[("derived", "false")] == f"{SVG}path"


def test_the_shares_chart_shows_the_latest_shares_largest_first(client: TestClient) -> None:
    bars = _points(_charts(_page(client))["chart-shares"])
    shares = _json(client, f"/api/v1/trade/observations?{SHARES}")["items"]
    latest = max(share["year"] for share in shares)
    assert latest == 2023
    expected = [s for s in shares if s["year"] == latest and s["reporter"] != "SCO"]
    assert [bar.attrib["data-key"] for bar in bars] == [s["reporter"] for s in expected]
    values = [float(bar.attrib["data-value"]) for bar in bars]
    assert values == sorted(values, reverse=True)
    assert {bar.attrib["data-year"] for bar in bars} == {"2023"}


def _ranges(chart: ET.Element) -> list[ET.Element]:
    return [element for element in chart.iter() if element.get("class") == "range"]


def _title_text(element: ET.Element) -> str:
    title = element.find(f"{SVG}title")
    return (title.text or "") if title is not None else ""


def _desc(chart: ET.Element) -> str:
    desc = chart.find(f"{SVG}desc")
    assert desc is not None
    return desc.text or ""


def _ranged(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figures whose range is wider than a point (an open end counts as wider)."""
    return [item for item in items if item["bounds"]["lower"] != item["bounds"]["upper"]]


@pytest.mark.parametrize(
    ("chart_id", "key"), [("chart-kaz-sco", KAZ_SCO), ("chart-intra-sco", INTRA_SCO)]
)
def test_series_charts_draw_an_error_bar_for_each_ranged_figure(
    client: TestClient, chart_id: str, key: str
) -> None:
    chart = _charts(_page(client))[chart_id]
    everything = _json(client, f"/api/v1/trade/observations?{key}&limit=500")["items"]
    ranged = _ranged(everything)
    assert ranged, "the seeded figures have ranges"
    drawn = _ranges(chart)
    assert len(drawn) == len(ranged)
    assert sorted(int(e.attrib["data-year"]) for e in drawn) == sorted(o["year"] for o in ranged)
    lowers = sorted(float(e.attrib["data-lower"]) for e in drawn)
    assert lowers == pytest.approx(sorted(float(o["bounds"]["lower"]) for o in ranged))
    opened = [e for e in drawn if "data-open" in e.attrib]
    unbounded = [o for o in ranged if o["bounds"]["upper"] is None]
    assert len(opened) == len(unbounded)


def test_the_kazakhstan_chart_shows_the_2023_range_and_2024_as_67_bn_or_more(
    client: TestClient,
) -> None:
    html = _page(client)
    chart = _charts(html)["chart-kaz-sco"]
    series = {p["year"]: p for p in _json(client, f"/api/v1/trade/series?{KAZ_SCO}")["points"]}
    assert series[2023]["bounds"] == {"lower": 65950000000, "upper": 66050000000}
    assert series[2024]["bounds"] == {"lower": 67000000000, "upper": None}
    description = _desc(chart)
    assert f"2023: $66.0 bn (range $65.95{EN_DASH}66.05 bn)" in description
    assert "2024: exceeded $67 bn (range $67 bn or more)" in description
    assert f"2021: almost $51 bn (range $50{EN_DASH}51 bn)" in description
    (latest,) = [e for e in _ranges(chart) if e.attrib["data-year"] == "2024"]
    assert latest.attrib["data-open"] == "upper"
    assert "data-upper" not in latest.attrib
    assert float(latest.attrib["data-lower"]) == 67e9
    assert _title_text(latest) == "2024: range 67 billion USD or more"
    assert latest.find(f".//{SVG}polyline") is not None, "an arrow, not a cap, at the open end"
    preferred_2023 = next(e for e in _preferred(chart) if e.attrib["data-year"] == "2023")
    assert f"range 65.95{EN_DASH}66.05 billion USD" in _title_text(preferred_2023)
    # The table (the text alternative) lists every range too.
    section = html[
        html.index('id="chart-kaz-sco-heading"') : html.index('id="chart-intra-sco-heading"')
    ]
    assert '<th scope="col">Range of true values</th>' in section
    assert "<td>$67 bn or more</td>" in section
    assert f"<td>$65.95{EN_DASH}66.05 bn</td>" in section


def test_a_range_down_to_zero_is_drawn_down_to_the_zero_line(client: TestClient) -> None:
    chart = _charts(_page(client))["chart-intra-sco"]
    items = _json(client, f"/api/v1/trade/observations?{INTRA_SCO}&limit=500")["items"]
    from_zero = {o["year"] for o in items if o["bounds"]["lower"] == 0}
    assert from_zero, "the seed has 'nears $1 trillion': a range from 0"
    zero_tick = next(e for e in chart.iter(f"{SVG}text") if e.text == "0")
    for error_bar in _ranges(chart):
        if int(error_bar.attrib["data-year"]) not in from_zero:
            continue
        line = error_bar.findall(f"{SVG}g")[-1].findall(f"{SVG}line")[0]
        assert float(line.attrib["y1"]) == pytest.approx(float(zero_tick.attrib["y"]) - 4)


def test_the_shares_chart_draws_each_shares_range(client: TestClient) -> None:
    chart = _charts(_page(client))["chart-shares"]
    shares = _json(client, f"/api/v1/trade/observations?{SHARES}")["items"]
    latest = [s for s in shares if s["year"] == 2023 and s["reporter"] != "SCO"]
    ranged = _ranged(latest)
    assert ranged, "the seeded shares have ranges"
    drawn = _ranges(chart)
    assert [e.attrib["data-key"] for e in drawn] == [s["reporter"] for s in ranged]
    for error_bar, share in zip(drawn, ranged, strict=True):
        assert float(error_bar.attrib["data-lower"]) == pytest.approx(share["bounds"]["lower"])
        assert float(error_bar.attrib["data-upper"]) == pytest.approx(share["bounds"]["upper"])
    china = next(e for e in drawn if e.attrib["data-key"] == "CHN")
    assert _title_text(china) == f"China, 2023: range 64.55{EN_DASH}64.65 %"
    assert f"China: 64.6 % (range 64.55{EN_DASH}64.65 %)" in _desc(chart)


def test_overview_lists_recent_meetings_newest_first_with_both_links(client: TestClient) -> None:
    html = _page(client)
    meetings = _json(client, "/api/v1/meetings?limit=10")["items"]
    assert ASTANA in {meeting["id"] for meeting in meetings}
    section = html[html.index('id="meetings"') : html.index('id="findings"')]
    assert len(re.findall(r'href="/meetings/', section)) == len(meetings) == 10
    positions = [html.index(f'href="/meetings/{meeting["id"]}"') for meeting in meetings]
    assert positions == sorted(positions), "newest first, as the API lists them"
    for meeting in meetings:
        assert f'href="/api/v1/meetings/{meeting["id"]}"' in html
    assert str(escape(meetings[0]["title"])) in html


def test_overview_lists_every_finding_of_the_checks(client: TestClient) -> None:
    html = _page(client)
    findings = _json(client, "/api/v1/trade/checks?limit=500")["items"]
    assert findings, "the seed has disagreeing figures"
    for finding in findings:
        assert str(escape(finding["message"])) in html
        assert f"<code>{finding['kind']}</code>" in html
    assert html.count('<span class="badge">') == len(findings)


def test_overview_links_the_docs_downloads_and_change_feed(client: TestClient) -> None:
    html = _page(client)
    for href in (
        "/docs",
        "/redoc",
        "/api/v1/trade/series?reporter=KAZ&amp;partner=SCO&amp;indicator=trade_turnover&amp;format=csv",
        "/api/v1/trade/observations?format=csv",
        "/api/v1/changes",
        "/api/v1/trade/checks",
    ):
        assert f'href="{href}"' in html, href


def test_every_link_of_the_overview_that_stays_here_answers(client: TestClient) -> None:
    html = _page(client)
    hrefs = {h.replace("&amp;", "&") for h in re.findall(r'href="([^"#]+)"', html)}
    local = sorted(h for h in hrefs if h.startswith("/"))
    assert len(local) > 20
    for href in local:
        assert client.get(href).status_code == 200, href


def test_the_stylesheet_is_served_and_allowed_by_the_page_policy(client: TestClient) -> None:
    response = client.get("/")
    (stylesheet,) = re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.text)
    assert stylesheet.startswith("/static/web/site.css?v=")
    css = client.get(stylesheet)
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    policy = response.headers["content-security-policy"]
    assert "style-src 'self'" in policy
    assert "<script" not in response.text  # no JavaScript at all


def test_overview_is_cached_like_every_get(client: TestClient) -> None:
    first = client.get("/")
    etag = first.headers["etag"]
    assert "public" in first.headers["cache-control"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_overview_escapes_what_it_shows(client: TestClient, write_key: str) -> None:
    hostile = "<script>alert('x')</script> & co"
    body = meeting_body(hostile, id="2030-01-01-escaping-test", start_date="2030-01-01")
    created = client.post("/api/v1/meetings", json=body, headers=bearer(write_key))
    assert created.status_code == 201, created.text
    for path in ("/", "/meetings/2030-01-01-escaping-test"):
        html = _page(client, path)
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in html


# --- one meeting ---------------------------------------------------------------------------


def test_meeting_page_shows_sessions_in_order(client: TestClient) -> None:
    html = _page(client, f"/meetings/{ASTANA}")
    meeting = _json(client, f"/api/v1/meetings/{ASTANA}")
    assert f"<h1>{escape(meeting['title'])}</h1>" in html
    sessions = meeting["sessions"]
    assert len(sessions) == 2
    positions = [html.index(f"<h3>{escape(session['title'])}</h3>") for session in sessions]
    assert positions == sorted(positions)
    assert [s["order"] for s in sessions] == [1, 2]
    assert "Trans-Caspian International Transport Route" in html
    assert f'href="/api/v1/meetings/{ASTANA}"' in html


def test_meeting_page_shows_a_delegation(client: TestClient, write_key: str) -> None:
    created = client.post(
        f"/api/v1/meetings/{ASTANA}/delegations",
        json=delegation_body(
            id=f"{ASTANA}-kaz",
            organization_ids=[KAZ_MINISTRY, QAZTRADE],
            members=[member(KUSHUKOVA, "Vice Minister of Trade and Integration")],
        ),
        headers={"Authorization": f"Bearer {write_key}"},
    )
    assert created.status_code == 201, created.text
    html = _page(client, f"/meetings/{ASTANA}")
    (delegation,) = _json(client, f"/api/v1/meetings/{ASTANA}")["delegations"]
    assert delegation["country"] == "KAZ"
    section = html[html.index('id="delegations"') : html.index('id="participations"')]
    assert "Kazakhstan" in section
    assert "Ministry of Trade and Integration of the Republic of Kazakhstan" in section
    assert "QazTrade" in section
    assert "Janel Kushukova" in section
    assert "Vice Minister of Trade and Integration" in section
    for organization_id in delegation["organization_ids"]:
        assert f'href="/api/v1/organizations/{organization_id}"' in section


def test_meeting_page_lists_participations_reports_and_both_sources(client: TestClient) -> None:
    html = _page(client, f"/meetings/{ASTANA}")
    meeting = _json(client, f"/api/v1/meetings/{ASTANA}")
    assert "welcoming speech" in html
    assert "Kazakhstan&#39;s National Report on Trade Facilitation" in html
    sources = meeting["sources"]
    assert [source["id"] for source in sources] == ["kazinform-2024-04-30", "oq-gov-kz-2024-05-02"]
    section = html[html.index('id="sources"') :]
    for source in sources:
        assert f'href="{escape(source["url"])}"' in section
        assert str(escape(source["title"])) in section
    assert "Kazinform International News Agency" in section
    assert "30 April 2024" in section
    assert "2 May 2024" in section


def test_unknown_meeting_is_problem_json_for_api_clients(client: TestClient) -> None:
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = client.get("/meetings/no-such-meeting", headers=headers)
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
        problem = response.json()
        assert problem["status"] == 404
        assert problem["instance"] == "/meetings/no-such-meeting"
        assert "no-such-meeting" in problem["detail"]


def test_unknown_meeting_is_an_html_page_for_browsers(client: TestClient) -> None:
    response = client.get("/meetings/no-such-meeting", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Page not found</h1>" in response.text
    assert "no-such-meeting" in response.text
    assert response.headers["cache-control"] == "no-store"


def test_malformed_meeting_id_is_422_in_either_form(client: TestClient) -> None:
    response = client.get("/meetings/Not_A_Slug!")
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    assert [error["field"] for error in response.json()["errors"]] == ["path.id"]
    page = client.get("/meetings/Not_A_Slug!", headers={"Accept": BROWSER_ACCEPT})
    assert page.status_code == 422
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "path.id" in page.text


# --- content negotiation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("application/problem+json", False),
        ("text/html", True),
        ("TEXT/HTML", True),
        (BROWSER_ACCEPT, True),
        ("text/*", True),
        ("text/html;q=0.5, application/json", False),
        ("text/html, application/json", False),  # a tie goes to the API's own format
        ("application/json;q=0.1, text/html;q=0.9", True),
        ("text/html;q=0", False),
        ("text/html;q=nonsense", False),
        ("garbage, text/html", True),
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
