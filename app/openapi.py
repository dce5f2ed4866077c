"""The published OpenAPI document: FastAPI's, completed with the errors any operation can answer.

Routes declare the errors of their own logic (`responses=problem_responses(404, 409)`).
Errors that come from the cross-cutting layers — validation (422), body limits (413),
content types (415), unparsable bodies (400), authentication (401/403), rate limiting
(429) and an unreachable database (503), except on the paths the limiter exempts, unknown
items (404), an `Accept` that admits no type the operation answers (406) and the
catch-all (500) — are added here once, for every operation they can
reach, as `application/problem+json` referencing the `Problem` component. Nothing a route
declared is replaced; missing pieces (an example, the headers of a 429) are only added.

What the middleware and the write path do to every answer is declared here too, from one
table (`ANSWER_HEADERS`): `If-None-Match` and its 304 on every GET (`app.http.caching`),
the `ETag` of reads and of the items writes answer, `Location` of creations, `Link` of
paginated lists (those that take the paging dependency's `cursor`). `If-Match` and
`Idempotency-Key` are not here: the write dependencies read them as declared header
parameters (`app.writes.dependencies`). Operations that need no key say so
(`security: []`).

OpenAPI `links` are added too: from each create (201) to the operations on what it created,
so that clients and stateful testers (Schemathesis) can follow create → read → change →
delete, passing the new item's `ETag` as the `If-Match` of a change.

`python -m app.openapi > openapi.json` (or `make openapi`) writes the committed snapshot
that `tests/contract/test_openapi.py` compares with the generated document.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import sys
import threading
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI

from app.errors import PROBLEM_MEDIA_TYPE, Problem, problem_kind_of_status, problem_type
from app.http.language import PARAMETER as LANGUAGE_PARAMETER
from app.http.rate_limit import EXEMPT_PREFIXES as RATE_LIMIT_EXEMPT_PREFIXES
from app.vocabulary import LANGUAGES
from app.writes.dependencies import IF_MATCH

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PROBLEM_REF = "#/components/schemas/Problem"
# FastAPI's own 422 shape; the service never sends it (errors.py renders problem+json).
FASTAPI_VALIDATION_REFS = ("HTTPValidationError", "ValidationError")

# What a client sees in a problem's `detail` for the errors the service answers anywhere.
GENERIC_DETAILS: dict[int, str] = {
    400: "The request is malformed.",
    401: "A valid API key is required: send `Authorization: Bearer <key>`.",
    403: "The API key lacks the `write` scope.",
    404: "No resource at this path.",
    406: "This resource is available as application/json; `Accept: application/xml` admits "
    "none of them.",
    409: "The record is still referenced by other records; nothing was changed.",
    412: "The If-Match ETag does not match the current representation; nothing was changed.",
    413: "The request body is larger than 1 MiB.",
    415: "Content type text/plain is not supported here; send application/json.",
    422: "The request is not valid.",
    428: "This request needs an If-Match header with the ETag last read.",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
    500: "An unexpected error occurred; it has been logged.",
    503: "The service is temporarily unavailable; retry after the seconds in Retry-After.",
}

RATE_LIMIT_HEADERS: dict[str, Any] = {
    "Retry-After": {
        "description": "Seconds to wait before the next request will be accepted.",
        "schema": {"type": "integer", "examples": [30]},
    },
    "RateLimit-Policy": {
        "description": "The limit in force (IETF RateLimit header fields draft).",
        "schema": {"type": "string", "examples": ['"default";q=600;w=60']},
    },
    "RateLimit": {
        "description": "What is left of the limit and when it resets.",
        "schema": {"type": "string", "examples": ['"default";r=0;t=30']},
    },
}
RETRY_AFTER_HEADERS: dict[str, Any] = {"Retry-After": RATE_LIMIT_HEADERS["Retry-After"]}

ETAG_EXAMPLE = '"5d41402abc4b2a76b9719d911017c592"'
# Response headers, as components that answers refer to.
HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "The strong entity tag of this representation (a hash of its bytes): "
        "send it as `If-None-Match` to be told 304 while it is unchanged; an item's, as "
        "`If-Match` to change or delete the item only while it is in this state.",
        "schema": {"type": "string", "examples": [ETAG_EXAMPLE]},
    },
    "Location": {
        "description": "The URL of the item just created.",
        "schema": {"type": "string", "format": "uri-reference", "examples": ["/api/v1/areas/XKX"]},
    },
    "Content-Language": {
        "description": "The language of the names and labels in this answer: `lang` if given, "
        "else the best of `Accept-Language`, else (or for any other language) `en`. Such an "
        "answer also carries `Vary: Accept-Language`.",
        "schema": {"type": "string", "enum": list(LANGUAGES), "examples": ["ru"]},
    },
    "Link": {
        "description": 'The next page while more items follow (RFC 8288, `rel="next"`); '
        "absent on the last page, whose `next_cursor` is null.",
        "schema": {
            "type": "string",
            "examples": ['<http://127.0.0.1:8000/api/v1/areas?limit=50&cursor=…>; rel="next"'],
        },
    },
}
# Which answers carry which of HEADERS, by method and status; a paginated list's 200 also
# carries `Link`, an answer with content of an operation that takes `lang` its
# `Content-Language`, and a 304 (NOT_MODIFIED) its `ETag`.
ANSWER_HEADERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "200"): ("ETag",),
    ("POST", "201"): ("Location", "ETag"),
    ("PATCH", "200"): ("ETag",),
}
PAGING_PARAMETER = "cursor"  # the paging dependency's (`app.http.pagination`)
NOT_MODIFIED_REF = "#/components/responses/NotModified"
IF_NONE_MATCH: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "ETags of representations the client holds: while the answer would still "
    "be one of them, 304 with no body (compared weakly; `*` matches any).",
    "schema": {"type": "string", "examples": [ETAG_EXAMPLE]},
}
NOT_MODIFIED: dict[str, Any] = {
    "description": "Not Modified: the representation named in `If-None-Match` is current.",
    "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every (METHOD, path, operation) of the document, in document order."""
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method.upper(), path, operation


