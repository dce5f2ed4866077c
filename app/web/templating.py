"""The Jinja2 environment of the HTML pages: autoescaped, strict about missing names.

Every page gets `t`, the catalogue of its language (`app.web.catalogue`), and the links of
the language switch.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

from app.vocabulary import LANGUAGES, Language
from app.web.catalogue import AUTONYMS, TRANSLATORS

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/static/web"
STYLESHEET = "site.css"
# The stylesheet's URL changes with its content, so a cached old copy is never used with a
# new page (the files are served with the same Cache-Control as every GET).
STYLESHEET_VERSION = hashlib.sha256((STATIC_DIR / STYLESHEET).read_bytes()).hexdigest()[:12]


def words(value: str | None) -> str:
    """`welcoming_speech` -> `welcoming speech`."""
    return (value or "").replace("_", " ")


def host(url: str) -> str:
    """`https://oq.gov.kz/...` -> `oq.gov.kz`: names a source that has no publisher record."""
    return urlsplit(url).hostname or url


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("app.web", "templates"),
        autoescape=True,  # every value is HTML-escaped unless it is already Markup (the SVG)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["words"] = words
    environment.filters["host"] = host
    return environment


ENVIRONMENT = _environment()


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch: `?lang=` on the page itself."""

    language: Language
    name: str  # the language's name in itself
    href: str
    current: bool


def render(
    template: str,
    *,
    root: str,
    language: Language,
    chosen: bool,
    switch: bool = True,
    **context: Any,
) -> str:
    """The page `template` in `language` for a site served under `root` (the ASGI root
    path, or ""). `chosen`: the language was asked for by `?lang=`, so the links to other
    pages keep it (otherwise each page follows `Accept-Language` again); `switch`: the page
    offers the other languages (a page in English only does not)."""
    stylesheet = f"{root}{STATIC_URL}/{STYLESHEET}?v={STYLESHEET_VERSION}"
    links = [
        LanguageLink(other, AUTONYMS[other], f"?lang={other}", other == language)
        for other in LANGUAGES
        if switch
    ]
    return ENVIRONMENT.get_template(template).render(
        root=root,
        api=f"{root}/api/v1",
        stylesheet=stylesheet,
        t=TRANSLATORS[language],
        languages=links,
        keep_lang=f"?lang={language}" if chosen else "",
        **context,
    )
