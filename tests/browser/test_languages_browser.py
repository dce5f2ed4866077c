"""The pages in Chinese and Russian in a real browser: the language switch, the browser's
own language by default, and no overflow at phone width in any language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.test_docs_browser import OfflinePage
from tests.browser.test_overview_browser import ASTANA, PHONE

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser


@pytest.fixture
def russian_phone(browser: Browser) -> Iterator[OfflinePage]:
    """A phone whose browser asks for Russian (`Accept-Language: ru-RU`)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="ru-RU")
    try:
        yield OfflinePage(context)
    finally:
        context.close()


def test_switching_to_chinese_shows_chinese_labels(
    live_server: str, russian_phone: OfflinePage, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = russian_phone.page
    page.goto(f"{live_server}/")
    # No `lang` yet: the browser's own language.
    assert page.evaluate("document.documentElement.lang") == "ru"
    expect(page.get_by_role("heading", name="Недавние встречи", level=2)).to_be_visible()

    page.get_by_role("navigation", name="Язык").get_by_role("link", name="中文").click()
    expect(page).to_have_url(f"{live_server}/?lang=zh")
    assert page.evaluate("document.documentElement.lang") == "zh"
    switch = page.get_by_role("navigation", name="语言")
    expect(switch.get_by_role("link", name="中文")).to_have_attribute("aria-current", "true")
    for name in ("贸易数据", "近期会议", "数据质量问题", "使用数据"):
        expect(page.get_by_role("heading", name=name, level=2)).to_be_visible()
    # The charts' own words: their names, axes and legends.
    expect(page.get_by_role("img", name="哈萨克斯坦与上合组织的贸易额")).to_be_visible()
    chart = page.locator("#chart-kaz-sco")
    expect(chart.locator("text", has_text="选定数字")).to_have_count(1)
    expect(chart.locator("text", has_text="年份")).to_have_count(1)
    expect(page.locator("#chart-shares text", has_text="中国")).to_have_count(1)
    # Stored facts stay as their source wrote them.
    title = "Meeting of the SCO Special Working Group on Trade Facilitation"
    expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=tmp_path / "overview-zh-375px.png", full_page=True)

    # The language chosen stays with the links to other pages.
    page.locator(f'#main a[href="/meetings/{ASTANA}?lang=zh"]').click()
    expect(page.get_by_role("heading", name="议程", level=2)).to_be_visible()
    expect(page.get_by_text("哈萨克斯坦").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    assert russian_phone.problems() == []