def _parameter_example(parameter: dict[str, Any]) -> Any:
    if "example" in parameter:
        return parameter["example"]
    for holder in (parameter, parameter.get("schema", {})):
        examples = holder.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        if isinstance(examples, dict) and examples:
            first = next(iter(examples.values()))
            if isinstance(first, dict) and "value" in first:
                return first["value"]
    return None


def _example_instance(path: str, operation: dict[str, Any]) -> str:
    """The path with each `{param}` replaced by its example, when it has one."""
    values = {
        p["name"]: _parameter_example(p)
        for p in operation.get("parameters", [])
        if p.get("in") == "path"
    }

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return re.sub(r"\{([^}]+)\}", fill, path)


def problem_example(status: int, path: str, operation: dict[str, Any]) -> dict[str, Any]:
    """A realistic problem body for `status` on this operation."""
    kind = problem_kind_of_status(status)
    instance = _example_instance(path, operation)
    example: dict[str, Any] = {
        "type": problem_type(kind),
        "title": kind.title if kind else _phrase(status),
        "status": status,
        "detail": GENERIC_DETAILS.get(status, f"{_phrase(status)}."),
        "instance": instance,
    }
    if status == 404:
        example["detail"] = f"No resource at {instance}."
    if status == 422:
        parameters = [p for p in _refusable_parameters(operation) if p["in"] in ("path", "query")]
        field = f"{parameters[0]['in']}.{parameters[0]['name']}" if parameters else "body"
        message = "Input should be a valid value"
        example["detail"] = f"{field}: {message}"
        example["errors"] = [{"field": field, "message": message, "type": "value_error"}]
    return example


def _generic_statuses(path: str, operation: dict[str, Any]) -> list[int]:
    """The errors the cross-cutting layers can answer for this operation."""
    statuses = [500]
    # Probes and scrapers are not counted by the rate limiter, so they never see a 429;
    # everything else reads the database, which can be briefly unreachable (503).
    if not path.startswith(RATE_LIMIT_EXEMPT_PREFIXES):
        statuses += [429, 503]
    parameters = _refusable_parameters(operation)
    has_body = "requestBody" in operation
    if parameters or has_body:
        statuses.append(422)
    # An item path can name something that does not exist; a fixed path (a collection)
    # always exists, and 405 is never the answer for a method an operation documents.
    if any(p.get("in") == "path" for p in parameters):
        statuses.append(404)
    if has_body:
        statuses += [400, 413, 415]  # 400: a body that is not text in its declared encoding
    if operation.get("security"):
        statuses += [401, 403]
    if _answers_content(operation):
        statuses.append(406)  # `Accept` admits none of its types (app.http.negotiation)
    return sorted(statuses)


