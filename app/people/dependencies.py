"""The load-or-404 dependency of the people domain."""

from __future__ import annotations

from typing import Annotated

from app.http.loaders import load_or_404, slug_path
from app.people import service
from app.people.models import Person

# The person named in the path, or a 404.
ValidPerson = Annotated[
    Person, load_or_404(slug_path("Person", "janel-kushukova"), service.get_person)
]
