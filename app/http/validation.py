"""One 422 names every bad query parameter; a single-valued one sent twice is one of them.

FastAPI validates the declared types and patterns of the parameters and reports all it
finds at once. The checks against stored data and some vocabularies (an area code that
does not exist, an unknown indicator, a year out of range) are the services': they run
only when FastAPI found nothing, and stop at their first finding. Without more, a request
with a bad `sort` and an unknown `reporter` would hear of `sort`, then, once that is
fixed, of `reporter`.

So every 422 is completed here before it is sent: each declared query parameter that the
answer does not name yet is validated as FastAPI does (`app.http.query.declared_errors`),
and its `QueryCheck`s — the services' own functions, declared on the parameter — run on its
values. The completion runs on the error path only; a 200 costs nothing more.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.container import container_of
from app.errors import (
    FieldError,
    ValidationFailed,
    app_error_problem,
    field_errors,
    validation_problem,
)
from app.http.query import (
    QueryParameter,
    QueryShape,
    declared_errors,
    repeated_single,
    request_shape,
    values_of,
)

logger = logging.getLogger(__name__)


async def reject_repeated(request: Request) -> None:
    """A 422 when a single-valued query parameter is given more than once (every route)."""
    repeated = repeated_single(request_shape(request), request.query_params)
    if repeated:
        raise ValidationFailed("; ".join(e.message for e in repeated), errors=repeated)


def _parameter_of(field: str) -> str | None:
    """`reporter` for `query.reporter` (or `query.year.0`, an item of a list); else None."""
    location, _, rest = field.partition(".")
    return rest.partition(".")[0] if location == "query" else None


def _run_checks(
    request: Request, pending: list[tuple[QueryParameter, list[str]]]
) -> list[FieldError]:
    found: list[FieldError] = []
    try:
        with container_of(request).sessions() as session:
            for parameter, values in pending:
                field = f"query.{parameter.name}"
                for check in parameter.checks:
                    try:
                        check.run(session, values, field=field)
                    except ValidationFailed as failed:
                        found += failed.errors or [FieldError(field=field, message=failed.detail)]
                        break
    except SQLAlchemyError:
        # The database is not answering: the 422 names what was found without it.
        logger.warning("query checks skipped on %s: database unavailable", request.url.path)
    return found


def complete(request: Request, errors: list[FieldError]) -> list[FieldError]:
    """`errors` and those of every other query parameter of this request, in declaration order."""
    shape: QueryShape = request_shape(request)
    if not shape.parameters:
        return errors
    query = request.query_params
    named = {_parameter_of(error.field) for error in errors}
    found = list(errors)
    for error in field_errors(declared_errors(shape, query)):
        if _parameter_of(error.field) not in named:
            found.append(error)
    named |= {_parameter_of(error.field) for error in found}
    pending = [
        (parameter, values)
        for parameter in shape.parameters
        if parameter.checks
        and parameter.name not in named
        and (values := values_of(parameter, query))
    ]
    if pending:
        found += _run_checks(request, pending)

    def order(error: FieldError) -> tuple[int, int]:
        name = _parameter_of(error.field)
        return (0, 0) if name is None else (1, shape.position(name))

    return sorted(found, key=order)


async def _request_validation(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):  # registered for this type only
        raise exc
    errors = await run_in_threadpool(complete, request, field_errors(exc.errors()))
    return validation_problem(request, errors)


async def _validation_failed(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ValidationFailed):  # registered for this type only
        raise exc
    if not exc.errors:  # a refusal that names no input: nothing to complete
        return app_error_problem(request, exc)
    errors = await run_in_threadpool(complete, request, exc.errors)
    # The refusal's own summary stands while it still covers every error (an import's
    # "1000 problems or more"); errors the other parameters add call for a new one.
    detail = exc.detail if len(errors) == len(exc.errors) else None
    response = validation_problem(request, errors, detail)
    response.headers.update(exc.headers)
    return response


def install_validation(app: FastAPI) -> None:
    """Complete every 422 (after `install_error_handlers`, whose handlers these replace)."""
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(ValidationFailed, _validation_failed)
