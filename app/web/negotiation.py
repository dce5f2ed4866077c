"""Whether a request would rather have an HTML page than a problem+json document.

The HTML pages answer their errors (404, 422) as problem+json, as every endpoint does,
unless the `Accept` header prefers `text/html` to JSON: a browser (`text/html,...,*/*;q=0.8`)
then gets a small HTML page, while `curl` (`*/*`) and API clients get the problem.
"""

from __future__ import annotations

from collections.abc import Iterator

JSON_TYPES = ("application/problem+json", "application/json")


def _ranges(accept: str) -> Iterator[tuple[str, str, float]]:
    """(type, subtype, q) of each media range of an Accept header; malformed parts skipped."""
    for part in accept.split(","):
        media, *parameters = part.split(";")
        kind, slash, subtype = media.strip().lower().partition("/")
        if not slash or not kind or not subtype:
            continue
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        yield kind, subtype, quality


def quality(accept: str, media_type: str) -> float:
    """The q-value `accept` gives `media_type`, from its most specific matching range."""
    kind, _, subtype = media_type.partition("/")
    best, found = -1, 0.0
    for range_kind, range_subtype, range_quality in _ranges(accept):
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif range_kind == kind and range_subtype == "*":
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best:
            best, found = specificity, range_quality
    return found


def prefers_html(accept: str | None) -> bool:
    """True when `text/html` is acceptable and ranks above every JSON type (ties: JSON)."""
    if not accept:
        return False
    html = quality(accept, "text/html")
    return html > 0 and html > max(quality(accept, media) for media in JSON_TYPES)
