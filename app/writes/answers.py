"""What a write answers, before it is an HTTP response (the write routes make it one)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ItemAnswer:
    """An item as a create or a merge patch answers it.

    `body` is the item's representation, byte for byte what a GET of it answers (so the
    ETag is the same); `location` names a created item; `replayed` marks the stored first
    answer given again for a repeated `Idempotency-Key`.
    """

    body: bytes
    status: int = 200
    location: str | None = None
    replayed: bool = False
