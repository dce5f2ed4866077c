"""Cross-cutting HTTP behaviour installed on the whole application."""

from __future__ import annotations

from fastapi import FastAPI


def install_middleware(app: FastAPI) -> None:
    """Install every middleware, outermost last."""
