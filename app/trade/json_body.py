"""JSON bodies with exact decimals written as JSON numbers (`66000000000`, `6.8`).

Pydantic writes `Decimal` as a string in JSON; a statistics API should answer numbers
with the stored digits, so trade bodies are serialized here by orjson, each Decimal as a
raw numeric fragment of its plain text (no float in between, no exponent).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from fastapi import Response

from app.trade.numbers import plain


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return orjson.Fragment(plain(value).encode("ascii"))
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(body: Any) -> bytes:
    return orjson.dumps(body, default=_default, option=orjson.OPT_UTC_Z)


def json_response(body: Any, *, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps(body), media_type="application/json", headers=headers)
