"""Tests of the top-level modules of `app/` (`app/container.py`, `app/vocabulary.py`)
and of the layers between all of its packages."""
