"""A JSON merge patch (RFC 7396) turned into a whole, validated body.

The patch is merged into the item's current representation, restricted to the fields a
POST body has, and the result is validated like a POST body: one set of rules for both.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from app.errors import FieldError, ValidationFailed
from app.writes.merge_patch import merge_patch
from app.writes.resource import BodyT, WritableResource

READ_ONLY_FIELDS = frozenset({"id", "created_at", "updated_at"})


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


def writable_fields(resource: WritableResource[Any, Any]) -> set[str]:
    """What a patch may change: the POST body's fields but the id and the parent."""
    writable = set(resource.body.model_fields) - {resource.id_field}
    if resource.parent_field:
        writable.discard(resource.parent_field)
    return writable


def refuse_fixed_fields(resource: WritableResource[Any, Any], patch: dict[str, Any]) -> None:
    """422 naming every patched field that is read-only or not a field of the resource."""
    writable = writable_fields(resource)
    answered = resource.out.model_fields
    refused = [
        FieldError(
            field=f"body.{name}",
            message="is read-only"
            if name in READ_ONLY_FIELDS | {resource.id_field} or name in answered
            else "is not a field of this resource",
            type="read_only" if name in answered else "extra_forbidden",
        )
        for name in patch
        if name not in writable
    ]
    if refused:
        raise ValidationFailed("; ".join(f"{e.field} {e.message}" for e in refused), errors=refused)


def patched_body(
    resource: WritableResource[Any, BodyT], current: bytes, patch: dict[str, Any], identity: Any
) -> BodyT:
    """The body the item would have after `patch`, validated as a POST body is.

    `current` is the item's representation; `identity` its id, which a patch never changes.
    """
    refuse_fixed_fields(resource, patch)
    # Parse decimals exactly (not through a binary float) before merging.
    answered = json.loads(current, parse_float=Decimal)
    merged = merge_patch({name: answered.get(name) for name in writable_fields(resource)}, patch)
    merged[resource.id_field] = identity
    try:
        return resource.body.model_validate(merged)
    except ValidationError as error:
        raise body_errors(error) from error
