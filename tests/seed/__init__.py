"""Tests of the seed (`app/seed.py`, `seed_data/`): idempotent, sourced, honest."""
