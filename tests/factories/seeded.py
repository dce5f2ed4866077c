"""Ids of seeded records (`seed_data/`) that the factories refer to by default."""

from __future__ import annotations

KAZINFORM = "kazinform-2024-04-30"
KAZ_MINISTRY = "kaz-ministry-of-trade-and-integration"
QAZTRADE = "qaztrade"
KUSHUKOVA = "janel-kushukova"
ASTANA = "2024-04-30-astana-swg-trade-facilitation"
