"""The overview page in a real browser at phone width, with every off-machine request refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.test_docs_browser import OfflinePage

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 375, "height": 812}
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
SERIES = {
    "chart-kaz-sco": "reporter=KAZ&partner=SCO&indicator=trade_turnover",
    "chart-intra-sco": "reporter=SCO&partner=SCO&indicator=trade_turnover",
}


@pytest.fixture
def phone(browser: Browser) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2)
    try:
        yield OfflinePage(context)
    finally:
        context.close()


def _api(page: Page, url: str) -> Any:
    response = page.request.get(url)
    assert response.ok, url
    return response.json()


def _years(page: Page, selector: str) -> list[int]:
    years: list[str] = page.locator(selector).evaluate_all(
        "elements => elements.map(element => element.getAttribute('data-year'))"
    )
    return [int(year) for year in years]


def test_overview_renders_on_a_phone_with_one_point_per_year(
    live_server: str, phone: OfflinePage, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = phone.page
    page.goto(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("SCO Trade API")
    for name in ("Recent meetings", "Data-quality findings", "Use the data"):
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    for chart_id, key in SERIES.items():
        chart = page.locator(f"#{chart_id}")
        expect(chart).to_be_visible()
        assert chart.bounding_box()["width"] <= PHONE["width"]  # type: ignore[index]
        series = _api(page, f"{live_server}/api/v1/trade/series?{key}")["points"]
        years = _years(page, f'#{chart_id} [data-status][data-preferred="true"]')
        assert years == [point["year"] for point in series]
        figures = _api(page, f"{live_server}/api/v1/trade/observations?{key}&limit=500")["items"]
        assert page.locator(f"#{chart_id} [data-status]").count() == len(figures)
    shares = page.locator("#chart-shares [data-status]")
    assert shares.count() == 3
    # The charts are images to assistive technology, named by their own <title>.
    expect(page.get_by_role("img", name="Kazakhstan's trade turnover with the SCO")).to_be_visible()

    screenshot = tmp_path / "overview-375px.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"overview screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000

    assert phone.problems() == []


def test_a_meeting_link_opens_the_meeting_page(
    live_server: str, phone: OfflinePage, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = phone.page
    page.goto(f"{live_server}/")
    page.locator(f'#main a[href="/meetings/{ASTANA}"]').click()
    expect(page).to_have_url(f"{live_server}/meetings/{ASTANA}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trade Facilitation")
    expect(page.get_by_text("Trans-Caspian").first).to_be_visible()
    # The sources name no delegation: the page says none is recorded, and why.
    expect(page.get_by_text("No delegation recorded.")).to_be_visible()
    expect(page.get_by_text("Neither source lists the countries represented").first).to_be_visible()
    assert page.locator("ol.sessions > li").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot = tmp_path / "meeting-375px.png"
    page.screenshot(path=screenshot, full_page=True)
    print(f"meeting screenshot: {screenshot}")

    assert phone.problems() == []
