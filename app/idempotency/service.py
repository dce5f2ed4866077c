"""`Idempotency-Key` on POST: the first answer is stored with the write and replayed after.

The key is claimed by inserting its row in the same transaction as the write. A second
request with the same key waits on the unique index (PostgreSQL) or on the write lock
(SQLite `BEGIN IMMEDIATE`) until the first commits, then finds the stored answer and
replays it; if the first failed, nothing was stored and the second runs as new. So one key
can never produce two writes.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import orjson
from fastapi import Request, Response
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.types import utcnow
from app.errors import Conflict, ValidationFailed
from app.idempotency.models import IdempotencyRecord

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=48)  # promised: at least 24 hours
MAX_KEY_LENGTH = 255
REPLAYED_HEADERS = ("content-type", "location", "etag")


def request_fingerprint(request: Request, body: Any) -> str:
    """Method, path and the validated body: same content is the same request, whatever
    its whitespace or key order."""
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.url.path.encode(), canonical):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed.for_field(
            "header.Idempotency-Key", f"must be 1 to {MAX_KEY_LENGTH} printable characters"
        )
    return key


def claim(session: Session, *, owner: str, key: str, fingerprint: str) -> Response | None:
    """Claim `key` for this request; return the stored answer if it was used before."""
    session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION)
    )
    try:
        with session.begin_nested():
            session.add(IdempotencyRecord(owner=owner, key=key, request_hash=fingerprint))
    except IntegrityError:
        pass
    else:
        return None
    record = session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
        )
    ).one()
    if record.request_hash != fingerprint:
        raise ValidationFailed.for_field(
            "header.Idempotency-Key", "this key was already used with a different request body"
        )
    if record.state != "done" or record.response_status is None:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry later.")
    headers = dict(record.response_headers or {})
    headers["Idempotent-Replayed"] = "true"
    return Response(
        content=(record.response_body or "").encode(),
        status_code=record.response_status,
        headers=headers,
    )


def complete(session: Session, *, owner: str, key: str, response: Response) -> None:
    """Store the answer with the write, in the same transaction."""
    record = session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key
        )
    ).one()
    record.state = "done"
    record.response_status = response.status_code
    record.response_headers = {
        name: value for name, value in response.headers.items() if name in REPLAYED_HEADERS
    }
    record.response_body = bytes(response.body).decode("utf-8")
    session.flush()
