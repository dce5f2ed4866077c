"""Tests of `app/areas`: areas and SCO membership through the HTTP API."""
