"""Typed application errors and the one RFC 9457 problem+json renderer for every 4xx/5xx.

Each kind of problem (a subclass below) states its status, its type slug, its title and a
sentence that explains it: the one home of all four. A problem's `type` is the relative
reference `/problems/{slug}`, which this server answers with that explanation (HTML for a
browser, JSON otherwise: `app/web/router.py`); a status with no kind of its own is
`about:blank` (RFC 9457 §4.2.1).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match, Mount

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Relative (RFC 9457 §3.1.1 allows it): it resolves on whichever host answered, and the
# type of a problem is the same in every deployment.
PROBLEM_TYPE_PATH = "/problems/"
BLANK_TYPE = "about:blank"

# `FieldError.type` of input that is well formed (the OpenAPI schema allows it) yet cannot
# be accepted, for a reason no schema can state: it names a record that does not exist, it
# breaks a rule between fields or against stored data, or it is a cursor the service did
# not issue. Every other type means the input itself is malformed.
REFERENCE_ERROR = "reference_error"
RULE_ERROR = "rule_error"
INVALID_CURSOR = "invalid_cursor"
# What a mount of static files answers (every other method is a 405).
READ_METHODS = frozenset({"GET", "HEAD"})
# Seconds a client is asked to wait while the database is unreachable.
DATABASE_RETRY_AFTER = 2

logger = logging.getLogger("app.errors")


class FieldError(BaseModel):
    """One offending input: where it is, and what is wrong with it."""

    field: str = Field(examples=["query.year_from"])
    message: str = Field(examples=["year_from must not be after year_to"])
    type: str = Field(default="value_error", examples=["value_error"])
    line: int | None = Field(
        default=None, description="Line (CSV) or item number (JSON array) of a bulk import."
    )


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(
        description="The kind of problem: `/problems/{slug}` on this server explains it.",
        examples=[PROBLEM_TYPE_PATH + "not-found"],
    )
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No meeting with id 'no-such-meeting'."])
    instance: str = Field(examples=["/api/v1/meetings/no-such-meeting"])
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base of every error the services raise; rendered as problem+json by one handler."""

    status: int = 500
    slug: str = "internal-error"
    title: str = "Internal Server Error"
    description: str = (
        "The server failed in a way it did not foresee; the error has been logged, with the "
        "request id (X-Request-ID) to find it by."
    )

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors) if errors else None
        self.headers = headers or {}

    def __init_subclass__(
        cls, *, problem: tuple[int, str, str] | None = None, about: str = "", **kw: Any
    ) -> None:
        """A kind of problem states its (status, type slug, title) and what it means (one
        sentence, for its `/problems/{slug}` page); its subclasses are it."""
        super().__init_subclass__(**kw)
        if problem is not None:
            if not about:
                raise TypeError(f"{cls.__name__}: a kind of problem says what it means")
            cls.status, cls.slug, cls.title = problem
            cls.description = about


# The kinds below are also the OpenAPI document's list of problems (`app/openapi.py` reads
# every subclass). `MethodNotAllowed` and `TooManyRequests` are never raised, nor `BadRequest`
# on the paths of the document: FastAPI (a body it cannot parse), the router (a method a
# path does not answer) and the rate limiter answer those statuses themselves, before any
# service runs (only SDMX REST, outside the document, raises a 400: `app.sdmx.errors`); so
# does the body
# limit for most 413s (`PayloadTooLarge` is raised only by an import whose compressed file
# expands past the limit). They stay so that those answers have a type and a page.
class BadRequest(
    AppError,
    problem=(400, "bad-request", "Bad Request"),
    about="The request could not be read at all: its body is not text in its declared "
    "encoding, or not well-formed for its content type.",
): ...


class Unauthorized(
    AppError,
    problem=(401, "unauthorized", "Unauthorized"),
    about="Writes need an API key, sent as `Authorization: Bearer <key>`; the request had "
    "none, or one that is unknown or revoked.",
): ...


class Forbidden(
    AppError,
    problem=(403, "forbidden", "Forbidden"),
    about="The API key is valid but lacks the scope the operation needs (writes need `write`).",
): ...