def _refusable_parameters(operation: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameters whose value can be refused (422): all but `If-None-Match`, which any
    value satisfies."""
    return [
        p for p in operation.get("parameters", []) if not _is(p, "header", IF_NONE_MATCH["name"])
    ]


def _is(parameter: dict[str, Any], location: str, name: str) -> bool:
    return bool(parameter.get("in") == location and parameter.get("name") == name)


def _takes(operation: dict[str, Any], location: str, name: str) -> bool:
    return any(_is(p, location, name) for p in operation.get("parameters", []))


def _answers_content(operation: dict[str, Any]) -> bool:
    return any(
        code.startswith("2") and response.get("content")
        for code, response in operation.get("responses", {}).items()
    )


def _is_fastapi_validation(response: dict[str, Any]) -> bool:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").rsplit("/", 1)[-1] in FASTAPI_VALIDATION_REFS


def _complete_error_response(
    status: int, response: dict[str, Any], path: str, operation: dict[str, Any]
) -> None:
    content = response.setdefault("content", {})
    if PROBLEM_MEDIA_TYPE not in content:
        content[PROBLEM_MEDIA_TYPE] = {"schema": {"$ref": PROBLEM_REF}}
    problem_media = content[PROBLEM_MEDIA_TYPE]
    # `problem_responses()` passes `model=Problem`, which FastAPI also lists as
    # application/json; errors are only ever sent as problem+json, so that entry goes.
    plain = content.get("application/json")
    if plain is not None and plain.get("schema", {}).get("$ref") == PROBLEM_REF:
        del content["application/json"]
    if problem_media.get("schema", {}).get("$ref") == PROBLEM_REF and not (
        "example" in problem_media or "examples" in problem_media
    ):
        problem_media["example"] = problem_example(status, path, operation)
    if "headers" not in response:
        if status == 429:
            response["headers"] = copy.deepcopy(RATE_LIMIT_HEADERS)
        elif status == 503:
            response["headers"] = copy.deepcopy(RETRY_AFTER_HEADERS)


def add_problem_responses(document: dict[str, Any]) -> None:
    """Declare on every operation the problem+json errors it can answer (in place)."""
    for _method, path, operation in operations(document):
        responses: dict[str, Any] = operation.setdefault("responses", {})
        default_422 = responses.get("422")
        if default_422 is not None and _is_fastapi_validation(default_422):
            del responses["422"]
        for status in _generic_statuses(path, operation):
            responses.setdefault(str(status), {"description": _phrase(status), "content": {}})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:
                _complete_error_response(int(code), response, path, operation)
        operation["responses"] = dict(sorted(responses.items()))
    _ensure_problem_component(document)
    _drop_unused_schemas(document, FASTAPI_VALIDATION_REFS)


def _ensure_problem_component(document: dict[str, Any]) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    if "Problem" in schemas:
        return
    generated = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in generated.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas["Problem"] = generated


def _drop_unused_schemas(document: dict[str, Any], names: tuple[str, ...]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    for name in names:
        if name not in schemas:
            continue
        without = {key: value for key, value in document.items() if key != "components"}
        others = {key: value for key, value in schemas.items() if key != name}
        if f'"#/components/schemas/{name}"' not in json.dumps([without, others]):
            del schemas[name]


def _path_params(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def _success_schema_ref(operation: dict[str, Any]) -> str | None:
    for status in ("200", "201"):
        content = operation.get("responses", {}).get(status, {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref")
        if ref:
            return str(ref)
    return None


def _linked_paths(
    document: dict[str, Any], path: str, created_ref: str
) -> dict[str, dict[str, str]]:
    """Paths that take the id of what a POST on `path` creates, each with its link parameters.

    Those directly below the collection (`/meetings` → `/meetings/{id}`,
    `/meetings/{id}/sessions`: the parent's parameters are the request's), and item paths
    that answer with the created schema (`/meetings/{id}/sessions` creates a `SessionOut`,
    read at `/sessions/{id}`).
    """
    known = _path_params(path)
    found: dict[str, dict[str, str]] = {}
    for other, item in document.get("paths", {}).items():
        names = _path_params(other)
        if other.startswith(path + "/{") and len(names) == len(known) + 1:
            found[other] = {
                name: f"$request.path.{name}" if name in known else "$response.body#/id"
                for name in names
            }
        elif len(names) == 1 and any(
            _success_schema_ref(operation) == created_ref
            for method, operation in item.items()
            if method in ("get", "patch")
        ):
            found[other] = {names[0]: "$response.body#/id"}
    return found


def add_links(document: dict[str, Any]) -> None:
    """Link each create (201) to the operations on what it created, by the new `id`."""
    paths = document.get("paths", {})
    for method, path, operation in list(operations(document)):
        created = operation.get("responses", {}).get("201")
        created_ref = _success_schema_ref(operation)
        if method != "POST" or created is None or created_ref is None:
            continue
        links: dict[str, Any] = created.setdefault("links", {})
        for other, parameters in _linked_paths(document, path, created_ref).items():
            for other_method, target in paths[other].items():
                if other_method not in HTTP_METHODS or "operationId" not in target:
                    continue
                link_parameters = dict(parameters)
                if _takes(target, "header", IF_MATCH):
                    link_parameters[f"header.{IF_MATCH}"] = "$response.header.ETag"
                links.setdefault(
                    target["operationId"],
                    {
                        "operationId": target["operationId"],
                        "parameters": link_parameters,
                        "description": f"{other_method.upper()} {other} with the new id.",
                    },
                )


def add_conditional_reads(document: dict[str, Any]) -> None:
    """`If-None-Match` and its 304 on every GET (the caching middleware answers them all)."""
    document.setdefault("components", {}).setdefault("responses", {})["NotModified"] = (
        copy.deepcopy(NOT_MODIFIED)
    )
    for method, _path, operation in operations(document):
        if method != "GET":
            continue
        if not _takes(operation, "header", IF_NONE_MATCH["name"]):
            operation.setdefault("parameters", []).append(copy.deepcopy(IF_NONE_MATCH))
        operation.setdefault("responses", {}).setdefault("304", {"$ref": NOT_MODIFIED_REF})


def add_answer_headers(document: dict[str, Any]) -> None:
    """The headers of ANSWER_HEADERS on the answers that carry them (as references)."""
    document.setdefault("components", {})["headers"] = copy.deepcopy(HEADERS)
    for method, _path, operation in operations(document):
        for status, response in operation.get("responses", {}).items():
            names = ANSWER_HEADERS.get((method, status), ())
            if method == "GET" and status == "200" and _takes(operation, "query", PAGING_PARAMETER):
                names += ("Link",)
            if status in ("200", "201") and _takes(operation, "query", LANGUAGE_PARAMETER):
                names += ("Content-Language",)
            if not names or "$ref" in response:
                continue
            headers = response.setdefault("headers", {})
            for name in names:
                headers.setdefault(name, {"$ref": f"#/components/headers/{name}"})


def declare_public_operations(document: dict[str, Any]) -> None:
    """`security: []` on every operation that declares no scheme: it needs no key."""
    for _method, _path, operation in operations(document):
        operation.setdefault("security", [])


def complete_document(document: dict[str, Any]) -> dict[str, Any]:
    """Every post-processing step, in order; returns the same (mutated) document."""
    declare_public_operations(document)
    add_conditional_reads(document)
    add_problem_responses(document)
    add_answer_headers(document)
    add_links(document)
    return document


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` (and so `/openapi.json`) return the completed document."""
    build: Callable[[], dict[str, Any]] = app.openapi
    # FastAPI caches its document and builds a new one when routes are added; each new
    # document is completed once.
    completed: list[dict[str, Any]] = []
    # One build at a time: the start-up build (`app.main`) and a first request that comes
    # before it ends share it.
    building = threading.Lock()

    def openapi() -> dict[str, Any]:
        with building:
            document = build()
            if not completed or completed[0] is not document:
                completed[:] = [complete_document(document)]
            return document

    app.openapi = openapi  # type: ignore[method-assign]


def render(document: dict[str, Any]) -> str:
    """The committed form of the document: stable, readable, diff-friendly."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def generate() -> str:
    """The snapshot text of the application's current document."""
    from app.main import create_app  # imported late: app.main imports this module

    return render(create_app().openapi())


def main() -> None:
    # Anything the app prints while it is built (a logger on stdout) must not end up
    # inside openapi.json: only the document goes to stdout.
    with contextlib.redirect_stdout(sys.stderr):
        text = generate()
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
