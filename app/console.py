"""What the CLI shows people: aligned tables, counted words, progress bars on a terminal.

Progress goes to stderr and only when stderr is a terminal: piped or redirected output (a
script, a log, CI) stays exactly the lines a command prints, with no bar drawn into it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, TextIO

from tqdm import tqdm


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`1 row`, `2 rows`, `1,234 figures`."""
    return f"{count:,} {word if count == 1 else plural or word + 's'}"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numbers: Sequence[int] = (),
    indent: str = "",
) -> list[str]:
    """The lines of a table whose columns line up: the columns of `numbers` (their indexes)
    right-aligned, the others left-aligned; no padding after the last cell."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if index in numbers else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), *(line(row) for row in rows)]


class ProgressBar:
    """`app.progress.Progress` drawn by tqdm: one bar over the work's steps, labelled with
    the step at work, on `stream` when it is a terminal; nothing at all otherwise."""

    # Seconds between redraws while one long step works (its elapsed time keeps counting).
    REDRAW_SECONDS = 0.5

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream or sys.stderr
        self._bar: tqdm[Any] | None = None
        self._started = False
        self._done = threading.Event()

    def begin(self, steps: int) -> None:
        if not self._stream.isatty():
            return
        self._bar = tqdm(
            total=steps,
            desc=self._label,
            file=self._stream,
            leave=False,  # the command's own summary follows; the bar goes
            bar_format="{desc}  {percentage:3.0f}%|{bar:20}| {n_fmt}/{total_fmt} [{elapsed}]",
        )
        threading.Thread(target=self._redraw, args=(self._bar,), daemon=True).start()

    def step(self, name: str) -> None:
        if self._bar is None:
            return
        if self._started:
            self._bar.update(1)
        self._started = True
        self._bar.set_description_str(f"{self._label}: {name}")

    def echo(self, text: str) -> None:
        """Print a line of results on stdout, around the bar if one is drawn."""
        if self._bar is None:
            print(text, flush=True)
        else:
            self._bar.write(text, file=sys.stdout)

    def _redraw(self, bar: tqdm[Any]) -> None:
        while not self._done.wait(self.REDRAW_SECONDS):
            bar.refresh()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self._done.set()
        if self._bar is not None:
            self._bar.close()
