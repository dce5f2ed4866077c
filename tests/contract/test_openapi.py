"""Quality of the published OpenAPI document, and its committed snapshot.

The example rule (`missing_examples`): every JSON body — each request body and each
response whose media type is `application/json` or `application/*+json` — has an example.
It has one when the media type carries `example`/`examples`, or when its schema does,
recursively: a schema with `example`/`examples`, a non-null `default`, an `enum` or a
`const` is exemplified; a `$ref` is exemplified when its component is; an object when every
one of its properties is; an array when its items are; `anyOf`/`oneOf`/`allOf` when every
non-null branch is. A bare scalar or a free-form object without examples is not. In models
that means: give every scalar field `Field(examples=[...])` (nested models then need
nothing more), or give the route an `openapi_examples`/`example` for the whole body.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from app.errors import PROBLEM_MEDIA_TYPE, problem_responses
from app.http.rate_limit import EXEMPT_PREFIXES
from app.main import create_app
from app.openapi import complete_document, install_openapi, operations, render

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.json"
PYPROJECT = SNAPSHOT.with_name("pyproject.toml")
CAMEL_CASE = re.compile(r"^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*$")
PROBLEM_REF = "#/components/schemas/Problem"
EXAMPLE_KEYS = ("example", "examples", "enum", "const")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    generated: dict[str, Any] = json.loads(render(create_app().openapi()))
    return generated


def _responses(operation: dict[str, Any]) -> dict[str, Any]:
    responses: dict[str, Any] = operation["responses"]
    return responses


# --- description, tags, operationIds ---------------------------------------------------


def test_document_has_description_and_described_tags(document: dict[str, Any]) -> None:
    assert document["info"]["description"].strip()
    declared = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    assert all(declared.values()), f"tags without a description: {declared}"
    untagged = [f"{m} {p}" for m, p, op in operations(document) if not op.get("tags")]
    assert not untagged, f"operations without a tag: {untagged}"
    undeclared = sorted(
        {tag for _m, _p, op in operations(document) for tag in op["tags"]} - declared.keys()
    )
    assert not undeclared, f"tags used but not declared in main.OPENAPI_TAGS: {undeclared}"


def test_every_route_sets_a_camel_case_operation_id() -> None:
    # FastAPI's generated ids (`get_area_api_v1_areas__code__get`) change with a rename or
    # a move; an explicit `operation_id=` keeps generated clients stable.
    routes = [
        (context.path, context.original_route)
        for context in iter_route_contexts(create_app().routes)
        if isinstance(context.original_route, APIRoute) and context.original_route.include_in_schema
    ]
    assert routes
    implicit = [f"{sorted(r.methods or ())} {path}" for path, r in routes if not r.operation_id]
    assert not implicit, f"routes without an explicit operation_id=: {implicit}"
    not_camel = [r.operation_id for _p, r in routes if not CAMEL_CASE.match(r.operation_id or "")]
    assert not not_camel, f"operationIds that are not camelCase: {not_camel}"


def test_operation_ids_are_unique(document: dict[str, Any]) -> None:
    seen: dict[str, list[str]] = defaultdict(list)
    for method, path, operation in operations(document):
        seen[operation["operationId"]].append(f"{method} {path}")
    duplicates = {key: where for key, where in seen.items() if len(where) > 1}
    assert not duplicates, f"duplicate operationIds: {duplicates}"


def test_every_operation_is_described(document: dict[str, Any]) -> None:
    missing = [
        f"{method} {path}"
        for method, path, operation in operations(document)
        if not operation.get("description", "").strip()
    ]
    assert not missing, f"operations without a docstring/description: {missing}"


def test_every_route_states_its_summary() -> None:
    # FastAPI's default is the handler's name in Title Case ("List Sco Members"); routes take
    # theirs from app.http.summaries ("List SCO members", "Create an area").
    routes = [
        (context.path, context.original_route)
        for context in iter_route_contexts(create_app().routes)
        if isinstance(context.original_route, APIRoute) and context.original_route.include_in_schema
    ]
    implicit = [f"{sorted(r.methods or ())} {path}" for path, r in routes if not r.summary]
    assert not implicit, f"routes without summary= (see app.http.routes.named): {implicit}"


# --- what outside tools read: servers, licence, security, headers, examples ---------------


def test_document_names_its_server_licence_and_contact(document: dict[str, Any]) -> None:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    info = document["info"]
    assert info["license"]["identifier"] == project["license"]
    assert info["contact"]["name"]
    assert "example" not in str(info["contact"])  # no invented address
    assert [server["url"] for server in document["servers"]] == ["/"]


def test_every_operation_says_which_key_it_needs(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        writes = method in ("POST", "PATCH", "PUT", "DELETE")
        expected: list[dict[str, list[str]]] = [{"bearerAuth": []}] if writes else []
        assert operation.get("security") == expected, f"{method} {path}"


def _header_parameters(operation: dict[str, Any]) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def _answer_headers(operation: dict[str, Any], status: str) -> set[str]:
    return set(_responses(operation).get(status, {}).get("headers", {}))


def test_conditional_requests_and_their_headers_are_declared(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in operations(document):
        where = f"{method} {path}"
        headers = _header_parameters(operation)
        if method == "GET":
            if "If-None-Match" not in headers or "304" not in _responses(operation):
                wrong.append(f"{where}: no If-None-Match / 304")
            if "ETag" not in _answer_headers(operation, "200"):
                wrong.append(f"{where}: 200 without ETag")
        elif method == "POST" and "201" in _responses(operation):
            if headers != {"Idempotency-Key"}:
                wrong.append(f"{where}: headers {headers}")
            if _answer_headers(operation, "201") - {"Content-Language"} != {"Location", "ETag"}:
                wrong.append(f"{where}: 201 without Location and ETag")
        elif method in ("PATCH", "DELETE"):
            if headers != {"If-Match"}:
                wrong.append(f"{where}: headers {headers}")
            if method == "PATCH" and "ETag" not in _answer_headers(operation, "200"):
                wrong.append(f"{where}: 200 without ETag")
    assert not wrong, "\n".join(wrong)
    headers = document["components"]["headers"]
    assert {"ETag", "Location", "Link"} <= headers.keys()


def test_answers_in_a_language_declare_their_content_language(document: dict[str, Any]) -> None:
    in_a_language = [
        (method, path, operation)
        for method, path, operation in operations(document)
        if any(p["name"] == "lang" for p in operation.get("parameters", []))
    ]
    assert len(in_a_language) >= 10  # areas, members, indicators and the pages, read and written
    for method, path, operation in in_a_language:
        for status in {"200", "201"} & set(_responses(operation)):
            assert "Content-Language" in _answer_headers(operation, status), (method, path)
    assert "Content-Language" in document["components"]["headers"]


def test_paginated_lists_declare_their_link_header(document: dict[str, Any]) -> None:
    paginated = [
        (method, path, operation)
        for method, path, operation in operations(document)
        if any(p["name"] == "cursor" for p in operation.get("parameters", []))
    ]
    assert len(paginated) > 10
    missing = [
        f"{method} {path}"
        for method, path, operation in paginated
        if "Link" not in _answer_headers(operation, "200")
    ]
    assert not missing, f"lists without a Link header: {missing}"


def _is_array(schema: dict[str, Any]) -> bool:
    branches = schema.get("anyOf", [schema])
    return any(branch.get("type") == "array" for branch in branches)


def test_examples_of_repeatable_parameters_are_lists(document: dict[str, Any]) -> None:
    wrong = [
        f"{method} {path} {parameter['name']}: {example!r}"
        for method, path, operation in operations(document)
        for parameter in operation.get("parameters", [])
        if _is_array(parameter.get("schema", {}))
        for example in parameter["schema"].get("examples", [])
        if not isinstance(example, list)
    ]
    assert not wrong, "\n".join(wrong)


# --- error responses -------------------------------------------------------------------


def _expected_errors(path: str, operation: dict[str, Any]) -> set[str]:
    expected = {"500"} if path.startswith(EXEMPT_PREFIXES) else {"429", "500"}
    # `If-None-Match` takes any value: never a 422.
    parameters = [p for p in operation.get("parameters", []) if p["name"] != "If-None-Match"]
    if parameters or "requestBody" in operation:
        expected.add("422")
    if any(p["in"] == "path" for p in parameters):
        expected.add("404")
    if "requestBody" in operation:
        expected |= {"413", "415"}
    if operation.get("security"):
        expected |= {"401", "403"}
    return expected


def test_every_operation_declares_the_errors_it_can_answer(document: dict[str, Any]) -> None:
    missing = {
        f"{method} {path}": sorted(_expected_errors(path, operation) - _responses(operation).keys())
        for method, path, operation in operations(document)
    }
    missing = {where: codes for where, codes in missing.items() if codes}
    assert not missing, f"undeclared error responses: {missing}"


def test_every_error_response_is_a_problem_with_an_example(document: dict[str, Any]) -> None:
    wrong = []
    for method, path, operation in operations(document):
        for code, response in _responses(operation).items():
            if not code.isdigit() or int(code) < 400:
                continue
            content = response.get("content", {})
            media = content.get(PROBLEM_MEDIA_TYPE, {})
            if list(content) != [PROBLEM_MEDIA_TYPE] or media.get("schema", {}).get("$ref") != (
                PROBLEM_REF
            ):
                wrong.append(f"{method} {path} {code}: content {content}")
            elif not ("example" in media or "examples" in media):
                wrong.append(f"{method} {path} {code}: no example")
    assert not wrong, "\n".join(wrong)
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas, "FastAPI's 422 shape is never sent"
    assert {"type", "title", "status", "detail", "instance"} <= set(
        schemas["Problem"]["properties"]
    )


def test_rate_limited_responses_document_their_headers(document: dict[str, Any]) -> None:
    limited = [(m, p, op) for m, p, op in operations(document) if not p.startswith(EXEMPT_PREFIXES)]
    assert limited
    for method, path, operation in limited:
        headers = _responses(operation)["429"].get("headers", {})
        assert {"Retry-After", "RateLimit-Policy", "RateLimit"} <= headers.keys(), (
            f"{method} {path}"
        )


def test_generic_errors_never_overwrite_what_a_route_declared() -> None:
    app = FastAPI(docs_url=None, redoc_url=None)
    custom_404 = problem_responses(404)[404]
    custom_404["description"] = "No such widget"
    custom_404["content"][PROBLEM_MEDIA_TYPE]["example"] = {"detail": "mine"}

    @app.get("/widgets/{wid}", operation_id="getWidget", responses={404: custom_404})
    def get_widget(wid: str) -> dict[str, str]:
        """One widget."""
        return {"id": wid}

    @app.get("/widgets", operation_id="listWidgets")
    def list_widgets() -> list[str]:
        """All widgets."""
        return []

    install_openapi(app)
    document = app.openapi()
    item = document["paths"]["/widgets/{wid}"]["get"]["responses"]
    assert item["404"]["description"] == "No such widget"
    assert item["404"]["content"] == {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}, "example": {"detail": "mine"}}
    }
    assert {"404", "422", "429", "500"} <= item.keys()
    collection = document["paths"]["/widgets"]["get"]["responses"]
    # No parameters: nothing to validate and nothing that could be missing.
    assert "422" not in collection
    assert "404" not in collection
    assert complete_document(json.loads(json.dumps(document))) == document  # idempotent


def test_openapi_json_serves_the_completed_document(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["paths"]["/api/v1/areas/{code}"]["get"]["responses"]["429"]["headers"]


# --- examples --------------------------------------------------------------------------


class _ExampleCheck:
    """Walks schemas by the rule in the module docstring; remembers every bare leaf."""

    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.missing: dict[str, set[str]] = defaultdict(set)
        self.done: dict[str, bool] = {}

    def component(self, name: str) -> bool:
        if name not in self.done:
            self.done[name] = True  # a recursive reference counts as fine while walking
            self.done[name] = self.schema(self.components[name], name, "")
        return self.done[name]

    def schema(self, schema: dict[str, Any], owner: str, where: str) -> bool:
        if any(key in schema for key in EXAMPLE_KEYS):
            return True
        if schema.get("default") is not None or schema.get("type") == "null":
            return True
        if "$ref" in schema:
            return self.component(schema["$ref"].rsplit("/", 1)[-1])
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                # Every branch is walked (no short-circuit) so that every bare field is listed.
                results = [self.schema(part, owner, where) for part in schema[key]]
                return all(results)
        if schema.get("type") == "array" and "items" in schema:
            return self.schema(schema["items"], owner, f"{where}[]")
        if "properties" in schema:
            results = [
                self.schema(sub, owner, f"{where}.{name}" if where else name)
                for name, sub in schema["properties"].items()
            ]
            return all(results)
        self.missing[owner].add(where or "(the whole body)")
        return False


def _json_bodies(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for method, path, operation in operations(document):
        bodies = [("request body", operation.get("requestBody", {}).get("content", {}))]
        bodies += [(code, r.get("content", {})) for code, r in _responses(operation).items()]
        for label, content in bodies:
            for media_type, media in content.items():
                if media_type == "application/json" or media_type.endswith("+json"):
                    yield f"{method} {path} {label} {media_type}", path, media


def _reachable(schema: Any, components: dict[str, Any], seen: set[str]) -> set[str]:
    """Names of the components `schema` refers to, directly or through others."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and (name := ref.rsplit("/", 1)[-1]) not in seen:
            seen.add(name)
            _reachable(components.get(name, {}), components, seen)
        for value in schema.values():
            _reachable(value, components, seen)
    elif isinstance(schema, list):
        for value in schema:
            _reachable(value, components, seen)
    return seen


