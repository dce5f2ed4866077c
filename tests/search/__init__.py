"""Tests of `app/search`: full-text search through the HTTP API."""
