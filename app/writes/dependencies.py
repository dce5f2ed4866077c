"""What a write handler takes besides its body, and how it answers.

Each domain's router writes its POST / PATCH / DELETE handlers as plain typed functions
that take the body and one dependency carrying the rest of what `app.writes.service` needs;
the dependency calls the service and answers what it returns:

    @router.post("/areas", **create_route(AREA))
    def create_area(body: AreaIn, write: CreationDep) -> Response:
        return write.create(AREA, body)

    AreaWrite = Annotated[ItemWrite, item_write(AREA, alias="code", pattern=AREA_CODE)]

    @router.delete("/areas/{code}", **delete_route(AREA))
    def delete_area(write: AreaWrite) -> Response:
        return write.delete()

`CreationDep` is the write session, the writer (a 401/403 without a `write` key) and the
`Idempotency-Key` (checked, with its request line). `item_write(RESOURCE)` is, like a GET's
load-or-404, the item the path names, with the write session, the writer and `If-Match`
(its entity tags, and whether this server requires them). The route options
(`create_route`...) are `app.writes.routes`.

This module has no `from __future__ import annotations` on purpose: the path parameter of
the dependency `item_write` makes is the `Path(...)` built for its resource, and FastAPI
must find that object in the annotation itself (as in `app.http.loaders`).
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Body, Depends, Header, Path, Request, Response
from sqlalchemy.orm import Session

from app.auth.dependencies import WriterDep
from app.auth.service import Principal
from app.container import container_of
from app.db.dependencies import WriteSessionDep
from app.http.headers import parse_entity_tags
from app.http.representation import item_response
from app.idempotency.service import HEADER as IDEMPOTENCY_HEADER
from app.idempotency.service import KEY_PATTERN, MAX_KEY_LENGTH, IdempotencyKey
from app.vocabulary import SLUG_PATTERN, Language
from app.writes import service as writes
from app.writes.answers import ItemAnswer
from app.writes.preconditions import IfMatch
from app.writes.resource import BodyT, WritableResource
from app.writes.routes import MERGE_PATCH

# --- the headers ---------------------------------------------------------------------------
# Declared as header parameters, so the OpenAPI document states exactly what is read.

IF_MATCH = "If-Match"
IfMatchHeader = Annotated[
    str | None,
    Header(
        alias=IF_MATCH,
        description="The `ETag` last read: the change is made only if the item is still in "
        "that state (compared strongly: a weak tag never matches), else 412 and nothing "
        "changes. A server with `SCO_REQUIRE_IF_MATCH=true` answers 428 without it.",
        examples=['"5d41402abc4b2a76b9719d911017c592"'],
    ),
]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        pattern=KEY_PATTERN,
        max_length=MAX_KEY_LENGTH,
        description="Any unique string (a UUID): the same key with the same body replays "
        "the first answer (`Idempotent-Replayed: true`) and writes once; with another body "
        "it is a 422, and while the first request runs a 409. Kept at least 24 hours.",
        examples=["3f1c9a52-7a0e-4d1b-9a51-0c8f1e2b7d44"],
    ),
]


async def if_match_of(request: Request, header: IfMatchHeader = None) -> IfMatch:
    """`If-Match` as sent (parsed; never an error), and the server's `require_if_match`."""
    # async: nothing to wait for, so no trip to the thread pool.
    return IfMatch(
        tags=None if header is None else parse_entity_tags(header),
        required=container_of(request).settings.require_if_match,
    )


async def idempotency_key_of(
    request: Request, header: IdempotencyKeyHeader = None
) -> IdempotencyKey | None:
    """The request's `Idempotency-Key` (None: not sent) with its request line."""
    if header is None:
        return None
    return IdempotencyKey(header, method=request.method, path=request.url.path)


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
        self,
        resource: WritableResource[Any, BodyT],
        body: BodyT,
        *,
        parent_id: str | None = None,
        language: Language | None = None,
    ) -> Response:
        """201 with the new item (in `language`, for a resource that names things in it), or
        the first answer again for a repeated key."""
        answer = writes.create(
            self.session,
            resource,
            body,
            writer=self.writer,
            key=self.key,
            parent_id=parent_id,
            language=language,
        )
        return respond(answer)


@dataclass(frozen=True)
class ItemWrite:
    """A PATCH or DELETE of the item the path names (`identity`, as the path gives it), with
    the write session and `If-Match` (the writer is checked, not used)."""

    resource: WritableResource[Any, Any]
    identity: str
    session: Session
    if_match: IfMatch

    def update(
        self,
        changes: dict[str, Any],
        *,
        stored_id: str | None = None,
        language: Language | None = None,
    ) -> Response:
        """The item after the merge patch `changes`. `stored_id`: the item's id where the
        path may name it otherwise (an area by its alpha-2 code); `language`: the answer's,
        for a resource that names things in it (`If-Match` names that representation)."""
        identity = self.identity if stored_id is None else stored_id
        answer = writes.update(
            self.session,
            self.resource,
            identity,
            changes,
            if_match=self.if_match,
            language=language,
        )
        return respond(answer)

    def delete(self, *, stored_id: str | None = None, language: Language | None = None) -> Response:
        """204 once the item is gone (`stored_id` and `language` as for `update`)."""
        identity = self.identity if stored_id is None else stored_id
        writes.remove(
            self.session, self.resource, identity, if_match=self.if_match, language=language
        )
        return no_content()


# async: nothing to wait for, so no trip to the thread pool. FastAPI resolves the
# dependencies in the order of their parameters: a missing key is a 401 before a malformed
# header is a 422, and both come before the path and the body are checked.
async def creation(session: WriteSessionDep, writer: WriterDep, key: IdempotencyKeyDep) -> Creation:
    return Creation(session=session, writer=writer, key=key)


CreationDep = Annotated[Creation, Depends(creation)]


def item_write(
    resource: WritableResource[Any, Any], *, alias: str = "id", pattern: str = SLUG_PATTERN
) -> Any:
    """`Depends` on the `ItemWrite` of the `resource` item whose id is in the path."""
    path = Path(alias=alias, pattern=pattern, description=f"Id of the {resource.noun}.")

    async def writing(
        identity: Annotated[str, path],
        session: WriteSessionDep,
        _writer: WriterDep,
        if_match: IfMatchDep,
    ) -> ItemWrite:
        return ItemWrite(resource, identity, session, if_match)

    return Depends(writing)
