"""Schema building blocks shared by every domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class OutModel(BaseModel):
    """Base of every response body: built from ORM objects or plain rows."""

    model_config = ConfigDict(from_attributes=True)


class TimestampsOut(OutModel):
    created_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])
    updated_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])
