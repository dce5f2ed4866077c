"""Exact decimal arithmetic for trade figures: one context, one rounding rule, one text form.

Every derived figure is computed in `CONTEXT` (34 significant digits, the precision of
IEEE decimal128) from the exact stored inputs and rounded once, at the edge, to the six
decimal places the `value` column keeps (`round_stored`, half-even). Nothing is ever a
binary float on the way.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext

from app.db.types import plain_text

CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN)
STORED_PLACES = Decimal("0.000001")  # the scale of the ExactDecimal column
HUNDRED = Decimal(100)
ONE = Decimal(1)
# NUMERIC(24, 6) holds 18 integer digits; a derived figure beyond that is not stored.
STORABLE_LIMIT = Decimal(10) ** 18


def round_stored(value: Decimal) -> Decimal:
    """Round a computed figure to the stored scale (6 decimal places, half-even)."""
    with localcontext(CONTEXT):
        return value.quantize(STORED_PLACES, rounding=ROUND_HALF_EVEN)


def is_storable(value: Decimal) -> bool:
    return value.is_finite() and abs(value) < STORABLE_LIMIT


def plain(value: Decimal) -> str:
    """The exact value as plain decimal text without exponent or trailing zeros.

    `66000000000.000000` -> `66000000000`, `6.800000` -> `6.8`: this is what JSON numbers
    and CSV cells carry, so both formats print the same digits (and SQLite stores).
    """
    return plain_text(value)


def to_decimal(raw: object) -> Decimal:
    """A Decimal from seed/CSV input (int, str or YAML float, read through its text form)."""
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(f"not a number: {raw!r}")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {raw!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite number: {raw!r}")
    return value


def last_digit_unit(value: Decimal) -> Decimal:
    """The unit of the last significant digit (66000000000 -> 1E+9, 6.8 -> 0.1).

    Used as the precision of a figure whose precision was not recorded.
    """
    if value.is_zero():
        return ONE
    exponent = value.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # NaN / infinity never reach here (see to_decimal)
        return ONE
    return Decimal(1).scaleb(exponent)
