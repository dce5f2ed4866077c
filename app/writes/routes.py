"""The FastAPI side of the write path: how write handlers are declared and answered.

Each domain's router writes its POST / PATCH / DELETE handlers as plain typed functions:
the body or the path id, and one dependency that carries the rest of what
`app.writes.service` needs and answers what it returns. What every write operation declares
alike — operation id, summary, description, problem responses, the merge-patch body's
schema — comes from `create_route`, `update_route` and `delete_route`, spread into the
route decorator:

    @router.post("/areas", **create_route(AREA))
    def create_area(body: AreaIn, write: CreationDep) -> Response:
        return write.create(AREA, body)

`CreationDep` is the write session, the writer (a 401/403 without a `write` key) and the
`Idempotency-Key` (checked, with its request line); `ItemWriteDep` is the write session,
the writer and `If-Match` (its entity tags, and whether this server requires them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Body, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from app.auth.dependencies import WriterDep
from app.auth.service import Principal
from app.container import container_of
from app.db.dependencies import WriteSessionDep
from app.errors import problem_responses
from app.http.headers import parse_entity_tags
from app.http.representation import item_response
from app.http.routes import RouteOptions
from app.idempotency.service import HEADER as IDEMPOTENCY_HEADER
from app.idempotency.service import IdempotencyKey, idempotency_key
from app.vocabulary import SLUG_PATTERN
from app.writes import service as writes
from app.writes.answers import ItemAnswer
from app.writes.preconditions import IfMatch
from app.writes.resource import BodyT, WritableResource

MERGE_PATCH = "application/merge-patch+json"
WRITE_ERRORS = (401, 403, 409, 413, 415, 422, 429)


# --- dependencies --------------------------------------------------------------------------


async def if_match_of(request: Request) -> IfMatch:
    """`If-Match` as sent (parsed; never an error), and the server's `require_if_match`."""
    # async: nothing to wait for, so no trip to the thread pool.
    header = request.headers.get("if-match")
    return IfMatch(
        tags=None if header is None else parse_entity_tags(header),
        required=container_of(request).settings.require_if_match,
    )


async def idempotency_key_of(request: Request) -> IdempotencyKey | None:
    """The request's `Idempotency-Key` (None: not sent); a 422 when it is malformed."""
    return idempotency_key(
        request.headers.get(IDEMPOTENCY_HEADER), method=request.method, path=request.url.path
    )


def item_id(
    resource: WritableResource[Any, Any], *, alias: str = "id", pattern: str = SLUG_PATTERN
) -> Any:
    """The id in a PATCH or DELETE path (`Annotated[str, item_id(AREA, ...)]`)."""
    return Path(alias=alias, pattern=pattern, description=f"Id of the {resource.noun}.")


IfMatchDep = Annotated[IfMatch, Depends(if_match_of)]
IdempotencyKeyDep = Annotated[IdempotencyKey | None, Depends(idempotency_key_of)]
# A merge patch is any JSON object; the service checks it against the resource's fields.
MergePatch = Annotated[dict[str, Any], Body(media_type=MERGE_PATCH)]


# --- answers -------------------------------------------------------------------------------


def respond(answer: ItemAnswer) -> Response:
    """The HTTP answer of a create or a merge patch: the item, its ETag, and where it is."""
    headers: dict[str, str] = {}
    if answer.location is not None:
        headers["Location"] = answer.location
    if answer.replayed:
        headers["Idempotent-Replayed"] = "true"
    return item_response(answer.body, status_code=answer.status, headers=headers)


def no_content() -> Response:
    """The answer of a delete."""
    return Response(status_code=204)


# --- what a write handler passes the service -----------------------------------------------


@dataclass(frozen=True)
class Creation:
    """A POST's write session, writer and `Idempotency-Key`: `create` stores a body."""

    session: Session
    writer: Principal
    key: IdempotencyKey | None

    def create(
        self, resource: WritableResource[Any, BodyT], body: BodyT, *, parent_id: str | None = None
    ) -> Response:
        """201 with the new item, or the first answer again for a repeated key."""
        answer = writes.create(
            self.session, resource, body, writer=self.writer, key=self.key, parent_id=parent_id
        )
        return respond(answer)


@dataclass(frozen=True)
class ItemWrite:
    """A PATCH's or DELETE's write session and `If-Match` (the writer is checked, not used)."""

    session: Session
    if_match: IfMatch

    def update(
        self, resource: WritableResource[Any, Any], identity: str, changes: dict[str, Any]
    ) -> Response:
        """The item after the merge patch `changes`."""
        answer = writes.update(self.session, resource, identity, changes, if_match=self.if_match)
        return respond(answer)

    def delete(self, resource: WritableResource[Any, Any], identity: str) -> Response:
        """204 once the item is gone."""
        writes.remove(self.session, resource, identity, if_match=self.if_match)
        return no_content()


# async: nothing to wait for, so no trip to the thread pool. The order of the parameters is
# the order FastAPI resolves them in: a missing key is a 401 before a malformed header a 422.
async def creation(session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep) -> Creation:
    return Creation(session=session, writer=writer, key=key)


async def item_write(
    session: WriteSessionDep, _writer: WriterDep, if_match: IfMatchDep
) -> ItemWrite:
    return ItemWrite(session=session, if_match=if_match)


CreationDep = Annotated[Creation, Depends(creation)]
ItemWriteDep = Annotated[ItemWrite, Depends(item_write)]


# --- OpenAPI declarations ------------------------------------------------------------------


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def create_route(resource: WritableResource[Any, Any]) -> RouteOptions:
    """The declaration of `POST` on the resource's collection (`createArea`)."""
    return RouteOptions(
        status_code=201,
        response_model=resource.out,
        operation_id=f"create{_camel(resource.name)}",
        summary=f"Create a {resource.noun}",
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
        summary=f"Change a {resource.noun} (JSON merge patch)",
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
        summary=f"Delete a {resource.noun}",
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
