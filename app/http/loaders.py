"""The one load-or-404 dependency: a path id, loaded by a service function, or a 404.

A domain's `dependencies.py` declares, per item it serves, the id in the path
(`slug_path`) and what loads it:

    ValidPerson = Annotated[Person, load_or_404(slug_path("Person", "janel-kushukova"), ...)]

This module has no `from __future__ import annotations` on purpose: the parameter
annotation of the dependency names the `Path(...)` it is given, and FastAPI must find that
object in the annotation itself (a string annotation would be looked up in this module's
globals, where it is not).
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Path
from fastapi.params import Path as PathParam
from sqlalchemy.orm import Session

from app.db.dependencies import SessionDep
from app.vocabulary import SLUG_PATTERN

T = TypeVar("T")


def slug_path(noun: str | None, example: str) -> PathParam:
    """The `{id}` of an item path: a slug, "`noun` id (a slug)." (no description without one)."""
    description = None if noun is None else f"{noun} id (a slug)."
    path: PathParam = Path(
        alias="id", pattern=SLUG_PATTERN, description=description, examples=[example]
    )
    return path


def load_or_404(path: PathParam, load: Callable[[Session, str], T]) -> Any:
    """`Depends` on what `load(session, id)` returns for the id in the path.

    `path` is the path parameter's declaration (alias, pattern, description, examples: the
    OpenAPI document shows it as it is); `load` raises `NotFound` for an unknown id.
    """

    def loaded(identifier: Annotated[str, path], session: SessionDep) -> T:
        return load(session, identifier)

    return Depends(loaded)
