"""Every row against the schema, the database and the rules, in one pass.

A row that breaks the schema is still checked for what else is wrong with it: each field
that is well formed is looked up (an unknown area, indicator or source), so a file is
answered with all its problems at once, never one kind per round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.areas.repository import codes_for
from app.errors import REFERENCE_ERROR, RULE_ERROR, FieldError
from app.schemas import TEXT_VALUES
from app.sources.models import Source
from app.trade.importers.base import MAX_ERRORS, Row
from app.trade.models import TradeIndicator
from app.trade.writes import ObservationIn
from app.vocabulary import SLUG_PATTERN

AREA_CODE = re.compile(r"[A-Za-z]{2,3}")
AREA_FIELDS = ("reporter", "partner")
# The fields whose values name other records, checked even in a row with other problems.
REFERENCE_FIELDS = (*AREA_FIELDS, "indicator", "source_id")


class Validator:
    """Checks rows against the schema and against what the database holds; keeps the errors."""

    def __init__(self, session: Session, rows: list[Row], shared_source: str | None) -> None:
        self.errors: list[FieldError] = []
        self._seen: set[tuple[int | None, str, str]] = set()
        self.units = dict(session.execute(select(TradeIndicator.code, TradeIndicator.unit)).all())
        # Only well-formed values are looked up: the others fail row validation anyway, and
        # some (a NUL byte) could not even be sent to PostgreSQL.
        raw_codes = {
            str(row.data.get(name))
            for row in rows
            for name in AREA_FIELDS
            if AREA_CODE.fullmatch(str(row.data.get(name)))
        }
        self.areas = codes_for(session, sorted(raw_codes))
        wanted_sources = {str(row.data.get("source_id")) for row in rows}
        if shared_source is not None:
            wanted_sources.add(shared_source)
        wanted = [source for source in wanted_sources if re.fullmatch(SLUG_PATTERN, source)]
        self.sources = set(session.scalars(select(Source.id).where(Source.id.in_(wanted))))
        if shared_source is not None and shared_source not in self.sources:
            # One error for the file, not one for each of its rows.
            unknown = f"unknown source {shared_source!r}"
            self.add(FieldError(field="source", message=unknown, type=REFERENCE_ERROR))
            self.sources.add(shared_source)

    def add(self, error: FieldError) -> None:
        # Both figures of a COW row name the same two states: one error says it once.
        seen = (error.line, error.field, error.message)
        if len(self.errors) < MAX_ERRORS and seen not in self._seen:
            self._seen.add(seen)
            self.errors.append(error)

    def error(self, row: Row, name: str, message: str, kind: str = "value_error") -> None:
        """An error of `row`, named by the file's own column where the format has one."""
        column = row.columns.get(name, name) if row.columns else name
        self.add(FieldError(field=column, message=message, type=kind, line=row.line))

    def check(self, row: Row) -> dict[str, Any] | None:
        """The row's checked values (area codes as alpha-3), or None after noting its errors."""
        data, malformed = self._schema(row)
        # A refused row's well-formed values are checked too (on a copy: nothing is kept).
        values = data if data is not None else dict(row.data)
        known = self._references(row, values, malformed)
        ruled = self._rules(row, values, malformed)
        return data if data is not None and known and ruled else None

    def _schema(self, row: Row) -> tuple[dict[str, Any] | None, set[str]]:
        """The values `ObservationIn` makes of the row, or None and the fields it refuses."""
        try:
            context = TEXT_VALUES if row.lax else None
            model = ObservationIn.model_validate(row.data, context=context)
        except ValidationError as error:
            malformed: set[str] = set()
            for item in error.errors():
                location = ".".join(str(part) for part in item["loc"]) or "row"
                malformed.add(str(item["loc"][0]) if item["loc"] else "row")
                self.error(row, location, item["msg"], item["type"])
            return None, malformed
        return model.model_dump(), set()

    def _references(self, row: Row, values: dict[str, Any], malformed: Iterable[str]) -> bool:
        """Whether the records the row names exist; area codes in `values` become alpha-3."""
        known = True
        checked = [name for name in REFERENCE_FIELDS if name not in malformed and name in values]
        for name in checked:
            if name in AREA_FIELDS:
                code = self.areas.get(str(values[name]))
                if code is None:
                    self.error(row, name, f"unknown area code {values[name]!r}", REFERENCE_ERROR)
                    known = False
                values[name] = code
            elif not self._exists(name, values[name]):
                what = "indicator" if name == "indicator" else "source"
                self.error(row, name, f"unknown {what} {values[name]!r}", REFERENCE_ERROR)
                known = False
        return known

    def _exists(self, name: str, value: Any) -> bool:
        return value in (self.units if name == "indicator" else self.sources)

    def _rules(self, row: Row, values: dict[str, Any], malformed: Iterable[str]) -> bool:
        """The indicator's unit (filled in when omitted), and money is never negative."""
        indicator = None if "indicator" in malformed else values.get("indicator")
        unit = self.units.get(indicator) if isinstance(indicator, str) else None
        if unit is None:
            return True  # no indicator to hold the row to (it is an error already)
        ok = True
        if "unit" not in malformed and values.get("unit") is None:
            values["unit"] = unit
        elif "unit" not in malformed and values["unit"] != unit:
            self.error(row, "unit", f"the indicator's unit is {unit}", RULE_ERROR)
            ok = False
        if unit == "USD" and "value" not in malformed and _negative(values.get("value")):
            self.error(row, "value", "money values cannot be negative", RULE_ERROR)
            ok = False
        return ok


def _negative(value: Any) -> bool:
    """Whether a value (checked by the schema, or its text in a refused row) is below zero."""
    try:
        return Decimal(str(value)) < 0
    except InvalidOperation:
        return False
