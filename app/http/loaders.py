"""The one load-or-404 dependency: a path id, loaded by a service function, or a 404.

This module has no `from __future__ import annotations` on purpose: the parameter
annotation of the dependency names the `Path(...)` it is given, and FastAPI must find that
object in the annotation itself (a string annotation would be looked up in this module's
globals, where it is not).
"""

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends
from fastapi.params import Path as PathParam
from sqlalchemy.orm import Session

from app.db.dependencies import SessionDep

T = TypeVar("T")


def load_or_404(path: PathParam, load: Callable[[Session, str], T]) -> Any:
    """`Depends` on what `load(session, id)` returns for the id in the path.

    `path` is the path parameter's declaration (alias, pattern, description, examples: the
    OpenAPI document shows it as it is); `load` raises `NotFound` for an unknown id.
    """

    def loaded(identifier: Annotated[str, path], session: SessionDep) -> T:
        return load(session, identifier)

    return Depends(loaded)
