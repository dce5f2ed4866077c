"""Typed application errors and the one RFC 9457 problem+json renderer for every 4xx/5xx."""

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
PROBLEM_TYPE_BASE = "https://sco-trade-api.example/problems/"

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

    type: str = Field(examples=[PROBLEM_TYPE_BASE + "not-found"])
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

    def __init_subclass__(cls, *, problem: tuple[int, str, str] | None = None, **kw: Any) -> None:
        """A kind of problem states its (status, type slug, title); its subclasses are it."""
        super().__init_subclass__(**kw)
        if problem is not None:
            cls.status, cls.slug, cls.title = problem


# The kinds below are also the OpenAPI document's list of problems (`app/openapi.py` reads
# every subclass). `TooManyRequests` is never raised, nor `BadRequest` on the paths of the
# document: FastAPI (a body it cannot parse) and the rate limiter answer those statuses
# themselves, before any service runs (only SDMX REST, outside the document, raises a 400:
# `app.sdmx.errors`); so does the body limit for most 413s (`PayloadTooLarge` is raised only
# by an import whose compressed file expands past the limit). They stay so that the document
# describes those answers.
class BadRequest(AppError, problem=(400, "bad-request", "Bad Request")): ...


class Unauthorized(AppError, problem=(401, "unauthorized", "Unauthorized")): ...


class Forbidden(AppError, problem=(403, "forbidden", "Forbidden")): ...


class NotFound(AppError, problem=(404, "not-found", "Not Found")): ...


class Conflict(AppError, problem=(409, "conflict", "Conflict")): ...


class NotAcceptable(AppError, problem=(406, "not-acceptable", "Not Acceptable")): ...


class PreconditionFailed(AppError, problem=(412, "precondition-failed", "Precondition Failed")): ...


class PayloadTooLarge(AppError, problem=(413, "payload-too-large", "Payload Too Large")): ...


class UnsupportedMediaType(
    AppError, problem=(415, "unsupported-media-type", "Unsupported Media Type")
): ...


class ValidationFailed(AppError, problem=(422, "validation-error", "Unprocessable Content")):
    @classmethod
    def for_field(cls, field: str, message: str, *, kind: str = "value_error") -> ValidationFailed:
        return cls(
            f"{field}: {message}", errors=[FieldError(field=field, message=message, type=kind)]
        )


class PreconditionRequired(
    AppError, problem=(428, "precondition-required", "Precondition Required")
): ...


class TooManyRequests(AppError, problem=(429, "rate-limited", "Too Many Requests")): ...


class ServiceUnavailable(AppError, problem=(503, "service-unavailable", "Service Unavailable")): ...


def problem_response(
    request: Request | None,
    *,
    status: int,
    detail: str,
    slug: str | None = None,
    title: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> Response:
    """Build the problem+json response; every error path of the service goes through here."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": title or phrase,
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
        slug=ValidationFailed.slug,
        title=ValidationFailed.title,
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
        slug=exc.slug,
        title=exc.title,
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
            slug="service-unavailable",
            title="Service Unavailable",
            detail="The database is unreachable; retry after the seconds in Retry-After.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    if isinstance(exc, IntegrityError) and _is_unique_violation(exc):
        # Two writes raced for the same unique value, or a body repeats one that exists.
        return problem_response(
            request,
            status=409,
            slug="conflict",
            title="Conflict",
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
        slug="internal-error",
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
