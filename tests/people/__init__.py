"""Tests of `app/people`: people and their posts through the HTTP API."""
