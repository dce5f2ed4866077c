"""Response bodies of the sources domain."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from app.schemas import TimestampsOut
from app.vocabulary import DATE_PRECISIONS, in_words


class SourceOut(TimestampsOut):
    id: str = Field(examples=["kazinform-2024-04-30"])
    publisher_id: str | None = Field(
        description="The organization that published it.", examples=["kazinform"]
    )
    title: str = Field(
        examples=[
            "SCO trade facilitation group convenes in Astana to strengthen regional "
            "cooperation and business opportunities"
        ]
    )
    url: str = Field(
        examples=[
            "https://en.inform.kz/news/sco-trade-facilitation-group-convenes-in-astana-to-"
            "strengthen-regional-cooperation-and-business-opportunities-ffde96/"
        ]
    )
    published_on: date | None = Field(
        description="Publication date; where `published_on_precision` is `month` or "
        "`year`, the first day of the month or year known; null where no date is known.",
        examples=["2024-04-30"],
    )
    published_on_precision: str = Field(
        description=f"{in_words(DATE_PRECISIONS)}: how much of `published_on` is known.",
        examples=["day"],
    )
    relays_id: str | None = Field(
        description="The organization whose release this source relays (its figures are "
        "that release's, so two sources relaying one release are copies of each other, not "
        "independent confirmations); null where the source speaks for itself.",
        examples=["kaz-ministry-of-trade-and-integration"],
    )
    language: str = Field(description="Language of the text (BCP 47).", examples=["en"])
    excerpt: str | None = Field(
        description="The passage the facts are taken from.",
        examples=[
            "Kazakhstan's trade turnover with the SCO countries in 2023 amounted to $66.0 billion"
        ],
    )
    priority: int = Field(
        description=(
            "How authoritative the source is: 100 statistical office, 80 ministry or "
            "government release, 60 an official's speech or statement, 40 media report. "
            "Picks the preferred figure when sources disagree."
        ),
        examples=[40],
    )
