"""The write-key check every write route depends on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.auth.service import Principal
from app.db.dependencies import WriteSessionDep
from app.errors import Forbidden, Unauthorized

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="sco-trade-api"'}
# Declares the `bearerAuth` scheme in the OpenAPI document, and on every write operation;
# the answers stay ours (auto_error=False): 401/403 problems from `require_write_key`.
BEARER = HTTPBearer(
    scheme_name="bearerAuth",
    bearerFormat="sco_…",
    description="An API key with scope `write`, from `sco-api keys create`.",
    auto_error=False,
)


def require_write_key(
    request: Request,
    session: WriteSessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Principal:
    """401 without a valid key, 403 with a key that lacks the `write` scope."""
    token = credentials.credentials.strip() if credentials else None
    if not token:
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
