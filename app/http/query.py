"""What a route declares about its query string, read once from FastAPI's own declaration.

Three rules hold for every route because they are read from here, not written per route:

* A single-valued parameter sent more than once is a 422 naming it (`repeated_single`):
  FastAPI would silently keep the last value, so `limit=5&limit=10` would answer 10.
  Parameters declared as lists take repetition (`?country=KZ&country=CN`) as designed.
* Cursors are bound to the parameters that choose and order the rows (`rows_digest`).
* A parameter may carry `QueryCheck`s, the checks its service makes against stored data or
  a vocabulary; a 422 then names every bad parameter at once (`app.http.validation`).
"""

from __future__ import annotations

import hashlib
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import orjson
from fastapi.dependencies.utils import get_flat_params, request_params_to_args
from fastapi.params import Query
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request

from app.errors import FieldError
from app.http.language import PARAMETER as LANGUAGE_PARAMETER
from app.http.params import split_values

# Parameters that say how much to show or in which form (or language), not which rows: a
# cursor stays valid when they change.
PRESENTATION = frozenset({"cursor", "limit", "format", LANGUAGE_PARAMETER})
_SEQUENCES = (list, tuple, set, frozenset)
_SHAPE_ATTRIBUTE = "_sco_query_shape"


@dataclass(frozen=True)
class QueryCheck:
    """A check of a parameter's values that the service also makes, declared on the parameter.

    `check(session, values, field=...)` raises `ValidationFailed` naming `field` (the
    service's own function, so the rule has one home). It runs only to complete a 422: when
    another parameter is already refused, the answer still names this one if it is bad too.
    Usage: `Annotated[list[FilterValue] | None, Query(...), QueryCheck(resolve_area_codes)]`.
    """

    check: Callable[..., object]

    @classmethod
    def of_values(cls, check: Callable[..., object]) -> QueryCheck:
        """A check that needs no stored data (a vocabulary, a range): `check(values, field=)`."""

        def run(_session: Session, values: list[str], *, field: str) -> object:
            return check(values, field=field)

        return cls(run)

    def run(self, session: Session, values: list[str], *, field: str) -> None:
        self.check(session, values, field=field)


@dataclass(frozen=True)
class QueryParameter:
    name: str  # as written in the URL (the alias)
    repeatable: bool  # declared as a list: repetition and commas give several values
    checks: tuple[QueryCheck, ...]


@dataclass(frozen=True)
class QueryShape:
    """The query parameters one route declares, in declaration order."""

    parameters: tuple[QueryParameter, ...]
    fields: tuple[Any, ...]  # FastAPI's ModelFields of those parameters, to validate them

    def position(self, name: str) -> int:
        """Where `name` is declared (unknown names last), to list errors in that order."""
        names = [parameter.name for parameter in self.parameters]
        return names.index(name) if name in names else len(names)


EMPTY_SHAPE = QueryShape((), ())


def _repeatable(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _repeatable(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return any(_repeatable(arg) for arg in get_args(annotation) if arg is not type(None))
    return origin in _SEQUENCES or annotation in _SEQUENCES


def query_shape(route: object) -> QueryShape:
    """The query parameters `route` declares (none for a route that is not FastAPI's).

    Read from the route's dependant, with its dependencies' parameters (`limit`, `cursor`),
    once per route: the result is kept on the route object.
    """
    if not isinstance(route, APIRoute):
        return EMPTY_SHAPE
    shape: QueryShape | None = getattr(route, _SHAPE_ATTRIBUTE, None)
    if shape is None:
        fields = tuple(
            field
            for field in get_flat_params(route.dependant)
            if isinstance(field.field_info, Query)
        )
        parameters = tuple(
            QueryParameter(
                name=field.alias,
                repeatable=_repeatable(field.field_info.annotation),
                checks=tuple(m for m in field.field_info.metadata if isinstance(m, QueryCheck)),
            )
            for field in fields
        )
        shape = QueryShape(parameters, fields)
        setattr(route, _SHAPE_ATTRIBUTE, shape)
    return shape


def request_shape(request: Request) -> QueryShape:
    return query_shape(request.scope.get("route"))


def repeated_single(shape: QueryShape, query: QueryParams) -> list[FieldError]:
    """A 422 error for each single-valued parameter that `query` gives more than once."""
    errors = []
    for parameter in shape.parameters:
        if parameter.repeatable:
            continue
        values = query.getlist(parameter.name)
        if len(values) > 1:
            errors.append(
                FieldError(
                    field=f"query.{parameter.name}",
                    message=f"give `{parameter.name}` once (it was given {len(values)} times)",
                    type="repeated_parameter",
                )
            )
    return errors


def declared_errors(shape: QueryShape, query: QueryParams) -> list[dict[str, Any]]:
    """FastAPI's own validation errors of the declared parameters (its format)."""
    _values, errors = request_params_to_args(list(shape.fields), query)
    return errors


def values_of(parameter: QueryParameter, query: QueryParams) -> list[str]:
    """The values a parameter was given, stripped: a list's, repeated or comma-separated."""
    given = query.getlist(parameter.name)
    if parameter.repeatable:
        return split_values(given)
    return [value.strip() for value in given if value.strip()]


def rows_digest(request: Request) -> bytes:
    """A digest of what chooses and orders the rows of this answer: the path and its
    declared parameters (presentation ones aside), each list as a set."""
    shape = request_shape(request)
    query = request.query_params
    chosen: list[tuple[str, list[str]]] = []
    for parameter in shape.parameters:
        if parameter.name in PRESENTATION or parameter.name not in query:
            continue
        values = values_of(parameter, query)
        chosen.append((parameter.name, sorted(set(values)) if parameter.repeatable else values))
    return hashlib.sha256(orjson.dumps([request.scope["path"], chosen])).digest()
