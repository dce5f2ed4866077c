"""The interactive docs in a real browser, with every request off this machine refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Route

pytestmark = pytest.mark.browser

LOOPBACK = "127.0.0.1"
# ReDoc 2's sidebar footer always asks for this logo and hides it when it does not load; it
# is decoration, not the docs. (A `img-src 'self' data:` CSP on /redoc stops the request.)
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
TIMEOUT_MS = 15_000


class OfflinePage:
    """A page whose context aborts every request that is not to the loopback server."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.blocked: list[str] = []
        context.route("**/*", self._guard)
        self.errors: list[str] = []
        self.page: Page = context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        # Uncaught exceptions and console errors (a CSP refusal is one) mean a broken page.
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )

    def problems(self, *, tolerated: str | None = None) -> list[str]:
        """Requests refused and errors seen, less those that mention `tolerated`."""
        found = [f"blocked request: {url}" for url in self.blocked] + self.errors
        return [item for item in found if not (tolerated and tolerated in item)]

    def _guard(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline(browser: Browser) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield OfflinePage(context)
    finally:
        context.close()


def test_swagger_ui_renders_and_try_it_out_answers_offline(
    live_server: str, offline: OfflinePage, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = offline.page
    page.goto(f"{live_server}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("SCO Trade API")
    expect(page.locator("#operations-areas-listAreas")).to_be_visible()
    assert page.locator(".opblock").count() >= 3

    operation = page.locator("#operations-areas-getArea")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator('tr[data-param-name="code"] input').fill("kz")
    operation.get_by_role("button", name="Execute").click()

    answer = operation.locator(".live-responses-table .response").first
    expect(answer.locator(".response-col_status")).to_contain_text("200")
    body = answer.locator(".response-col_description .highlight-code")
    expect(body).to_contain_text("Kazakhstan")
    text = body.inner_text()
    assert '"code": "KAZ"' in text
    assert '"iso2": "KZ"' in text
    expect(operation.locator(".request-url")).to_contain_text(f"{live_server}/api/v1/areas/kz")
    page.screenshot(path=tmp_path / "docs.png", full_page=True)
    operation.screenshot(path=tmp_path / "docs-getArea.png")

    assert offline.problems() == []


def test_redoc_renders_offline(live_server: str, offline: OfflinePage, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page = offline.page
    page.goto(f"{live_server}/redoc")
    expect(page.locator(".api-info h1")).to_contain_text("SCO Trade API")
    expect(page.locator("[data-section-id='operation/getArea']").first).to_be_attached()
    page.screenshot(path=tmp_path / "redoc.png")

    assert offline.problems(tolerated=REDOC_LOGO) == []
