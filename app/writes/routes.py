"""What every write operation declares alike, spread into its route decorator.

Operation id, summary, description, problem responses and the merge-patch body's schema
come from `create_route`, `update_route` and `delete_route`:

    @router.post("/areas", **create_route(AREA))
    def create_area(body: AreaIn, write: CreationDep) -> Response: ...

What the handlers take and how they answer is `app.writes.dependencies`.
"""

from __future__ import annotations

from typing import Any

from app.errors import problem_responses
from app.http.routes import RouteOptions
from app.http.summaries import sentence, with_article
from app.writes.resource import WritableResource

MERGE_PATCH = "application/merge-patch+json"
WRITE_ERRORS = (401, 403, 409, 413, 415, 422, 429)


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def create_route(resource: WritableResource[Any, Any]) -> RouteOptions:
    """The declaration of `POST` on the resource's collection (`createArea`)."""
    return RouteOptions(
        status_code=201,
        response_model=resource.out,
        operation_id=f"create{_camel(resource.name)}",
        summary=sentence("create", with_article(resource.noun)),
        description="Needs a `write` key. Honours `Idempotency-Key`.",
        responses={
            **problem_responses(*WRITE_ERRORS),
            201: {"description": "Created; `Location` and `ETag` name it."},
        },
    )


def update_route(resource: WritableResource[Any, Any]) -> RouteOptions:
    """The declaration of `PATCH` on an item (`updateArea`), with its merge-patch schema."""
    return RouteOptions(
        response_model=resource.out,
        operation_id=f"update{_camel(resource.name)}",
        summary=sentence("change", with_article(resource.noun), "(JSON merge patch)"),
        description=(
            "Needs a `write` key. Body: `application/merge-patch+json` (or `application/json`); "
            "honours `If-Match`."
        ),
        responses=problem_responses(*WRITE_ERRORS, 404, 412, 428),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    MERGE_PATCH: {"schema": patch_schema(resource)},
                    "application/json": {"schema": patch_schema(resource)},
                },
            }
        },
    )


def delete_route(resource: WritableResource[Any, Any]) -> RouteOptions:
    """The declaration of `DELETE` on an item (`deleteArea`)."""
    return RouteOptions(
        status_code=204,
        operation_id=f"delete{_camel(resource.name)}",
        summary=sentence("delete", with_article(resource.noun)),
        description=(
            "Needs a `write` key; honours `If-Match`. 409 while other records reference it."
        ),
        responses=problem_responses(*WRITE_ERRORS, 404, 412, 428),
    )


def patch_schema(resource: WritableResource[Any, Any]) -> dict[str, Any]:
    """The merge-patch body as it is checked: any of the writable fields, none required.

    The id (and a nested record's parent) can never change, and unknown fields are refused,
    so neither is in the schema. Nested models are the components the POST body declares.
    """
    schema = resource.body.model_json_schema(ref_template="#/components/schemas/{model}")
    fixed = {resource.id_field, resource.parent_field}
    required = set(schema.get("required", []))
    properties: dict[str, Any] = {}
    for name, field in schema["properties"].items():
        if name in fixed:
            continue
        # `null` removes a field (RFC 7396): an optional one is then back to its default.
        nullable = name not in required and {"type": "null"} not in field.get("anyOf", [])
        properties[name] = {"anyOf": [field, {"type": "null"}]} if nullable else field
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "description": "Only the fields to change; `null` puts an optional field back to its "
        "default (RFC 7396).",
    }
