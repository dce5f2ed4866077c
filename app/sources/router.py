"""HTTP routes of the sources domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["sources"])
