"""The Jinja2 environment of the HTML pages: autoescaped, strict about missing names."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/static/web"
STYLESHEET = "site.css"
# The stylesheet's URL changes with its content, so a cached old copy is never used with a
# new page (the files are served with the same Cache-Control as every GET).
STYLESHEET_VERSION = hashlib.sha256((STATIC_DIR / STYLESHEET).read_bytes()).hexdigest()[:12]


def long_date(value: date | None) -> str:
    """`30 April 2024`; an empty string for no date."""
    return f"{value.day} {value:%B %Y}" if value else ""


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
    environment.filters["long_date"] = long_date
    environment.filters["words"] = words
    environment.filters["host"] = host
    return environment


ENVIRONMENT = _environment()


def render(template: str, *, root: str, **context: Any) -> str:
    """The page `template` for a site served under `root` (the ASGI root path, or "")."""
    stylesheet = f"{root}{STATIC_URL}/{STYLESHEET}?v={STYLESHEET_VERSION}"
    return ENVIRONMENT.get_template(template).render(
        root=root, api=f"{root}/api/v1", stylesheet=stylesheet, **context
    )
