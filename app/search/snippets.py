"""The snippet of a hit: the engine's highlighted fragment, with the CJK runs of the query
marked too (the engines see a run of CJK characters as one token, so they cannot)."""

from __future__ import annotations

from collections.abc import Sequence

MARK, END = "<mark>", "</mark>"
ELLIPSIS = "…"
# Characters of context before and after a CJK match, when the engine's fragment has none.
BEFORE, AFTER = 30, 60


def _marked(fragment: str, runs: Sequence[str]) -> str:
    """Each occurrence of a run wrapped in a mark (longer runs first: none marked twice)."""
    for run in runs:
        pieces = fragment.split(run)
        if len(pieces) > 1:
            fragment = f"{MARK}{run}{END}".join(pieces)
    return fragment


def _around(text: str, runs: Sequence[str]) -> str:
    """A fragment of `text` around the first occurrence of any run, marked; "" if none."""
    found = [index for index in (text.find(run) for run in runs) if index >= 0]
    if not found:
        return ""
    start = max(0, min(found) - BEFORE)
    end = min(len(text), min(found) + AFTER)
    fragment = (ELLIPSIS if start else "") + text[start:end] + (ELLIPSIS if end < len(text) else "")
    return _marked(fragment, runs)


def best_snippet(fragments: Sequence[str], text: str, runs: Sequence[str]) -> str:
    """The first of the engine's `fragments` (best first) that marks a match, the CJK `runs`
    of the query marked in it; else a fragment of the whole `text` around a run; else the
    first fragment as it is."""
    for fragment in fragments:
        if MARK in fragment or any(run in fragment for run in runs):
            return _marked(fragment, runs)
    return _around(text, runs) or fragments[0]
