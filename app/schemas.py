"""Schema building blocks shared by every domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class OutModel(BaseModel):
    """Base of every response body: built from ORM objects or plain rows."""

    model_config = ConfigDict(from_attributes=True)


class TimestampsOut(OutModel):
    created_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])
    updated_at: datetime = Field(examples=["2024-05-02T09:00:00Z"])


class InModel(BaseModel):
    """Base of every request body: unknown fields are refused (422), never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# Building blocks of request bodies. Text never holds control characters (a NUL cannot
# be stored in PostgreSQL text and would otherwise surface as a 500).
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,119}$")]
AreaCodeIn = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}$"),
    Field(description="ISO 3166-1 alpha-3 or alpha-2, any case; stored as alpha-3."),
]
Title = Annotated[
    str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00-\x1f\x7f]*$")
]
Text = Annotated[
    str, StringConstraints(max_length=20_000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")
]
Url = Annotated[str, StringConstraints(max_length=1000, pattern=r"^https?://[^\s\x00-\x1f]+$")]
