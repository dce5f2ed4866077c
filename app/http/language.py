"""The language of an answer: chosen once per request, passed down as a plain value.

`?lang=` (`en`, `ru`, `zh`) wins over `Accept-Language`; a language tag that names none of
them (`lang=fr`, `Accept-Language: de`), or no choice at all, gives English (DESIGN
section 9). A tag is matched by RFC 4647's lookup, so `zh-CN`, `zh-Hans` and `ru-RU` name
`zh` and `ru`. A `lang` that is no language tag at all (`lang=12!`) is a 422.

A route whose answer depends on the language takes `LanguageDep` (the one declaration of
the `lang` parameter) and hands the value to its service. Taking it marks the answer as
negotiated: `LanguageHeadersMiddleware` then adds `Content-Language` (but to a problem
document, always English) and `Vary: Accept-Language`. The answer cache keys every answer by
the same choice (`language_of_scope`), so one language's answer is never served for another.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Query, Request
from starlette.datastructures import QueryParams
from starlette.types import Message, Receive, Scope, Send

from app.errors import PROBLEM_MEDIA_TYPE
from app.http.asgi import HttpMiddleware
from app.http.caching import merge_vary
from app.http.headers import language_ranges, lookup_language, raw_headers
from app.vocabulary import DEFAULT_LANGUAGE, LANGUAGES, Language, in_words

PARAMETER = "lang"
# RFC 5646 in short: letters, then hyphen-joined subtags of letters and digits.
LANGUAGE_TAG = r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$"
# Where the chosen language is noted for the middleware (the request's `state`).
_STATE_KEY = "language"


def negotiate(lang: str | None, accept_language: str | None) -> Language:
    """The language of the answer: `lang` if given, else the best of `Accept-Language`,
    else (or where neither names one of `LANGUAGES`) English."""
    ranges = [lang] if lang is not None else language_ranges(accept_language or "")
    return cast(Language, lookup_language(ranges, LANGUAGES) or DEFAULT_LANGUAGE)


def language_of_scope(scope: Scope) -> Language:
    """`negotiate` for a raw ASGI request (the answer cache keys by it, on every request:
    one that names no language is answered without parsing its query or its headers)."""
    query: bytes = scope["query_string"]
    lang = QueryParams(query).get(PARAMETER) if b"lang=" in query else None
    header = raw_headers(scope["headers"], b"accept-language").get(b"accept-language")
    if lang is None and header is None:
        return DEFAULT_LANGUAGE
    return negotiate(lang, None if header is None else header.decode("latin-1"))


async def request_language(
    request: Request,
    lang: Annotated[
        str | None,
        Query(
            alias=PARAMETER,
            max_length=35,
            pattern=LANGUAGE_TAG,
            description=f"Language of the names and labels: {in_words(LANGUAGES)}; wins over "
            "`Accept-Language`. Any other language falls back to `en`. Stored facts (titles, "
            "notes, quotes) stay in the language of their source.",
            examples=["ru"],
        ),
    ] = None,
) -> Language:
    """The language this request's answer is given in (noted for the answer's headers)."""
    # async: nothing to wait for, so no trip to the thread pool.
    language = negotiate(lang, request.headers.get("accept-language"))
    request.scope.setdefault("state", {})[_STATE_KEY] = language
    return language


LanguageDep = Annotated[Language, Depends(request_language)]


class LanguageHeadersMiddleware(HttpMiddleware):
    """`Content-Language` and `Vary: Accept-Language` on the answers of routes that took
    `LanguageDep`. A problem document gets the `Vary` only: it is written in English."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        state: dict[str, object] = scope.setdefault("state", {})

        async def send_with_language(message: Message) -> None:
            language = state.get(_STATE_KEY)
            if message["type"] == "http.response.start" and language is not None:
                headers = [(k, v) for k, v in message["headers"] if k != b"vary"]
                vary = next((v for k, v in message["headers"] if k == b"vary"), None)
                merged = merge_vary(
                    None if vary is None else vary.decode("latin-1"), ["Accept-Language"]
                )
                headers.append((b"vary", merged.encode("latin-1")))
                media_type = next((v for k, v in headers if k == b"content-type"), b"")
                problem = media_type.startswith(PROBLEM_MEDIA_TYPE.encode("latin-1"))
                if message["status"] != 204 and not problem:  # 204: no content to be in one
                    headers.append((b"content-language", str(language).encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_language)
