"""Admission: at most `limit` requests at work in the application at once, per worker.

A request's database work runs in several worker-thread calls (the session dependency,
the route, the teardown that commits), and its session holds a pooled connection in
between. With more requests in flight than threads, every thread could end up blocked
waiting for a connection held by a request that waits for a thread: nothing moves until
the pool's timeout. Requests past `limit` therefore wait here, on the event loop, holding
neither a thread nor a connection.

A request leaves when its answer starts: by then a JSON answer's session is closed. A CSV
download keeps its session while it streams (its chunks are read as they are sent) but no
longer counts, so slow downloads cannot shut everyone else out; the connection pool is
sized with room for them (`app.container`).

Answers from the answer cache never get here; `/health/live` and `/metrics` are not
counted, so probes and scrapers are answered even when every slot is taken.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOT_COUNTED = ("/health/live", "/metrics")


class AdmissionMiddleware:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        # One semaphore per event loop (an app may be run on several, one after another).
        self._slots: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NOT_COUNTED):
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self.limit)
        await slots.acquire()
        held = True

        def leave() -> None:
            nonlocal held
            if held:
                held = False
                slots.release()

        async def send_and_leave(message: Message) -> None:
            if message["type"] == "http.response.start":
                leave()
            await send(message)

        try:
            await self.app(scope, receive, send_and_leave)
        finally:
            leave()
