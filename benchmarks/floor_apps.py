"""The floor: the least a Python ASGI server can do per request, to measure ours against.

* `fastapi_app`: a bare FastAPI app answering a constant small JSON (no middleware).
* `asgi_app`: a raw ASGI callable answering the same bytes (no framework at all).

Both also answer `/health/live`, which the suite polls to time the start. Served by the
suite with the same uvicorn flags as `sco-api serve`:

    uvicorn benchmarks.floor_apps:fastapi_app --no-access-log --workers 1
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

BODY = b'{"status":"ok","items":[1,2,3]}'
CONSTANT: dict[str, Any] = {"status": "ok", "items": [1, 2, 3]}

fastapi_app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


# `async def`: the framework's own minimum (a plain `def` adds a hop to the thread pool,
# which our sync routes pay; the gap between them is part of what the suite shows).
@fastapi_app.get("/")
async def constant() -> dict[str, Any]:
    """A constant small JSON (FastAPI serializes it as it would any route's answer)."""
    return CONSTANT


@fastapi_app.get("/health/live")
async def live() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


_HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
    """Every HTTP request gets the constant JSON; lifespan events are acknowledged."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": BODY})
