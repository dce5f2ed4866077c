"""What one resource tells the write service: its rows, bodies, answer and own rules.

A domain declares one `WritableResource` per resource in its `writes.py`; its router's
handlers pass it to `app.writes.service`. Everything every resource shares (slug ids,
read-only fields, merge patch, references, If-Match, idempotency) is the service's; a
resource only states data, plus two hooks where it really differs:

* `render`, where the answer is not the `out` schema's JSON of the row: a meeting embeds
  its sessions and delegations, trade bodies write exact decimals as JSON numbers.
* `localize`, where the answer shows names in the request's language (an area's `name`):
  the attributes shown in their place. A merge patch applies to the stored values.
* `rules` (a `WriteRules` subclass), where writes follow rules of the domain: trade
  observations check units and money, refuse changes to derived figures, and every
  trade-related write re-derives figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.db.base import Base, resource_type
from app.errors import FieldError
from app.http.representation import render_json
from app.schemas import Overlay
from app.vocabulary import Language
from app.writes.fields import EntitySpec

ModelT = TypeVar("ModelT", bound=Base)
BodyT = TypeVar("BodyT", bound=BaseModel)


class WriteRules(Generic[ModelT]):
    """What a resource adds to the rules every write follows; this base adds nothing."""

    def check(self, session: Session, data: dict[str, Any]) -> list[FieldError]:
        """Errors in a whole new or merged body (its area codes already alpha-3).

        May complete `data` (a value the body may omit because it follows from another).
        """
        return []

    def refuse_change(self, item: ModelT) -> str | None:
        """Why `item` may be neither changed nor deleted (a 409), or None."""
        return None

    def after_write(self, session: Session, states: Sequence[Mapping[str, Any]]) -> None:
        """Work that must follow any write of the resource (after the flush).

        `states`: the item's columns as they stood before the write (a change or a delete)
        and as they stand after it (a creation or a change), so the work can be kept to
        what the write touched.
        """


@dataclass(frozen=True, kw_only=True)
class WritableResource(Generic[ModelT, BodyT]):
    """One resource as the write service sees it."""

    entity: EntitySpec[ModelT]  # the model, and the link and child lists a body names
    body: type[BodyT]  # the POST body; a merge patch is validated against it too
    out: type[BaseModel]  # the answer's schema
    item_url: str  # "/api/v1/areas/{}": the `Location` of a created item
    # Fields a new id is made of when a POST gives none ("title", "name").
    slug_from: tuple[str, ...] = ()
    # The column naming the parent of a nested collection (its id comes from the path).
    parent_field: str | None = None
    # API field name -> column name where they differ (`order` -> `ordinal`).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Fields holding area codes: alpha-2 or any case in, alpha-3 stored (422 if unknown).
    area_fields: tuple[str, ...] = ()
    # The item's bytes where they are not `out`'s JSON of the row (see the module doc).
    render: Callable[[Session, ModelT], bytes] | None = None
    rules: WriteRules[ModelT] = field(default_factory=WriteRules)
    # What an answer in a language shows in place of stored attributes (`{"name": ...}`);
    # None: the answer is the same in every language.
    localize: Callable[[ModelT, Language], Mapping[str, Any]] | None = None

    @property
    def id_field(self) -> str:
        """The body field holding the id: the primary key's name (`id`, or `code`)."""
        return self.entity.primary_key()[0]

    @property
    def name(self) -> str:
        """The resource type (`trade_observation`): in messages, operation ids and summaries."""
        return resource_type(self.entity.model)

    @property
    def noun(self) -> str:
        return self.name.replace("_", " ")

    def represent(self, session: Session, item: ModelT, language: Language | None = None) -> bytes:
        """The item's representation: what GET answers in `language`, and what its ETag is
        the hash of. Without a language, the stored values (what a merge patch applies to)."""
        shown: Any = item
        if language is not None and self.localize is not None:
            shown = Overlay(item, self.localize(item, language))
        if self.render is not None:
            return self.render(session, shown)
        return render_json(self.out, shown)
