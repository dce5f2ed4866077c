"""What each searchable resource contributes to the index: a title and a body of text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, selectinload

from app.meetings.models import Meeting, MeetingSession
from app.organizations.models import Organization
from app.people.models import Person
from app.reports.models import Report
from app.sources.models import Source


@dataclass(frozen=True)
class Searchable:
    model: type[Any]
    title: Callable[[Any], str]
    body: Callable[[Any], str]
    options: tuple[Any, ...] = ()


def _join(*parts: object) -> str:
    return " ".join(str(part) for part in parts if part)


SEARCHABLE: dict[str, Searchable] = {
    "meeting": Searchable(
        Meeting,
        title=lambda m: m.title,
        body=lambda m: _join(m.summary, m.city, m.attendance_note, " ".join(m.topics or [])),
    ),
    "session": Searchable(
        MeetingSession,
        title=lambda s: s.title,
        body=lambda s: _join(s.summary, " ".join(s.topics or [])),
    ),
    "report": Searchable(Report, title=lambda r: r.title, body=lambda r: _join(r.summary)),
    "source": Searchable(Source, title=lambda s: s.title, body=lambda s: _join(s.excerpt)),
    "organization": Searchable(
        Organization, title=lambda o: o.name, body=lambda o: _join(o.abbreviation, o.note)
    ),
    "person": Searchable(
        Person,
        title=lambda p: p.name,
        body=lambda p: _join(p.note, *(post.role for post in p.posts)),
        options=(selectinload(Person.posts),),
    ),
}


def document_for(session: Session, kind: str, identity: str) -> tuple[str, str] | None:
    """(title, body) of the resource, or None when it no longer exists."""
    searchable = SEARCHABLE[kind]
    instance = session.get(searchable.model, identity, options=list(searchable.options))
    if instance is None:
        return None
    return searchable.title(instance), searchable.body(instance)