class NotFound(
    AppError,
    problem=(404, "not-found", "Not Found"),
    about="Nothing exists at the path, or no record has the id it names; list the "
    "collection to find the ids there are.",
): ...


class MethodNotAllowed(
    AppError,
    problem=(405, "method-not-allowed", "Method Not Allowed"),
    about="The path exists but does not answer this HTTP method; the `Allow` header lists "
    "the methods it answers.",
): ...


class Conflict(
    AppError,
    problem=(409, "conflict", "Conflict"),
    about="The change would break the data's integrity (a record that others still "
    "reference, a unique value already taken) or repeats a request still in progress; "
    "nothing was changed.",
): ...


class NotAcceptable(
    AppError,
    problem=(406, "not-acceptable", "Not Acceptable"),
    about="The `Accept` header admits none of the media types the resource is available "
    "as; the detail names them.",
): ...


class PreconditionFailed(
    AppError,
    problem=(412, "precondition-failed", "Precondition Failed"),
    about="The `If-Match` ETag no longer matches the record (it changed since it was "
    "read); read it again and apply the change to what is there now.",
): ...


class PayloadTooLarge(
    AppError,
    problem=(413, "payload-too-large", "Content Too Large"),
    about="The request body is larger than this server takes (SCO_MAX_BODY_BYTES; for "
    "imports SCO_IMPORT_MAX_BYTES, also once decompressed); send less at a time.",
): ...


class UnsupportedMediaType(
    AppError,
    problem=(415, "unsupported-media-type", "Unsupported Media Type"),
    about="The body's Content-Type is not one the operation takes: JSON (merge-patch JSON "
    "for PATCH), and for imports also CSV and gzip.",
): ...


class ValidationFailed(
    AppError,
    problem=(422, "validation-error", "Unprocessable Content"),
    about="The request is well-formed but some of its input is not valid; `errors` lists "
    "every offending field (with its line, in an import) and what is wrong with it.",
):
    @classmethod
    def for_field(cls, field: str, message: str, *, kind: str = "value_error") -> ValidationFailed:
        return cls(
            f"{field}: {message}", errors=[FieldError(field=field, message=message, type=kind)]
        )


class PreconditionRequired(
    AppError,
    problem=(428, "precondition-required", "Precondition Required"),
    about="This server requires `If-Match` on PATCH and DELETE: read the record first and "
    "send the ETag it came with.",
): ...


class TooManyRequests(
    AppError,
    problem=(429, "rate-limited", "Too Many Requests"),
    about="The client sent more requests than its limit allows in the current window; "
    "wait the seconds in `Retry-After`.",
): ...


class ServiceUnavailable(
    AppError,
    problem=(503, "service-unavailable", "Service Unavailable"),
    about="The service cannot answer now (its database is unreachable, or not yet "
    "migrated); retry after the seconds in `Retry-After`.",
): ...


def problem_kinds() -> list[type[AppError]]:
    """Every kind of problem, by status: `AppError` itself is the 500."""
    kinds: list[type[AppError]] = []
    pending: list[type[AppError]] = [AppError]
    while pending:
        cls = pending.pop()
        if cls is AppError or "slug" in vars(cls):  # a kind, not a subclass of one
            kinds.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(kinds, key=lambda kind: kind.status)


def problem_kind(slug: str) -> type[AppError] | None:
    """The kind whose type slug is `slug`."""
    return next((kind for kind in problem_kinds() if kind.slug == slug), None)


def problem_kind_of_status(status: int) -> type[AppError] | None:
    """The general kind that answers `status` (`NotFound` for 404, not a narrower kind of
    404 such as SDMX's "No Results Found")."""
    kinds = [kind for kind in problem_kinds() if kind.status == status]
    return next((kind for kind in kinds if AppError in kind.__bases__), None) or next(
        iter(kinds), None
    )


def problem_type(kind: type[AppError] | None) -> str:
    """The `type` of a problem of `kind`: its page on this server; `about:blank` for a
    status that has no kind."""
    return PROBLEM_TYPE_PATH + kind.slug if kind else BLANK_TYPE


