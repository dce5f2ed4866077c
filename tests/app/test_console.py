"""What the CLI draws: progress only on a terminal, tables whose columns line up."""

from __future__ import annotations

import io

from app.console import ProgressBar, counted, table
from app.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _work(progress: Progress) -> None:
    progress.begin(3)
    for step in ("areas", "sources", "derived figures"):
        progress.step(step)


def test_progress_is_drawn_on_a_terminal() -> None:
    terminal = Terminal()
    with ProgressBar("seed", terminal) as progress:
        _work(progress)
    drawn = terminal.getvalue()
    assert "seed: areas" in drawn
    assert "seed: derived figures" in drawn
    assert "2/3" in drawn


def test_progress_says_nothing_where_the_output_is_not_a_terminal() -> None:
    log = io.StringIO()
    with ProgressBar("seed", log) as progress:
        _work(progress)
    assert log.getvalue() == ""


def test_a_table_lines_up_its_columns_and_right_aligns_numbers() -> None:
    lines = table(
        ["KIND", "CREATED", "NOTE"],
        [["areas", "250", "from the list"], ["trade indicators", "8", "-"]],
        numbers=(1,),
    )
    assert lines == [
        "KIND              CREATED  NOTE",
        "areas                 250  from the list",
        "trade indicators        8  -",
    ]


def test_counted_words_agree_with_their_number() -> None:
    assert [counted(1, "row"), counted(2, "row"), counted(1234, "figure")] == [
        "1 row",
        "2 rows",
        "1,234 figures",
    ]
