"""Whether a request would rather have an HTML page than a problem+json document.

The HTML pages answer their errors (404, 422) as problem+json, as every endpoint does,
unless the `Accept` header prefers `text/html` to JSON: a browser (`text/html,...,*/*;q=0.8`)
then gets a small HTML page, while `curl` (`*/*`) and API clients get the problem.
`Accept` is read by `app.http.headers`, as everywhere.
"""

from __future__ import annotations

from app.http.headers import prefers

JSON_TYPES = ("application/problem+json", "application/json")


def prefers_html(accept: str | None) -> bool:
    """True when `text/html` is acceptable and ranks above every JSON type (ties: JSON)."""
    return prefers(accept, "text/html", over=JSON_TYPES)
