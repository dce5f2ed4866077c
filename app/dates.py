"""Dates that a source gives only to the month or the year, and how to say them; moments
given in a query.

A record keeps such a date as the first day of the period it names (`2015-12-01` for
"December 2015") together with its precision (`app.vocabulary.DatePrecision`), so it
sorts and filters like any date and never claims a day that no source gives. `period_end`
is the last day the date may stand for; `spoken` writes it the way people do
("30 Apr 2024", "Oct 2024", "2023").
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime


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


# An RFC 3339 `full-date`, or a `date-time` (`T`, `t` or a space between date and time; an
# offset is required). A `+` the client did not percent-encode arrives as a space: a space
# before the offset is read as the `+` it was.
_MOMENT = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[Tt ](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})(?:\.(?P<fraction>[0-9]+))?"
    r"(?P<offset>[Zz]|[+\- ][0-9]{2}:[0-9]{2}))?"
)


def parse_moment(text: str) -> date | datetime:
    """An RFC 3339 date (a `date`) or time (a `datetime` in UTC); ValueError for anything else.

    Fractions of a second beyond microseconds are cut, as the database keeps microseconds.
    """
    match = _MOMENT.fullmatch(text)
    if match is None:
        raise ValueError("not an RFC 3339 date or time")
    day = date.fromisoformat(match["date"])
    if match["time"] is None:
        return day
    offset = match["offset"].upper().replace("Z", "+00:00").replace(" ", "+")
    fraction = (match["fraction"] or "").ljust(6, "0")[:6]
    moment = datetime.fromisoformat(f"{match['date']}T{match['time']}.{fraction}{offset}")
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+01:00 is before the first moment Python can hold in UTC, and
        # 9999-12-31T23:59:59-01:00 after the last: each stands for the nearest one.
        if moment.year == 1:
            return datetime.min.replace(tzinfo=UTC)
        return datetime.max.replace(tzinfo=UTC)
