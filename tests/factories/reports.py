"""Request bodies of `/reports`."""

from __future__ import annotations

from tests.factories import Body, present


def report_body(
    title: str = "A report",
    *,
    id: str | None = None,
    kind: str = "national_report",
    country: str | None = None,
    year: int | None = None,
    author_organization_ids: list[str] | None = None,
    presented_at_meeting_ids: list[str] | None = None,
) -> Body:
    """A new report (a national report unless told otherwise)."""
    return present(
        id=id,
        title=title,
        kind=kind,
        country=country,
        year=year,
        author_organization_ids=author_organization_ids,
        presented_at_meeting_ids=presented_at_meeting_ids,
    )
