"""The problems SDMX REST adds to the API's own (`app.errors`), with SDMX's status codes.

SDMX REST 2.1 (`sdmx-rest` v1.5, section "Error handling") answers a query whose result is
empty with 404 (its error 100, "No results found"), a query that does not follow its syntax
with 400 (140, "Syntax error"), and a feature of the standard a service does not offer with
501. Every one of them is an RFC 9457 problem, as every error of the API is.
"""

from __future__ import annotations

from app.errors import AppError, BadRequest, FieldError, NotFound


class NoResultsFound(
    NotFound,
    problem=(404, "no-results-found", "No Results Found"),
    about="An SDMX query names a dataflow, structure or code that does not exist, or its "
    "filters match no figure (SDMX REST's error 100); widen the key or the periods.",
): ...


class SyntaxFailed(BadRequest):
    """A path or query parameter SDMX REST does not allow: the problem names it."""

    @classmethod
    def for_field(cls, field: str, message: str) -> SyntaxFailed:
        return cls(f"{field}: {message}", errors=[FieldError(field=field, message=message)])


class NotImplementedHere(
    AppError,
    problem=(501, "not-implemented", "Not Implemented"),
    about="SDMX REST defines this query or option, but this service does not offer it; "
    "the detail names what it offers instead.",
): ...
