"""Tests of `app/organizations`: organizations through the HTTP API."""
