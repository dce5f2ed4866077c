"""Register POST / PATCH / DELETE routes for a `WritableResource` on a router.

One function instead of thirty near-identical handlers: each resource states its schemas
and paths once (in its domain's `writes.py`), and every write route then behaves the same
way — auth, idempotency, If-Match, problem answers, Location and ETag.

(No `from __future__ import annotations` here: FastAPI reads the handlers' annotations at
runtime, and the body types are only known when a resource is registered.)
"""

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from app.auth.dependencies import require_write_key
from app.auth.service import Principal
from app.db.dependencies import get_write_session
from app.errors import problem_responses
from app.http.etag import etag_of
from app.idempotency import service as idempotency
from app.vocabulary import SLUG_PATTERN
from app.writes import service
from app.writes.service import WritableResource

MERGE_PATCH = "application/merge-patch+json"
WRITE_ERRORS = (401, 403, 409, 413, 415, 422, 429)
SessionParam = Annotated[Session, Depends(get_write_session, scope="function")]
WriterParam = Annotated[Principal, Depends(require_write_key)]


def _camel(type_name: str) -> str:
    return "".join(part.capitalize() for part in type_name.split("_"))


def _with_params(handler: Callable[..., Any], extra: list[inspect.Parameter]) -> Callable[..., Any]:
    """Give `handler` a signature FastAPI can read: the common params plus `extra`."""
    common = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("session", inspect.Parameter.KEYWORD_ONLY, annotation=SessionParam),
        inspect.Parameter("writer", inspect.Parameter.KEYWORD_ONLY, annotation=WriterParam),
    ]
    handler.__signature__ = inspect.Signature(common + extra)  # type: ignore[attr-defined]
    return handler


def _path_param(name: str, description: str, pattern: str) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=Annotated[str, Path(pattern=pattern, description=description)],
    )


def _patch_schema(resource: WritableResource) -> dict[str, Any]:
    """The merge-patch body as it is checked: any of the writable fields, none required.

    The id (and a nested record's parent) can never change, and unknown fields are refused,
    so neither is in the schema. Nested models are the components the POST body declares.
    """
    schema = resource.create_schema.model_json_schema(ref_template="#/components/schemas/{model}")
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


def _item_response(
    session: Session,
    resource: WritableResource,
    instance: Any,
    status: int,
    location: str | None = None,
) -> Response:
    body = service.representation(session, resource, instance)
    headers = {"ETag": etag_of(body)}
    if location:
        headers["Location"] = location
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def add_write_routes(
    router: APIRouter,
    resource: WritableResource,
    *,
    collection_path: str,
    item_path: str,
    item_url: Callable[[str], str],
) -> None:
    """POST on `collection_path`; PATCH and DELETE on `item_path` (last param is the id)."""
    name = _camel(resource.type_name)
    item_param = item_path.rsplit("{", 1)[1].rstrip("}")
    parent_param = (
        collection_path.split("{", 1)[1].split("}")[0] if "{" in collection_path else None
    )

    def create(
        request: Request, *, session: Session, writer: Principal, body: Any, **path: str
    ) -> Response:
        key = idempotency.idempotency_key(request)
        if key is not None:
            replay = idempotency.claim(
                session,
                owner=writer.name,
                key=key,
                fingerprint=idempotency.request_fingerprint(request, body.model_dump(mode="json")),
            )
            if replay is not None:
                return replay
        parent_id = path.get(parent_param) if parent_param else None
        instance = service.create(session, resource, body, parent_id=parent_id)
        identity = str(getattr(instance, resource.entity.primary_key()[0]))
        response = _item_response(session, resource, instance, 201, item_url(identity))
        if key is not None:
            idempotency.complete(session, owner=writer.name, key=key, response=response)
        return response

    create_params = [
        inspect.Parameter(
            "body",
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[resource.create_schema, Body()],
        )
    ]
    if parent_param:
        create_params.insert(
            0, _path_param(parent_param, "Id of the parent resource.", SLUG_PATTERN)
        )
    router.add_api_route(
        collection_path,
        _with_params(create, create_params),
        methods=["POST"],
        status_code=201,
        response_model=resource.out_schema,
        operation_id=f"create{name}",
        summary=f"Create a {resource.type_name.replace('_', ' ')}",
        description="Needs a `write` key. Honours `Idempotency-Key`.",
        responses={
            **problem_responses(*WRITE_ERRORS),
            201: {"description": "Created; `Location` and `ETag` name it."},
        },
    )

    def patch(
        request: Request,
        *,
        session: Session,
        writer: Principal,
        changes: dict[str, Any],
        **path: str,
    ) -> Response:
        instance = service.load(session, resource, path[item_param])
        updated = service.update(session, resource, instance, changes, request)
        return _item_response(session, resource, updated, 200)

    router.add_api_route(
        item_path,
        _with_params(
            patch,
            [
                _path_param(
                    item_param,
                    f"Id of the {resource.type_name.replace('_', ' ')}.",
                    resource.path_pattern,
                ),
                inspect.Parameter(
                    "changes",
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=Annotated[dict[str, Any], Body(media_type=MERGE_PATCH)],
                ),
            ],
        ),
        methods=["PATCH"],
        response_model=resource.out_schema,
        operation_id=f"update{name}",
        summary=f"Change a {resource.type_name.replace('_', ' ')} (JSON merge patch)",
        description=(
            "Needs a `write` key. Body: `application/merge-patch+json` (or `application/json`); "
            "honours `If-Match`."
        ),
        responses=problem_responses(*WRITE_ERRORS, 404, 412, 428),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    MERGE_PATCH: {"schema": _patch_schema(resource)},
                    "application/json": {"schema": _patch_schema(resource)},
                },
            }
        },
    )

    def remove(request: Request, *, session: Session, writer: Principal, **path: str) -> Response:
        instance = service.load(session, resource, path[item_param])
        service.remove(session, resource, instance, request)
        return Response(status_code=204)

    router.add_api_route(
        item_path,
        _with_params(
            remove,
            [
                _path_param(
                    item_param,
                    f"Id of the {resource.type_name.replace('_', ' ')}.",
                    resource.path_pattern,
                )
            ],
        ),
        methods=["DELETE"],
        status_code=204,
        operation_id=f"delete{name}",
        summary=f"Delete a {resource.type_name.replace('_', ' ')}",
        description=(
            "Needs a `write` key; honours `If-Match`. 409 while other records reference it."
        ),
        responses=problem_responses(*WRITE_ERRORS, 404, 412, 428),
    )
