"""406 Not Acceptable when `Accept` admits none of the media types an answer can have.

RFC 9110 §12.5.1 lets a server either honour `Accept` with a 406 or ignore it and send its
default. Ignoring it would answer JSON to a client that said it cannot read JSON, so it is
honoured everywhere, with one reading of the header (`app.http.headers`):

* The types a route answers with are read from its declaration: its `response_class`
  (JSON by default, HTML for the pages and the docs) and the 2xx `content` of its
  `responses` (CSV where it is offered). A route that answers no body (204) is not
  negotiated. What no route declares (`/openapi.json`, static files) has the type it is
  sent with.
* No `Accept`, one without a single valid media range, `*/*`, `application/*` and the
  `Accept` of browsers (`text/html,...,*/*;q=0.8`) admit them; an answer is refused only
  when every type it could have gets weight 0 (`Accept: application/xml` on a JSON route).
  A route that offers several types picks among them by its own rules (`?format=csv`).
* Errors are problem+json whatever `Accept` says (§15.5.7 allows it, and a client must be
  told why it was refused), and an error is never turned into a 406: a read is checked
  when its answer starts (`AcceptableMiddleware`: only a 2xx is replaced), a write before
  it runs (`require_acceptable`: nothing is written for an answer the client would refuse).
"""

from __future__ import annotations

from typing import Any

from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_MEDIA_TYPE, NotAcceptable, problem_response
from app.http.headers import MediaRange, media_ranges, quality_among

_TYPES_ATTRIBUTE = "_sco_answer_types"
NO_BODY_STATUSES = frozenset({204, 304})
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Long enough for any real header; the detail quotes it, so a huge one is cut.
QUOTED_ACCEPT_LIMIT = 200


def _bare(media_type: str) -> str:
    """`text/plain` for `text/plain; version=0.0.4`."""
    return media_type.partition(";")[0].strip().lower()


def _declared_types(route: APIRoute) -> frozenset[str]:
    if route.status_code in NO_BODY_STATUSES:
        return frozenset()
    response_class: Any = route.response_class
    if isinstance(response_class, DefaultPlaceholder):
        response_class = response_class.value
    found = set()
    default = getattr(response_class, "media_type", None)
    if default:
        found.add(_bare(default))
    for status, response in route.responses.items():
        if str(status).startswith("2"):
            found.update(_bare(media_type) for media_type in response.get("content", {}))
    found.discard(PROBLEM_MEDIA_TYPE)
    return frozenset(found)


def answer_types(route: object) -> frozenset[str]:
    """The media types `route` answers with (kept on the route once read)."""
    if not isinstance(route, APIRoute):
        return frozenset()
    types: frozenset[str] | None = getattr(route, _TYPES_ATTRIBUTE, None)
    if types is None:
        types = _declared_types(route)
        setattr(route, _TYPES_ATTRIBUTE, types)
    return types


def _refusal(accept: str, ranges: list[MediaRange], types: frozenset[str]) -> str | None:
    """Why `accept` (parsed: `ranges`) refuses an answer of one of `types` (None: it admits
    one of them, or says nothing valid)."""
    if not types or not ranges:
        return None
    if any(quality_among(ranges, media_type) > 0 for media_type in types):
        return None
    quoted = accept if len(accept) <= QUOTED_ACCEPT_LIMIT else accept[:QUOTED_ACCEPT_LIMIT] + "…"
    return f"is available as {', '.join(sorted(types))}; `Accept: {quoted}` admits none of them."


async def require_acceptable(request: Request) -> None:
    """A 406 before a write runs when `Accept` admits nothing the route answers with."""
    if request.method in SAFE_METHODS:  # reads are checked as they answer (the middleware)
        return
    accept = request.headers.get("accept")
    if not accept:
        return
    why = _refusal(accept, media_ranges(accept), answer_types(request.scope.get("route")))
    if why is not None:
        raise NotAcceptable(f"{request.url.path} {why}")


class AcceptableMiddleware:
    """A 406 in place of a read's 2xx answer when `Accept` admits none of its types."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        accept = next((v for k, v in scope["headers"] if k == b"accept"), b"").decode("latin-1")
        ranges = media_ranges(accept) if accept else []
        if not ranges:  # no `Accept`, or none that says anything: any type will do
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_checked(message: Message) -> None:
            nonlocal refused
            if refused:
                return  # the body of the answer that was refused
            if message["type"] == "http.response.start" and 200 <= message["status"] < 300:
                why = _refusal(accept, ranges, _types_of(scope, message))
                if why is not None:
                    refused = True
                    problem = problem_response(
                        None,
                        status=406,
                        kind=NotAcceptable,
                        detail=f"{scope['path']} {why}",
                        instance=scope["path"],
                    )
                    await problem(scope, receive, send)
                    return
            await send(message)

        await self.app(scope, receive, send_checked)


def _types_of(scope: Scope, start: Message) -> frozenset[str]:
    """The types the route declares, else the one this answer is sent with."""
    declared = answer_types(scope.get("route"))
    if declared:
        return declared
    content_type = next((v for k, v in start.get("headers", []) if k == b"content-type"), b"")
    return frozenset({_bare(content_type.decode("latin-1"))}) if content_type else frozenset()
