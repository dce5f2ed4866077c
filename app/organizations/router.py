"""HTTP routes of the organizations domain."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["organizations"])
