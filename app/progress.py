"""Progress of long work (a seed, an import), told to whoever watches it.

The work says how many steps it has and names each as it begins; it never draws anything.
The CLI watches with a bar on a terminal (`app/console.py`); everyone else (the API, the
tests, a log) passes nothing and is told nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def begin(self, steps: int) -> None:
        """The work has `steps` steps in all."""

    def step(self, name: str) -> None:
        """The next step, `name`, begins (the one before it is done)."""


class _Unwatched:
    def begin(self, steps: int) -> None:
        pass

    def step(self, name: str) -> None:
        pass


UNWATCHED: Progress = _Unwatched()
