"""The HTML pages for people, at the root: `/` (the overview), `/meetings/{id}` and
`/problems/{slug}` (what a problem's `type` means: JSON for clients that do not prefer HTML).

They are ordinary GET routes, so the middleware gives them ETags, 304s, gzip and an HTML
Content-Security-Policy. The pages load nothing but their stylesheet from `/static/web`.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.db.dependencies import SessionDep
from app.errors import NotFound, ValidationFailed, problem_kind, problem_kinds, problem_responses
from app.http.language import PARAMETER as LANGUAGE_PARAMETER
from app.http.language import LanguageDep
from app.http.routes import named
from app.meetings.schemas import ASTANA_MEETING
from app.vocabulary import DEFAULT_LANGUAGE, SLUG_PATTERN, Language
from app.web import negotiation, service
from app.web.schemas import ProblemType
from app.web.templating import STATIC_DIR, STATIC_URL, render

router = APIRouter(tags=["pages"])

# The id is checked in the handler rather than by `Path(pattern=...)`, so that a browser
# gets its 422 as an HTML page too; the schema still states the pattern.
MeetingPageId = Annotated[
    str,
    Path(
        alias="id",
        description="Meeting id (a slug).",
        examples=[ASTANA_MEETING],
        json_schema_extra={"pattern": SLUG_PATTERN},
    ),
]


def _page(
    request: Request,
    template: str,
    language: Language,
    *,
    status_code: int = 200,
    switch: bool = True,
    **context: object,
) -> HTMLResponse:
    root = str(request.scope.get("root_path", "")).rstrip("/")
    chosen = LANGUAGE_PARAMETER in request.query_params
    page = render(template, root=root, language=language, chosen=chosen, switch=switch, **context)
    return HTMLResponse(page, status_code=status_code)


def _html_errors(*statuses: int) -> dict[int | str, dict[str, object]]:
    """`problem_responses` without `model`: FastAPI would list the model under `text/html`."""
    return {
        status: {key: value for key, value in response.items() if key != "model"}
        for status, response in problem_responses(*statuses).items()
    }


@router.get(
    "/",
    response_class=HTMLResponse,
    **named("getOverviewPage", "Get the overview page"),
    responses=problem_responses(),
)
def overview_page(request: Request, session: SessionDep, language: LanguageDep) -> HTMLResponse:
    """The overview for people: what this API is, charts of the series, meetings, findings."""
    return _page(request, "overview.html", language, page=service.overview(session, language))


@router.get(
    "/meetings/{id}",
    response_class=HTMLResponse,
    **named("getMeetingPage", one=True),
    responses=_html_errors(404, 422),
)
def meeting_page(
    request: Request, session: SessionDep, meeting_id: MeetingPageId, language: LanguageDep
) -> HTMLResponse:
    """One meeting as an HTML page; errors are problem+json unless the client prefers HTML."""
    try:
        if not re.fullmatch(SLUG_PATTERN, meeting_id):
            raise ValidationFailed.for_field(
                "path.id", f"String should match pattern '{SLUG_PATTERN}'"
            )
        page = service.meeting_page(session, meeting_id, language)
    except (NotFound, ValidationFailed) as error:
        if not negotiation.prefers_html(request.headers.get("accept")):
            raise  # the error handler answers problem+json
        return _page(
            request,
            "error.html",
            language,
            status_code=error.status,
            error=error,
            meeting=True,
            example=ASTANA_MEETING,
        )
    return _page(request, "meeting.html", language, page=page)


ProblemSlug = Annotated[
    str,
    Path(
        description="The problem type's slug: the last part of its `type`.", examples=["not-found"]
    ),
]


@router.get(
    "/problems/{slug}",
    response_model=ProblemType,
    **named("getProblemType", one=True),
    responses={
        200: {
            "description": "What the problem type means: HTML when the client prefers it.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        **_html_errors(404),
    },
)
def problem_type_page(request: Request, slug: ProblemSlug) -> Response | ProblemType:
    """A kind of problem the API answers with (its `type` names this page): status, title and
    what it means; an HTML page when the client prefers HTML, else JSON."""
    kind = problem_kind(slug)
    html = negotiation.prefers_html(request.headers.get("accept"))
    if kind is None:
        error = NotFound(f"No problem type {slug!r}; every problem's `type` names one that exists.")
        if not html:
            raise error
        return _english_page(request, "error.html", status_code=404, error=error, meeting=False)
    problem = ProblemType.of(kind)
    if not html:
        return problem
    kinds = [ProblemType.of(each) for each in problem_kinds()]
    return _english_page(request, "problem.html", problem=problem, kinds=kinds)


def _english_page(
    request: Request, template: str, *, status_code: int = 200, **context: object
) -> HTMLResponse:
    """A page in English only, as the problem documents it explains: no language switch."""
    return _page(
        request, template, DEFAULT_LANGUAGE, status_code=status_code, switch=False, **context
    )


def install_pages(app: FastAPI) -> None:
    """Serve the pages and their stylesheet (after `install_docs`: its `/static` mount first)."""
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="web-static")
    app.include_router(router)
