"""Tests of `app/http`: what every HTTP exchange goes through (caching, limits, paging, docs)."""
