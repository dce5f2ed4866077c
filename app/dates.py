"""Dates that a source gives only to the month or the year, and how to say them.

A record keeps such a date as the first day of the period it names (`2015-12-01` for
"December 2015") together with its precision (`app.vocabulary.DatePrecision`), so it
sorts and filters like any date and never claims a day that no source gives. `period_end`
is the last day the date may stand for; `spoken` writes it the way people do
("30 Apr 2024", "Oct 2024", "2023").
"""

from __future__ import annotations

import calendar
from datetime import date


def period_start(day: date, precision: str) -> date:
    """The first day of the period a date of `precision` names."""
    if precision == "year":
        return date(day.year, 1, 1)
    if precision == "month":
        return date(day.year, day.month, 1)
    return day


def period_end(day: date, precision: str) -> date:
    """The last day a date of `precision` may stand for (`2023`, year -> 2023-12-31)."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def spoken(day: date, precision: str = "day") -> str:
    """`30 Apr 2024`, `Oct 2024` or `2023`, as far as the precision allows."""
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{calendar.month_abbr[day.month]} {day.year}"
    return f"{day.day} {calendar.month_abbr[day.month]} {day.year}"
