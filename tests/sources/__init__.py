"""Tests of `app/sources`: sources through the HTTP API."""
