"""`Idempotency-Key` on POST: the first answer is stored with the write and replayed after.

The key is claimed by inserting its row in the same transaction as the write. A second
request with the same key waits on the unique index (PostgreSQL) or on the write lock
(SQLite `BEGIN IMMEDIATE`) until the first commits, then finds the stored answer and
replays it; if the first failed, nothing was stored and the second runs as new. So one key
can never produce two writes.

Nothing here reads a request: the write routes' dependency reads the header (declared with
`KEY_PATTERN` and `MAX_KEY_LENGTH`, so a malformed key is a 422 before anything runs) and
the request line, and the write service claims and completes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.db.types import utcnow
from app.entity_tags import etag_of
from app.errors import RULE_ERROR, Conflict, ValidationFailed
from app.idempotency.models import IdempotencyRecord
from app.writes.answers import ItemAnswer

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=48)  # promised: at least 24 hours
MAX_KEY_LENGTH = 255
# Printable ASCII with at least one visible character: the draft standard's key is a
# Structured Field string (draft-ietf-httpapi-idempotency-key-header), so a UUID fits.
KEY_PATTERN = r"^[ -~]*[!-~][ -~]*$"


@dataclass(frozen=True)
class IdempotencyKey:
    """A checked `Idempotency-Key` and the request line it came with.

    The same key must come with the same method, path and body to be the same request.
    """

    value: str
    method: str
    path: str

    def fingerprint(self, body: Any) -> str:
        """Method, path and the validated body: same content is the same request, whatever
        its whitespace or key order."""
        canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
        digest = hashlib.sha256()
        for part in (self.method.encode(), self.path.encode(), canonical):
            digest.update(part)
            digest.update(b"\0")
        return digest.hexdigest()


def claim(session: Session, *, owner: str, key: IdempotencyKey, body: Any) -> ItemAnswer | None:
    """Claim `key` for this request; return the stored answer if it was used before."""
    fingerprint = key.fingerprint(body)
    session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - RETENTION)
    )
    try:
        with session.begin_nested():
            session.add(IdempotencyRecord(owner=owner, key=key.value, request_hash=fingerprint))
    except IntegrityError:
        pass
    else:
        return None
    record = _record(session, owner=owner, key=key)
    if record.request_hash != fingerprint:
        raise ValidationFailed.for_field(
            "header.Idempotency-Key",
            "this key was already used with a different request body",
            kind=RULE_ERROR,  # a well-formed key, refused for what is stored
        )
    if record.state != "done" or record.response_status is None:
        raise Conflict("A request with this Idempotency-Key is still in progress; retry later.")
    headers = record.response_headers or {}
    return ItemAnswer(
        body=(record.response_body or "").encode(),
        status=record.response_status,
        location=headers.get("location"),
        replayed=True,
    )


def complete(session: Session, *, owner: str, key: IdempotencyKey, answer: ItemAnswer) -> None:
    """Store the answer with the write, in the same transaction."""
    record = _record(session, owner=owner, key=key)
    record.state = "done"
    record.response_status = answer.status
    # The headers as sent (the stored form predates `ItemAnswer`); a replay reads the
    # `Location` back and tags the stored body again, which gives the same ETag.
    headers = {"etag": etag_of(answer.body)}
    if answer.location is not None:
        headers["location"] = answer.location
    headers["content-type"] = "application/json"
    record.response_headers = headers
    record.response_body = answer.body.decode("utf-8")
    session.flush()


def _record(session: Session, *, owner: str, key: IdempotencyKey) -> IdempotencyRecord:
    return session.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key.value
        )
    ).one()
