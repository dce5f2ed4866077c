"""The typed base of the domain repositories: one model, read by id or a page at a time.

A repository holds the queries (`select()` only) of its domain and runs them on the
session it was made with; it never commits: the request owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar, Generic, TypeVar

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from app.db.base import Base, resource_type
from app.db.keyset import Paged, PageParams, SortKey, fetch_page
from app.errors import REFERENCE_ERROR, NotFound, ValidationFailed

ModelT = TypeVar("ModelT", bound=Base)
IdT = TypeVar("IdT")
RowT = TypeVar("RowT")


class Repository(Generic[ModelT, IdT]):
    """Reads of `model` through one session.

    A subclass names the model and what its answers load besides the row (`load`). A 404
    or 422 names the model by its resource type: `No {noun} with {id_name} '…'.`,
    `unknown {noun} {id_name}(s): …`.
    """

    model: type[ModelT]
    id_name: ClassVar[str] = "id"
    load: ClassVar[Sequence[ORMOption]] = ()

    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def noun(self) -> str:
        return resource_type(self.model)

    def get(self, id_: IdT) -> ModelT | None:
        return self.session.get(self.model, id_, options=self.load)

    def get_or_raise(self, id_: IdT) -> ModelT:
        """The row with this id, or `NotFound` (a 404 problem) naming it."""
        found = self.get(id_)
        if found is None:
            raise NotFound(f"No {self.noun} with {self.id_name} {id_!r}.")
        return found

    def existing_ids(self, ids: Iterable[IdT]) -> set[IdT]:
        """The subset of `ids` that name stored rows (one query; no row is loaded)."""
        wanted = set(ids)
        if not wanted:
            return set()
        key = inspect(self.model).primary_key[0]
        return set(self.session.scalars(select(key).where(key.in_(wanted))))

    def require_known(self, ids: Sequence[IdT], *, field: str) -> None:
        """A 422 naming `field` when some of `ids` (a filter's) name no stored row."""
        known = self.existing_ids(ids)
        unknown = [str(id_) for id_ in ids if id_ not in known]
        if unknown:
            raise ValidationFailed.for_field(
                field,
                f"unknown {self.noun} {self.id_name}(s): {', '.join(unknown)}",
                kind=REFERENCE_ERROR,
            )

    def page(
        self, statement: Select[RowT], keys: Sequence[SortKey], params: PageParams
    ) -> Paged[RowT]:
        """One keyset page of the objects `statement` selects (one entity per row)."""
        return fetch_page(self.session.scalars, statement, keys, params)
