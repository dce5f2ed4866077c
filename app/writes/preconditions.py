"""Optimistic concurrency: `If-Match` on PATCH and DELETE.

The header arrives parsed (`app.http.headers.parse_entity_tags`, read by the write routes'
dependency), so the rule here needs no request.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import PreconditionFailed, PreconditionRequired
from app.http.etag import tags_name_state
from app.http.headers import EntityTagList


@dataclass(frozen=True)
class IfMatch:
    """A write's `If-Match`, parsed, and whether this server requires one."""

    tags: EntityTagList | None  # None: the header was not sent
    required: bool = False  # SCO_REQUIRE_IF_MATCH: a write without the header is a 428


def check_if_match(if_match: IfMatch, current_etag: str) -> None:
    """412 when `If-Match` names another state; 428 when it is required and missing.

    The comparison is strong (RFC 9110 §13.1.1): a weak tag names no exact state, so a
    write conditioned on one is refused. A tag of the gzip-encoded answer names the same
    state as the identity one.
    """
    if if_match.tags is None:
        if if_match.required:
            raise PreconditionRequired(
                "This server requires `If-Match` with the ETag from a GET of the resource."
            )
        return
    if tags_name_state(if_match.tags, current_etag, strong=True):
        return
    detail = "The resource has changed since the ETag in `If-Match` was issued; GET it again."
    if tags_name_state(if_match.tags, current_etag, strong=False):
        detail = (
            "`If-Match` compares strongly: a weak ETag (`W/...`) cannot guard a write; "
            "send the ETag a GET of the resource answers with."
        )
    raise PreconditionFailed(detail, headers={"ETag": current_etag})
