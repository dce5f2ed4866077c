"""Optimistic concurrency: `If-Match` on PATCH and DELETE."""

from __future__ import annotations

from fastapi import Request

from app.container import container_of
from app.errors import PreconditionFailed, PreconditionRequired
from app.http.etag import parse_etags

# A representation sent gzip-encoded carries its tag with this suffix inside the quotes;
# it names the same state of the resource.
ENCODING_SUFFIXES = ("-gzip",)


def _strip_encoding(tag: str) -> str:
    for suffix in ENCODING_SUFFIXES:
        if tag.endswith(suffix + '"'):
            return tag[: -len(suffix) - 1] + '"'
    return tag


def check_if_match(request: Request, current_etag: str) -> None:
    """412 when `If-Match` names another state; 428 when it is required and missing."""
    header = request.headers.get("if-match")
    if header is None:
        if container_of(request).settings.require_if_match:
            raise PreconditionRequired(
                "This server requires `If-Match` with the ETag from a GET of the resource."
            )
        return
    tags = [_strip_encoding(tag) for tag in parse_etags(header)]
    if "*" in tags or current_etag in tags:
        return
    raise PreconditionFailed(
        "The resource has changed since the ETag in `If-Match` was issued; GET it again.",
        headers={"ETag": current_etag},
    )
