"""Optimistic concurrency: `If-Match` on PATCH and DELETE."""

from __future__ import annotations

from fastapi import Request

from app.container import container_of
from app.errors import PreconditionFailed, PreconditionRequired
from app.http.etag import names_state


def check_if_match(request: Request, current_etag: str) -> None:
    """412 when `If-Match` names another state; 428 when it is required and missing.

    The comparison is strong (RFC 9110 §13.1.1): a weak tag names no exact state, so a
    write conditioned on one is refused. A tag of the gzip-encoded answer names the same
    state as the identity one.
    """
    header = request.headers.get("if-match")
    if header is None:
        if container_of(request).settings.require_if_match:
            raise PreconditionRequired(
                "This server requires `If-Match` with the ETag from a GET of the resource."
            )
        return
    if names_state(header, current_etag, strong=True):
        return
    detail = "The resource has changed since the ETag in `If-Match` was issued; GET it again."
    if names_state(header, current_etag, strong=False):
        detail = (
            "`If-Match` compares strongly: a weak ETag (`W/...`) cannot guard a write; "
            "send the ETag a GET of the resource answers with."
        )
    raise PreconditionFailed(detail, headers={"ETag": current_etag})
