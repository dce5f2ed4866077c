"""Create, merge-patch and delete any resource described by a `WritableResource`.

Rules every resource shares: ids are slugs, immutable once created; request bodies reject
unknown and read-only fields; every id a body names must exist (422); deleting a row that
others still reference is a 409; `If-Match` guards PATCH and DELETE; a repeated
`Idempotency-Key` replays the first answer; nothing is written unless all of it is valid
(the request's transaction rolls back on any error, and commits only after the service
returns). The change feed records every flushed change by itself (`app.changes.tracking`).

The service takes what the routes parsed (the body, the `If-Match` tags, the
`Idempotency-Key`, the language of the answer) and answers an `ItemAnswer`; it never sees a
request. A resource whose answer shows names in the request's language (`localize`) is
answered in it, and `If-Match` is compared with the tag of that representation, the one
the request selects (RFC 9110 §13.1.1); the merge patch applies to the stored values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.areas.service import resolve_area_codes
from app.auth.service import Principal
from app.db.base import Base
from app.entity_tags import etag_of
from app.errors import Conflict, NotFound, ValidationFailed
from app.idempotency import service as idempotency
from app.idempotency.service import IdempotencyKey
from app.vocabulary import Language
from app.writes.answers import ItemAnswer
from app.writes.fields import apply_fields
from app.writes.ids import slug_from
from app.writes.patching import patched_body
from app.writes.preconditions import IfMatch, check_if_match
from app.writes.references import check_references, ensure_unreferenced
from app.writes.resource import BodyT, ModelT, WritableResource


def create(
    session: Session,
    resource: WritableResource[Any, BodyT],
    body: BodyT,
    *,
    writer: Principal,
    key: IdempotencyKey | None,
    parent_id: str | None = None,
    language: Language | None = None,
) -> ItemAnswer:
    """Store a new item (201), answered in `language`; with a key, the first answer for that
    key is given again."""
    if key is None:
        return _create(session, resource, body, parent_id, language)
    replay = idempotency.claim(
        session, owner=writer.name, key=key, body=body.model_dump(mode="json")
    )
    if replay is not None:
        return replay
    answer = _create(session, resource, body, parent_id, language)
    idempotency.complete(session, owner=writer.name, key=key, answer=answer)
    return answer


def update(
    session: Session,
    resource: WritableResource[Any, Any],
    identity: str,
    patch: dict[str, Any],
    *,
    if_match: IfMatch,
    language: Language | None = None,
) -> ItemAnswer:
    """Apply a JSON merge patch to the item; the whole result is checked as a new body."""
    item = _load(session, resource, identity)
    current = resource.represent(session, item)
    check_if_match(if_match, etag_of(_selected(session, resource, item, current, language)))
    _refuse_change(resource, item)
    stored_id = getattr(item, resource.id_field)
    data = patched_body(resource, current, patch, stored_id).model_dump()
    if resource.parent_field is not None:
        data.pop(resource.parent_field, None)
    _normalize_areas(session, resource, data)
    before = _columns(item)
    changed = apply_fields(resource.entity, item, _check(session, resource, data), is_new=False)
    session.flush()
    if changed:
        resource.rules.after_write(session, [before, _columns(item)])
    session.expire(item)
    updated = _load(session, resource, str(stored_id))
    return ItemAnswer(resource.represent(session, updated, language))


def remove(
    session: Session,
    resource: WritableResource[Any, Any],
    identity: str,
    *,
    if_match: IfMatch,
    language: Language | None = None,
) -> None:
    """Delete the item; a 409 while other records still reference it."""
    item = _load(session, resource, identity)
    check_if_match(if_match, etag_of(resource.represent(session, item, language)))
    _refuse_change(resource, item)
    ensure_unreferenced(session, item)
    before = _columns(item)
    session.delete(item)
    session.flush()
    resource.rules.after_write(session, [before])


def _selected(
    session: Session,
    resource: WritableResource[ModelT, Any],
    item: ModelT,
    stored: bytes,
    language: Language | None,
) -> bytes:
    """The representation a request in `language` selects (`stored` when it is the same)."""
    if language is None or resource.localize is None:
        return stored
    return resource.represent(session, item, language)


def _load(session: Session, resource: WritableResource[ModelT, Any], identity: str) -> ModelT:
    """The item with this id, with its link and child lists loaded; a 404 if there is none."""
    item = session.get(resource.entity.model, identity, options=resource.entity.load_options())
    if item is None:
        raise NotFound(f"No {resource.name} with id {identity!r}.")
    return item


def _create(
    session: Session,
    resource: WritableResource[Any, BodyT],
    body: BodyT,
    parent_id: str | None,
    language: Language | None,
) -> ItemAnswer:
    data = body.model_dump()
    if resource.parent_field is not None:
        _require_parent(session, resource, parent_id)
        data[resource.parent_field] = parent_id
    # Area codes first: a derived id is made of the stored (alpha-3) codes.
    _normalize_areas(session, resource, data)
    identity = data.get(resource.id_field)
    if not identity:
        identity = slug_from(data, resource.slug_from, id_field=resource.id_field)
        data[resource.id_field] = identity
    if session.get(resource.entity.model, identity) is not None:
        raise Conflict(f"A {resource.name} with id {identity!r} exists already.")
    columns = _check(session, resource, data)
    item = resource.entity.model()
    session.add(item)
    apply_fields(resource.entity, item, columns, is_new=True)
    session.flush()
    resource.rules.after_write(session, [_columns(item)])
    created = _load(session, resource, identity)
    return ItemAnswer(
        resource.represent(session, created, language),
        status=201,
        location=resource.item_url.format(identity),
    )


def _columns(item: Base) -> dict[str, Any]:
    """The item's columns as they stand (`WriteRules.after_write` compares two states)."""
    mapper = sa_inspect(item).mapper
    return {attribute.key: getattr(item, attribute.key) for attribute in mapper.column_attrs}


def _normalize_areas(
    session: Session, resource: WritableResource[Any, Any], data: dict[str, Any]
) -> None:
    for name in resource.area_fields:
        if data.get(name):
            data[name] = resolve_area_codes(session, [data[name]], field=f"body.{name}")[0]


def _check(
    session: Session, resource: WritableResource[Any, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """The resource's own rules, then every referenced id; `data` as columns."""
    errors = resource.rules.check(session, data)
    if errors:
        raise ValidationFailed("; ".join(e.message for e in errors), errors=errors)
    columns = {resource.aliases.get(name, name): value for name, value in data.items()}
    check_references(session, resource.entity, columns)
    return columns


def _refuse_change(resource: WritableResource[ModelT, Any], item: ModelT) -> None:
    reason = resource.rules.refuse_change(item)
    if reason:
        raise Conflict(reason)


def _require_parent(
    session: Session, resource: WritableResource[Any, Any], parent_id: str | None
) -> None:
    """A nested collection's parent comes from the path: a missing one is a 404."""
    assert resource.parent_field is not None  # noqa: S101  (callers check)
    column = sa_inspect(resource.entity.model).columns[resource.parent_field]
    for foreign_key in column.foreign_keys:
        target = foreign_key.column
        if parent_id is None or session.scalar(select(target).where(target == parent_id)) is None:
            raise NotFound(f"No {target.table.name.rstrip('s')} with id {parent_id!r}.")
