"""One way to answer an item, so GET, POST and PATCH agree on its bytes and its ETag.

Every handler that answers one item passes the item's representation (the bytes of
`WritableResource.represent`, or `render_json` of its schema) to `item_response`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from app.entity_tags import etag_of


def render_json(schema: type[BaseModel], value: Any) -> bytes:
    return schema.model_validate(value, from_attributes=True).model_dump_json().encode()


def item_response(
    body: bytes, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON item answer carrying the ETag that `If-Match` is compared with."""
    return Response(
        body,
        status_code=status_code,
        media_type="application/json",
        headers={"ETag": etag_of(body), **(headers or {})},
    )
