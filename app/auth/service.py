"""Creating, listing, revoking and checking API keys.

Keys carry 32 random bytes (256 bits), so a single SHA-256 is enough to store them: there
is nothing to brute-force that a slow password hash would protect. Comparison of hashes
is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import SCOPES, ApiKey
from app.db.types import utcnow
from app.errors import Conflict, NotFound, ValidationFailed

KEY_PREFIX = "sco_"
PREFIX_LENGTH = 12  # characters of the key kept in clear to find its row


@dataclass(frozen=True)
class Principal:
    """Who is making a request: the key's name and scope (never the key itself)."""

    name: str
    scope: str


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, *, name: str, scope: str) -> str:
    """Store a new key's hash and return the key; it is never shown again."""
    if scope not in SCOPES:
        raise ValidationFailed.for_field("scope", f"must be one of {', '.join(SCOPES)}")
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise Conflict(f"A key named {name!r} exists already.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, scope=scope, prefix=key[:PREFIX_LENGTH], key_hash=_hash(key)))
    session.flush()
    return key


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.name)))


def revoke_key(session: Session, name: str) -> None:
    key = session.scalars(select(ApiKey).where(ApiKey.name == name)).one_or_none()
    if key is None:
        raise NotFound(f"No key named {name!r}.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()


def authenticate(session: Session, presented: str) -> Principal | None:
    """The principal for a presented key, or None if it is unknown or revoked."""
    if not presented.startswith(KEY_PREFIX) or len(presented) > 200:
        return None
    candidates = session.scalars(
        select(ApiKey).where(ApiKey.prefix == presented[:PREFIX_LENGTH])
    ).all()
    presented_hash = _hash(presented)
    for candidate in candidates:
        if hmac.compare_digest(candidate.key_hash, presented_hash):
            if candidate.revoked_at is not None:
                return None
            candidate.last_used_at = utcnow()
            return Principal(name=candidate.name, scope=candidate.scope)
    return None
