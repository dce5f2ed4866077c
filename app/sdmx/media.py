"""The representations SDMX answers have, and which one an `Accept` header asks for.

Data: SDMX-ML 2.1 generic data by default (also as `application/xml`), SDMX-JSON 1.0 (also
as `application/json`), SDMX-CSV 1.0 (also as `text/csv`). Structure: SDMX-ML 2.1 structure
messages (also as `application/xml`). An answer carries the media type `Accept` ranked
highest, the default on a tie or without `Accept`; a 406 when `Accept` admits none, which
the API's negotiation layer (`app.http.negotiation`) would answer too: it reads the types a
route offers from its `responses` (`responses` below).
"""

from __future__ import annotations

from typing import Any, Literal

from app.errors import NotAcceptable
from app.http.headers import media_ranges, quality_among
from app.http.negotiation import QUOTED_ACCEPT_LIMIT

Format = Literal["xml", "json", "csv"]

GENERIC_DATA = "application/vnd.sdmx.genericdata+xml; version=2.1"
STRUCTURE = "application/vnd.sdmx.structure+xml; version=2.1"
SDMX_JSON = "application/vnd.sdmx.data+json; version=1.0.0"
SDMX_CSV = "application/vnd.sdmx.data+csv; version=1.0.0"
XML = "application/xml"
JSON = "application/json"
CSV = "text/csv; charset=utf-8"

# (media type, format), the default first.
DATA_TYPES: tuple[tuple[str, Format], ...] = (
    (GENERIC_DATA, "xml"),
    (XML, "xml"),
    (SDMX_JSON, "json"),
    (JSON, "json"),
    (SDMX_CSV, "csv"),
    (CSV, "csv"),
)
STRUCTURE_TYPES: tuple[tuple[str, Format], ...] = ((STRUCTURE, "xml"), (XML, "xml"))


def bare(media_type: str) -> str:
    return media_type.partition(";")[0].strip()


def choose(accept: str | None, offered: tuple[tuple[str, Format], ...]) -> tuple[str, Format]:
    """The offered (media type, format) `accept` ranks highest; the first on a tie; a 406
    when it admits none, before any figure is read.

    Media type parameters (`version=2.1`) do not narrow a match (`app.http.headers`).
    """
    ranges = media_ranges(accept) if accept else []
    if not ranges:
        return offered[0]
    best = max(offered, key=lambda option: quality_among(ranges, bare(option[0])))
    if quality_among(ranges, bare(best[0])) == 0:
        types = ", ".join(dict.fromkeys(bare(media_type) for media_type, _ in offered))
        quoted = accept if len(accept or "") <= QUOTED_ACCEPT_LIMIT else "…"
        raise NotAcceptable(f"This answer is available as {types}; `Accept: {quoted}` admits none.")
    return best


def responses(offered: tuple[tuple[str, Format], ...]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering `offered`: what the negotiation layer reads."""
    return {200: {"content": {bare(media_type): {} for media_type, _ in offered}}}
