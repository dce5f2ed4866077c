"""Create, merge-patch and delete any resource described by a `WritableResource`.

Rules every resource shares: ids are slugs, immutable once created; request bodies reject
unknown and read-only fields; every id a body names must exist (422); deleting a row that
others still reference is a 409; `If-Match` guards PATCH and DELETE; nothing is written
unless all of it is valid (the request's transaction rolls back on any error).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.areas.service import resolve_area_codes
from app.db.base import Base
from app.errors import RULE_ERROR, Conflict, FieldError, NotFound, ValidationFailed
from app.http.etag import etag_of
from app.http.representation import render_json
from app.vocabulary import SLUG_PATTERN
from app.writes.fields import EntitySpec, apply_fields
from app.writes.merge_patch import merge_patch
from app.writes.preconditions import check_if_match
from app.writes.references import check_references, ensure_unreferenced

READ_ONLY_FIELDS = frozenset({"id", "created_at", "updated_at"})


@dataclass(frozen=True)
class WritableResource:
    """What the generic write path needs to know about one resource type."""

    type_name: str  # "meeting": used in messages and the change feed
    entity: EntitySpec[Any]
    create_schema: type[BaseModel]
    out_schema: type[BaseModel]
    # Builds what `out_schema` validates from the ORM object (may query embedded parts).
    render: Callable[[Session, Any], Any]
    id_field: str = "id"
    # What an id in a URL must look like (422 otherwise).
    path_pattern: str = SLUG_PATTERN
    # API field name -> column name where they differ (`order` -> `ordinal`).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Fields the id is derived from when a POST gives none ("title", "name").
    slug_from: tuple[str, ...] = ()
    # The path parameter (and column) that names the parent of a nested collection.
    parent_field: str | None = None
    # Work that must follow any write of this type (e.g. recomputing derived figures).
    after_write: Callable[[Session], None] | None = None
    # Extra checks of the whole body: return field errors (e.g. negative money).
    validate: Callable[[Session, dict[str, Any]], list[FieldError]] | None = None
    # Serializes the item when Pydantic's JSON is not the representation (exact decimals).
    serialize: Callable[[Session, Any], bytes] | None = None
    # Says why an existing row may not be changed or deleted (409), e.g. derived figures.
    refuse_change: Callable[[Any], str | None] | None = None
    # Maps the id in a URL to the stored id (areas accept alpha-2 and any case).
    resolve: Callable[[Session, str], str | None] | None = None
    # Fields holding area codes: alpha-2 or any case in, alpha-3 stored (422 if unknown).
    area_fields: tuple[str, ...] = ()


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:120].rstrip("-")


def body_errors(error: ValidationError, prefix: str = "body") -> ValidationFailed:
    errors = [
        FieldError(
            field=".".join([prefix, *(str(part) for part in item["loc"])]),
            message=item["msg"],
            type=item["type"],
        )
        for item in error.errors()
    ]
    return ValidationFailed("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)


def load(session: Session, resource: WritableResource, identity: str) -> Any:
    if resource.resolve is not None:
        identity = resource.resolve(session, identity) or identity
    instance = session.get(resource.entity.model, identity, options=resource.entity.load_options())
    if instance is None:
        raise NotFound(f"No {resource.type_name} with id {identity!r}.")
    return instance


def representation(session: Session, resource: WritableResource, instance: Any) -> bytes:
    """The exact bytes a GET of the item answers with (its ETag is their hash)."""
    if resource.serialize is not None:
        return resource.serialize(session, instance)
    return render_json(resource.out_schema, resource.render(session, instance))


def _to_columns(resource: WritableResource, data: dict[str, Any]) -> dict[str, Any]:
    return {resource.aliases.get(name, name): value for name, value in data.items()}


def _normalize_areas(session: Session, resource: WritableResource, data: dict[str, Any]) -> None:
    for name in resource.area_fields:
        if data.get(name):
            data[name] = resolve_area_codes(session, [data[name]], field=f"body.{name}")[0]


def _check(session: Session, resource: WritableResource, data: dict[str, Any]) -> dict[str, Any]:
    _normalize_areas(session, resource, data)
    if resource.validate is not None:
        errors = resource.validate(session, data)
        if errors:
            raise ValidationFailed("; ".join(e.message for e in errors), errors=errors)
    columns = _to_columns(resource, data)
    check_references(session, resource.entity, columns)
    return columns


def _refuse_change(resource: WritableResource, instance: Any) -> None:
    if resource.refuse_change is not None:
        reason = resource.refuse_change(instance)
        if reason:
            raise Conflict(reason)


def _require_parent(session: Session, resource: WritableResource, parent_id: str | None) -> None:
    """A nested collection's parent comes from the path: a missing one is a 404."""
    assert resource.parent_field is not None  # noqa: S101  (callers check)
    column = sa_inspect(resource.entity.model).columns[resource.parent_field]
    for foreign_key in column.foreign_keys:
        target = foreign_key.column
        if parent_id is None or session.scalar(select(target).where(target == parent_id)) is None:
            raise NotFound(f"No {target.table.name.rstrip('s')} with id {parent_id!r}.")


