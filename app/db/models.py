"""Imports every model so that `Base.metadata` is complete (Alembic, mappers)."""

from app.areas.models import Area, ScoMembership
from app.auth.models import ApiKey
from app.changes.models import Change, ChangeCounter
from app.db.base import Base
from app.idempotency.models import IdempotencyRecord
from app.meetings.models import (
    Delegation,
    DelegationMember,
    DelegationOrganization,
    Meeting,
    MeetingOrganizer,
    MeetingSession,
    MeetingSource,
    Participation,
)
from app.organizations.models import Organization
from app.people.models import Person, PersonPost, PersonSource
from app.reports.models import Report, ReportAuthor, ReportMeeting, ReportSource
from app.sources.models import OrganizationSource, Source
from app.trade.models import TradeIndicator, TradeObservation

__all__ = [
    "ApiKey",
    "Area",
    "Base",
    "Change",
    "ChangeCounter",
    "Delegation",
    "DelegationMember",
    "DelegationOrganization",
    "IdempotencyRecord",
    "Meeting",
    "MeetingOrganizer",
    "MeetingSession",
    "MeetingSource",
    "Organization",
    "OrganizationSource",
    "Participation",
    "Person",
    "PersonPost",
    "PersonSource",
    "Report",
    "ReportAuthor",
    "ReportMeeting",
    "ReportSource",
    "ScoMembership",
    "Source",
    "TradeIndicator",
    "TradeObservation",
]
