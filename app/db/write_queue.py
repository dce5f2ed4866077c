"""On SQLite, write transactions take turns on the event loop, one at a time per app.

SQLite lets one writer in at a time. A request that waited for its lock in a worker
thread would hold that thread; with every thread of the pool so held, the writer that has
the lock could get none to finish on, and all would wait out the busy timeout. Waiting on
the event loop holds no thread. (Other processes still queue on SQLite's busy timeout;
their lock holders do not need this process's threads.)
"""

from __future__ import annotations

import asyncio
import weakref


class WriteQueue:
    """One lock per event loop (a test may run an app on several loops, one after another)."""

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def turn(self) -> asyncio.Lock:
        """The lock of the running event loop: hold it for the whole write transaction."""
        return self._locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())
