"""The write-key check every write route depends on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.auth import service
from app.auth.service import Principal
from app.db.dependencies import WriteSessionDep
from app.errors import Forbidden, Unauthorized

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="sco-trade-api"'}


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_write_key(request: Request, session: WriteSessionDep) -> Principal:
    """401 without a valid key, 403 with a key that lacks the `write` scope."""
    token = _bearer_token(request)
    if token is None:
        raise Unauthorized(
            "This operation needs `Authorization: Bearer <api key>`.", headers=CHALLENGE
        )
    principal = service.authenticate(session, token)
    if principal is None:
        raise Unauthorized("The API key is unknown or revoked.", headers=CHALLENGE)
    if principal.scope != "write":
        raise Forbidden("The API key lacks the `write` scope.")
    request.state.principal = principal.name
    return principal


WriterDep = Annotated[Principal, Depends(require_write_key)]