def problem_response(
    request: Request | None,
    *,
    status: int,
    detail: str,
    kind: type[AppError] | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> Response:
    """Build the problem+json response; every error path of the service goes through here.
    `kind` defaults to the kind of `status`."""
    kind = kind or problem_kind_of_status(status)
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": problem_type(kind),
        "title": kind.title if kind else phrase,
        "status": status,
        "detail": detail,
        "instance": instance if instance is not None else (request.url.path if request else ""),
    }
    if errors:
        body["errors"] = [error.model_dump(exclude_none=True) for error in errors]
    return Response(
        orjson.dumps(body), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers
    )


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def field_errors(raw: Sequence[Any]) -> list[FieldError]:
    """FastAPI's (pydantic's) validation errors as `FieldError`s."""
    return [
        FieldError(field=_location(error["loc"]), message=error["msg"], type=error["type"])
        for error in raw
    ]


def validation_problem(
    request: Request, errors: Sequence[FieldError], detail: str | None = None
) -> Response:
    """The 422 naming every offending input (`detail`: the refusal's own summary, if any)."""
    detail = detail or "; ".join(f"{error.field}: {error.message}" for error in errors)
    return problem_response(
        request,
        status=422,
        detail=detail or "The request is not valid.",
        kind=ValidationFailed,
        errors=errors,
    )


async def _app_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, AppError):  # registered for this type only
        raise exc
    return app_error_problem(request, exc)


def app_error_problem(request: Request, exc: AppError) -> Response:
    """The problem+json answer of an `AppError`, as it states itself."""
    return problem_response(
        request,
        status=exc.status,
        detail=exc.detail,
        kind=type(exc),
        errors=exc.errors,
        headers=exc.headers,
    )


async def _request_validation(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):  # registered for this type only
        raise exc
    return validation_problem(request, field_errors(exc.errors()))


async def http_exception_problem(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):  # registered for this type only
        raise exc
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    elif exc.status_code == 405:
        detail = f"Method {request.method} is not allowed on {request.url.path}."
        headers["Allow"] = _allowed_methods(request)
    return problem_response(request, status=exc.status_code, detail=detail, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method some route answers at this path (Starlette names only the first route's).

    FastAPI keeps an included router as one entry of `app.routes`; `iter_route_contexts`
    lists the routes inside. HEAD is answered wherever GET is (the caching layer), and a
    mount of files is read-only.
    """
    methods: set[str] = set()
    # Matched as the request arrived: a mount that answered has moved `root_path` on.
    original = request.scope
    scope = {
        **original,
        "method": "GET",
        "root_path": original.get("app_root_path", original.get("root_path", "")),
    }
    for route in iter_route_contexts(request.app.router.routes):
        match, _ = route.matches(scope)
        if match is not Match.NONE:
            methods |= getattr(route, "methods", None) or (
                READ_METHODS if isinstance(route.original_route, Mount) else set()
            )
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def _is_unique_violation(exc: IntegrityError) -> bool:
    # PostgreSQL says it with SQLSTATE 23505; SQLite only in the message.
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        exc.orig
    )


async def _database_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    ):
        # The database is down, restarting or unreachable: the request may succeed later, so
        # this is a 503 the client can retry, not a 500. Logged without the SQL or its values.
        logger.warning(
            "database unavailable on %s %s: %s",
            request.method,
            request.url.path,
            type(exc.orig).__name__ if isinstance(exc, DBAPIError) else type(exc).__name__,
        )
        return problem_response(
            request,
            status=503,
            kind=ServiceUnavailable,
            detail="The database is unreachable; retry after the seconds in Retry-After.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    if isinstance(exc, IntegrityError) and _is_unique_violation(exc):
        # Two writes raced for the same unique value, or a body repeats one that exists.
        return problem_response(
            request,
            status=409,
            kind=Conflict,
            detail="A record with the same unique value exists already; nothing was changed.",
        )
    return await _unhandled(request, exc)


async def _unhandled(request: Request, exc: Exception) -> Response:
    # Log the details for operators; the client gets no internals (no trace, no SQL).
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        request,
        status=500,
        detail="An unexpected error occurred; it has been logged.",
        kind=AppError,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, http_exception_problem)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unhandled)


# Declared on every route so the OpenAPI document lists the problem shape of each error.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
