"""Seed rows of `seed_data/trade_observations.yaml`, typed for an exact comparison.

Values and precisions become `Decimal` here (from their text), so that re-seeding compares
`Decimal("6.8")` with the stored `Decimal("6.800000")` as equal and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app.trade.numbers import to_decimal

DECIMAL_FIELDS = ("value", "precision")


def read_observations(seed_dir: Path) -> list[dict[str, Any]]:
    """The reported observations of the seed; `preferred` and derived rows are computed."""
    with (seed_dir / "trade_observations.yaml").open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle) or []
    if not isinstance(rows, list):
        raise ValueError("trade_observations.yaml: expected a list of rows")
    typed: list[dict[str, Any]] = []
    for row in rows:
        if "preferred" in row or row.get("status") == "derived":
            raise ValueError(f"{row.get('id')}: preferred flags and derived rows are computed")
        for name in DECIMAL_FIELDS:
            if row.get(name) is not None:
                row[name] = to_decimal(row[name])
        typed.append(row)
    return typed
