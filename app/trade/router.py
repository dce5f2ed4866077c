"""HTTP routes of the trade domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["trade"])
