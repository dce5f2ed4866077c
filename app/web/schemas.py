"""What the pages answer to clients that ask for JSON rather than HTML."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.errors import AppError, problem_type

# Named outside the class, whose field `type` would shadow the builtin.
ProblemKind = type[AppError]


class ProblemType(BaseModel):
    """A kind of problem the API answers with: the document its `type` points at."""

    type: str = Field(examples=["/problems/not-found"])
    slug: str = Field(examples=["not-found"])
    title: str = Field(examples=["Not Found"])
    status: int = Field(examples=[404])
    description: str = Field(
        examples=[
            "Nothing exists at the path, or no record has the id it names; list the "
            "collection to find the ids there are."
        ]
    )

    @classmethod
    def of(cls, kind: ProblemKind) -> ProblemType:
        return cls(
            type=problem_type(kind),
            slug=kind.slug,
            title=kind.title,
            status=kind.status,
            description=kind.description,
        )
