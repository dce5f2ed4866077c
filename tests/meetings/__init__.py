"""Tests of `app/meetings`: meetings, sessions, delegations and participations."""
