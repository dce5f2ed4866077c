"""HTTP routes of the meetings domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["meetings"])
