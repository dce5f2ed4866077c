"""The change feed: one row per created, updated or deleted resource, in commit order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base
from app.db.types import UTCDateTime, utcnow


class Change(Base):
    __tablename__ = "changes"
    __table_args__ = (
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
        Index("ix_changes_type_resource_id", "type", "resource_id"),
    )

    # Assigned from `change_counter` while its row is locked, so seq order is commit order.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Audit trail: the API key name (or `seed`, `cli`) that made the change.
    actor: Mapped[str | None] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(128))


class ChangeCounter(Base):
    """A single row holding the last seq handed out; also the data version for caches."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