def missing_examples(document: dict[str, Any]) -> list[str]:
    """One line per schema that lacks examples: its bare fields and where it is used."""
    components = document.get("components", {}).get("schemas", {})
    check = _ExampleCheck(components)
    used_by: dict[str, set[str]] = defaultdict(set)
    for where, _path, media in _json_bodies(document):
        if "example" in media or "examples" in media:
            continue
        schema = media.get("schema", {})
        inline = f"<inline: {where}>"
        if not check.schema(schema, inline, ""):
            for name in _reachable(schema, components, set()) | {inline}:
                used_by[name].add(where)
    lines = []
    for name in sorted(check.missing):
        fields = ", ".join(sorted(check.missing[name]))
        users = "; ".join(sorted(used_by[name])[:3])
        suffix = "" if name.startswith("<inline") else f"  (e.g. {users})"
        lines.append(f"{name}: {fields}{suffix}")
    return lines


def test_the_example_rule_finds_bare_fields() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/x": {
                "get": {
                    "responses": {
                        "200": {"content": {"application/json": {"schema": {"$ref": "#/c/Outer"}}}}
                    }
                }
            }
        },
        "components": {
            "schemas": {
                "Outer": {
                    "properties": {
                        "inner": {"anyOf": [{"$ref": "#/c/Inner"}, {"type": "null"}]},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "kind": {"enum": ["a", "b"]},
                    }
                },
                "Inner": {
                    "properties": {
                        "name": {"type": "string", "examples": ["x"]},
                        "size": {"type": "integer"},
                    }
                },
            }
        },
    }
    assert missing_examples(document) == [
        "Inner: size  (e.g. GET /x 200 application/json)",
        "Outer: tags[]  (e.g. GET /x 200 application/json)",
    ]
    media = document["paths"]["/x"]["get"]["responses"]["200"]["content"]["application/json"]
    media["example"] = {"tags": []}
    assert missing_examples(document) == []


def test_every_json_body_has_an_example(document: dict[str, Any]) -> None:
    offenders = missing_examples(document)
    assert not offenders, "schemas whose fields lack Field(examples=[...]):\n" + "\n".join(
        offenders
    )


# --- snapshot --------------------------------------------------------------------------


def _differences(old: Any, new: Any, where: str = "$") -> Iterator[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            if key not in new:
                yield f"removed {where}.{key}"
            elif key not in old:
                yield f"added {where}.{key}"
            else:
                yield from _differences(old[key], new[key], f"{where}.{key}")
    elif old != new:
        yield f"changed {where}"


def test_committed_snapshot_matches_the_generated_document(document: dict[str, Any]) -> None:
    assert SNAPSHOT.exists(), "openapi.json is missing: run `make openapi` and review the diff"
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if committed != document:
        changes = list(_differences(committed, document))
        shown = "\n".join(changes[:20]) + ("\n..." if len(changes) > 20 else "")
        pytest.fail(
            "openapi.json differs from the generated document: run `make openapi` and review "
            f"the diff.\n{len(changes)} difference(s):\n{shown}"
        )
