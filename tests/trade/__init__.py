"""Tests of `app/trade`: indicators, observations, series, checks, derivations, imports."""
