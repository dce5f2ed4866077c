"""Request bodies of `/people`."""

from __future__ import annotations

from tests.factories import Body, present
from tests.factories.seeded import KAZ_MINISTRY, KAZINFORM


def post(role: str = "Adviser", *, organization_id: str = KAZ_MINISTRY) -> Body:
    """A person's post at an organization."""
    return {"organization_id": organization_id, "role": role}


def person_body(
    name: str = "Test Person",
    *,
    id: str | None = None,
    posts: list[Body] | None = None,
    source_ids: list[str] | None = None,
) -> Body:
    """A new person with one post at the seeded ministry, named by the seeded Kazinform source."""
    return present(
        id=id,
        name=name,
        posts=[post()] if posts is None else posts,
        source_ids=[KAZINFORM] if source_ids is None else source_ids,
    )
