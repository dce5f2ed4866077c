"""Admission: requests past the limit wait; an answer that has started no longer counts."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from app.http.admission import AdmissionMiddleware


def _scope(path: str = "/api/v1/areas") -> Scope:
    return {"type": "http", "method": "GET", "path": path, "headers": []}


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def test_waiting_requests_go_in_as_answers_start() -> None:
    started: list[str] = []
    release_first = asyncio.Event()
    first_streaming = asyncio.Event()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        name = scope["path"]
        started.append(name)
        if name == "/first":
            await release_first.wait()  # at work, before its answer starts
            await send({"type": "http.response.start", "status": 200, "headers": []})
            first_streaming.set()
            await asyncio.sleep(3600)  # a download that goes on
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    admission = AdmissionMiddleware(app, limit=1)

    async def sink(_message: Message) -> None:
        return None

    async def scenario() -> None:
        first = asyncio.create_task(admission(_scope("/first"), _receive, sink))
        await asyncio.sleep(0)
        second = asyncio.create_task(admission(_scope("/second"), _receive, sink))
        probe = asyncio.create_task(admission(_scope("/health/live"), _receive, sink))
        await asyncio.sleep(0.05)
        assert started == ["/first", "/health/live"]  # the second waits; probes never do
        release_first.set()
        await first_streaming.wait()
        await asyncio.wait_for(second, timeout=5)  # went in once the first answer started
        assert started == ["/first", "/health/live", "/second"]
        await probe
        first.cancel()

    asyncio.run(scenario())
