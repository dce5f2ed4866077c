"""Tests of the top-level modules of `app/` (`app/container.py`, `app/vocabulary.py`)."""
