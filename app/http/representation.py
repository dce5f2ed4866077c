"""One way to turn a resource into response bytes, so GET, POST and PATCH agree on its ETag."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from starlette.responses import Response

from app.http.etag import etag_of


def render_json(schema: type[BaseModel], value: Any) -> bytes:
    return schema.model_validate(value, from_attributes=True).model_dump_json().encode()


def item_response(
    schema: type[BaseModel],
    value: Any,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON item answer carrying the ETag that `If-Match` is compared with."""
    body = render_json(schema, value)
    return Response(
        body,
        status_code=status_code,
        media_type="application/json",
        headers={"ETag": etag_of(body), **(headers or {})},
    )
