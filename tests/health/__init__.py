"""Tests of `app/health`: liveness and readiness."""
