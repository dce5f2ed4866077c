"""Request bodies of `/sources`, and `Source` rows written straight to the database."""

from __future__ import annotations

from app.sources.models import Source
from tests.factories import Body, present


def source_body(
    title: str = "A test release",
    *,
    id: str | None = None,
    url: str = "https://example.org/release",
    published_on: str | None = None,
    published_on_precision: str | None = None,
    priority: int | None = None,
) -> Body:
    """A new source; `priority` ranks its figures against other sources' (seeded: up to 90)."""
    return present(
        id=id,
        title=title,
        url=url,
        published_on=published_on,
        published_on_precision=published_on_precision,
        priority=priority,
    )


def source_record(
    id: str, *, title: str = "Test fixture", url: str = "https://example.org", priority: int = 80
) -> Source:
    """A source row for tests that write below the API (and recompute themselves)."""
    return Source(id=id, title=title, url=url, priority=priority)
