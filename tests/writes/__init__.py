"""Tests of `app/writes`: the write path every writable resource shares."""
