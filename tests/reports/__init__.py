"""Tests of `app/reports`: reports through the HTTP API."""