def create(
    session: Session, resource: WritableResource, body: BaseModel, *, parent_id: str | None = None
) -> Any:
    data = body.model_dump()
    if resource.parent_field is not None:
        _require_parent(session, resource, parent_id)
        data[resource.parent_field] = parent_id
    _normalize_areas(session, resource, data)
    identity = data.get(resource.id_field)
    if not identity:
        source = " ".join(str(data.get(name) or "") for name in resource.slug_from)
        identity = slugify(source)
        if not re.match(SLUG_PATTERN, identity):
            raise ValidationFailed.for_field(
                f"body.{resource.id_field}", "give an id (a slug)", kind=RULE_ERROR
            )
        data[resource.id_field] = identity
    if session.get(resource.entity.model, identity) is not None:
        raise Conflict(f"A {resource.type_name} with id {identity!r} exists already.")
    columns = _check(session, resource, data)
    instance = resource.entity.model()
    session.add(instance)
    apply_fields(resource.entity, instance, columns, is_new=True)
    session.flush()
    if resource.after_write is not None:
        resource.after_write(session)
    return load(session, resource, identity)


def update(
    session: Session,
    resource: WritableResource,
    instance: Base,
    patch: dict[str, Any],
    request: Request,
) -> Any:
    current_body = representation(session, resource, instance)
    check_if_match(request, etag_of(current_body))
    _refuse_change(resource, instance)
    writable = set(resource.create_schema.model_fields) - {resource.id_field}
    if resource.parent_field:
        writable.discard(resource.parent_field)
    refused = [
        FieldError(
            field=f"body.{name}",
            message="is read-only"
            if name in READ_ONLY_FIELDS | {resource.id_field}
            or name in resource.out_schema.model_fields
            else "is not a field of this resource",
            type="read_only" if name in resource.out_schema.model_fields else "extra_forbidden",
        )
        for name in patch
        if name not in writable
    ]
    if refused:
        raise ValidationFailed("; ".join(f"{e.field} {e.message}" for e in refused), errors=refused)
    # Parse decimals exactly (not through a binary float) before merging.
    current = json.loads(current_body, parse_float=Decimal)
    merged = merge_patch({name: current.get(name) for name in writable}, patch)
    merged[resource.id_field] = getattr(instance, resource.entity.primary_key()[0])
    try:
        body = resource.create_schema.model_validate(merged)
    except ValidationError as error:
        raise body_errors(error) from error
    data = body.model_dump()
    if resource.parent_field is not None:
        data.pop(resource.parent_field, None)
    columns = _check(session, resource, data)
    changed = apply_fields(resource.entity, instance, columns, is_new=False)
    session.flush()
    if changed and resource.after_write is not None:
        resource.after_write(session)
    session.expire(instance)
    return load(session, resource, str(merged[resource.id_field]))


def remove(session: Session, resource: WritableResource, instance: Base, request: Request) -> None:
    check_if_match(request, etag_of(representation(session, resource, instance)))
    _refuse_change(resource, instance)
    ensure_unreferenced(session, instance)
    session.delete(instance)
    session.flush()
    if resource.after_write is not None:
        resource.after_write(session)
