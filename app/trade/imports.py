"""Bulk import of observations (CSV with the export's columns, or a JSON array).

All or nothing: every row is validated first and every bad row is reported with its line
and field; only a clean file is written, in the request's one transaction. Rows are
upserted on the natural key (reporter, partner, indicator, year, base year, source), so
importing the same file twice changes nothing. Derived rows in the file (an export contains them)
are skipped: the service recomputes derived figures after the import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.areas.repository import codes_for
from app.changes.tracking import note_changes
from app.db.bulk import among
from app.db.statistics import refresh_statistics
from app.errors import REFERENCE_ERROR, RULE_ERROR, FieldError, ValidationFailed
from app.schemas import TEXT_VALUES
from app.sources.models import Source
from app.trade import repository, service
from app.trade.models import TradeIndicator, TradeObservation
from app.trade.writes import ObservationIn, observation_id
from app.vocabulary import SLUG_PATTERN

# Columns of the CSV export that are computed, not imported.
COMPUTED_FIELDS = frozenset(
    {
        "preferred",
        "derivation",
        "derivation_formula",
        "derivation_inputs",
        "created_at",
        "updated_at",
        "bounds_lower",
        "bounds_upper",
    }
)
IMPORTED_FIELDS = frozenset(ObservationIn.model_fields)
STORED_FIELDS = (
    "reporter", "partner", "indicator", "year", "base_year", "value", "unit", "precision",
    "qualifier", "status", "source_id", "note", "span_years", "qualifier_word",
)  # fmt: skip
MAX_ERRORS = 1000
AREA_CODE = re.compile(r"[A-Za-z]{2,3}")
BATCH = 5000
# Imports this large change the table's shape enough to refresh the planner's statistics
# (PostgreSQL samples some 30,000 rows for it: not worth it for a handful of figures).
STATISTICS_AFTER_ROWS = 1000
# Parameters per lookup query: well under SQLite's 32,766 and PostgreSQL's 65,535.
KEYS_PER_QUERY = 2000  # six columns each
IDS_PER_QUERY = 5000


@dataclass
class ImportResult:
    received: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_derived: int = 0
    derived: dict[str, int] = field(default_factory=dict)


@dataclass
class _Row:
    line: int
    data: dict[str, Any]
    text: bool = False  # a CSV row: every value is text


def _rows_from_csv(raw: bytes) -> Iterator[_Row]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed.for_field("body", f"not UTF-8 text: {error.reason}") from error
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    header = reader.fieldnames or []
    unknown = [name for name in header if name not in IMPORTED_FIELDS | COMPUTED_FIELDS]
    if unknown:
        raise ValidationFailed.for_field("body.header", f"unknown column(s): {', '.join(unknown)}")
    try:
        for record in reader:
            if None in record:
                raise ValidationFailed.for_field(
                    f"line {reader.line_num}", "more cells than the header has columns"
                )
            cells = {k: (v if v != "" else None) for k, v in record.items()}
            yield _Row(reader.line_num, cells, text=True)
    except csv.Error as error:
        raise ValidationFailed.for_field(f"line {reader.line_num}", f"bad CSV: {error}") from error


def _rows_from_json(raw: bytes) -> Iterator[_Row]:
    try:
        # Decimals parsed exactly; a binary float would change published digits.
        data = json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError) as error:
        raise ValidationFailed.for_field("body", f"not valid JSON: {error}") from error
    if not isinstance(data, list):
        raise ValidationFailed.for_field("body", "expected a JSON array of observations")
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ValidationFailed.for_field(f"body[{index}]", "expected an object")
        yield _Row(index, item)


def read_rows(raw: bytes, media_type: str) -> list[_Row]:
    if media_type == "text/csv":
        return list(_rows_from_csv(raw))
    return list(_rows_from_json(raw))


def _error(line: int, field_name: str, message: str, kind: str = "value_error") -> FieldError:
    return FieldError(field=field_name, message=message, type=kind, line=line)


class _Validator:
    """Checks every row against the schema and against what the database holds."""

    def __init__(self, session: Session, rows: list[_Row]) -> None:
        self.session = session
        self.errors: list[FieldError] = []
        self.units = dict(session.execute(select(TradeIndicator.code, TradeIndicator.unit)).all())
        # Only well-formed values are looked up: the others fail row validation anyway, and
        # some (a NUL byte) could not even be sent to PostgreSQL.
        raw_codes = {
            str(row.data.get(name))
            for row in rows
            for name in ("reporter", "partner")
            if AREA_CODE.fullmatch(str(row.data.get(name)))
        }
        self.areas = codes_for(session, sorted(raw_codes))
        wanted_sources = {
            str(row.data.get("source_id"))
            for row in rows
            if re.fullmatch(SLUG_PATTERN, str(row.data.get("source_id")))
        }
        self.sources = set(session.scalars(select(Source.id).where(Source.id.in_(wanted_sources))))

    def add(self, error: FieldError) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)

    def row(self, row: _Row) -> dict[str, Any] | None:
        payload = {k: v for k, v in row.data.items() if k not in COMPUTED_FIELDS}
        try:
            model = ObservationIn.model_validate(payload, context=TEXT_VALUES if row.text else None)
        except ValidationError as error:
            for item in error.errors():
                location = ".".join(str(part) for part in item["loc"]) or "row"
                self.add(_error(row.line, location, item["msg"], item["type"]))
            return None
        data = model.model_dump()
        ok = True
        for name in ("reporter", "partner"):
            code = self.areas.get(data[name])
            if code is None:
                self.add(
                    _error(row.line, name, f"unknown area code {data[name]!r}", REFERENCE_ERROR)
                )
                ok = False
            data[name] = code
        unit = self.units.get(data["indicator"])
        if unit is None:
            unknown = f"unknown indicator {data['indicator']!r}"
            self.add(_error(row.line, "indicator", unknown, REFERENCE_ERROR))
            return None
        if data["unit"] is None:
            data["unit"] = unit
        elif data["unit"] != unit:
            self.add(_error(row.line, "unit", f"the indicator's unit is {unit}", RULE_ERROR))
            ok = False
        if unit == "USD" and data["value"] < 0:
            self.add(_error(row.line, "value", "money values cannot be negative", RULE_ERROR))
            ok = False
        if data["source_id"] not in self.sources:
            self.add(
                _error(
                    row.line, "source_id", f"unknown source {data['source_id']!r}", REFERENCE_ERROR
                )
            )
            ok = False
        return data if ok else None


def _existing(session: Session, keys: list[repository.Identity]) -> dict[repository.Identity, Any]:
    columns = (TradeObservation.id, *[getattr(TradeObservation, f) for f in STORED_FIELDS])
    found: dict[repository.Identity, Any] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        for row in repository.find_by_identity(session, chunk, columns):
            found[repository.identity_of(row)] = row
    return found


def _ids_in_use(session: Session, ids: list[str]) -> set[str]:
    """Which of `ids` exist, asked in chunks (databases cap the parameters of one query)."""
    found: set[str] = set()
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        statement = select(TradeObservation.id).where(
            among(session, [TradeObservation.id], [(id_,) for id_ in chunk])
        )
        found.update(session.scalars(statement))
    return found


@dataclass
class _Writes:
    """What a clean file changes: rows to insert, rows to update, and how many match."""

    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0


def _rows_to_import(rows: list[_Row]) -> list[_Row]:
    """Every row but the derived ones (an export has them): those are recomputed instead."""
    return [row for row in rows if (row.data.get("status") or "reported") != "derived"]


def _valid_rows(validator: _Validator, rows: list[_Row]) -> list[tuple[_Row, dict[str, Any]]]:
    """Each row that passes validation, with its checked values; a repeated figure is an error."""
    clean: list[tuple[_Row, dict[str, Any]]] = []
    first_line: dict[repository.Identity, int] = {}
    for row in rows:
        data = validator.row(row)
        if data is None:
            continue
        key = repository.identity_of(data)
        if key in first_line:
            validator.add(
                _error(row.line, "row", f"same figure and source as line {first_line[key]}")
            )
            continue
        first_line[key] = row.line
        clean.append((row, data))
    return clean


def _changed_values(current: Any, data: dict[str, Any]) -> dict[str, Any] | None:
    """The stored fields of `data` when any differs from the stored row, else None."""
    values = {name: data[name] for name in STORED_FIELDS}
    if any(getattr(current, name) != value for name, value in values.items()):
        return values
    return None


def _sort_into_writes(
    validator: _Validator,
    clean: list[tuple[_Row, dict[str, Any]]],
    existing: dict[repository.Identity, Any],
) -> _Writes:
    """New figures are inserted (with an id made for them), changed ones updated by id.

    A figure sent with an id other than the one it is stored under is an error.
    """
    writes = _Writes()
    for row, data in clean:
        current = existing.get(repository.identity_of(data))
        if current is None:
            data["id"] = data["id"] or observation_id(data)
            writes.inserts.append(data)
        elif data["id"] and data["id"] != current.id:
            validator.add(_error(row.line, "id", f"this figure is stored as {current.id!r}"))
        elif (values := _changed_values(current, data)) is not None:
            writes.updates.append({"id": current.id, **values})
        else:
            writes.unchanged += 1
    return writes


def _check_new_ids(session: Session, validator: _Validator, inserts: list[dict[str, Any]]) -> None:
    """A new figure may not take an id another figure (of another identity) holds."""
    taken = _ids_in_use(session, [data["id"] for data in inserts])
    for data in inserts:
        if data["id"] in taken:
            validator.add(
                _error(0, "id", f"id {data['id']!r} is already used by another figure", RULE_ERROR)
            )


def _write(session: Session, writes: _Writes) -> None:
    """Insert and update in batches, and record both in the change feed."""
    repository.insert_observations(session, [{**d, "preferred": False} for d in writes.inserts])
    for start in range(0, len(writes.updates), BATCH):
        session.execute(update(TradeObservation), writes.updates[start : start + BATCH])
    note_changes(
        session,
        [("trade_observation", d["id"], "create") for d in writes.inserts]
        + [("trade_observation", d["id"], "update") for d in writes.updates],
    )


def _recompute_derived(session: Session, rows_written: int, years: set[int]) -> dict[str, int]:
    """Recompute the derived figures; what that changed, as the import's summary says it."""
    recomputed = service.recompute(session, years)
    if rows_written >= STATISTICS_AFTER_ROWS:
        refresh_statistics(session.connection())
    return {
        "inserted": recomputed.inserted,
        "updated": recomputed.updated,
        "deleted": recomputed.deleted,
        "preferred_changed": recomputed.preferred_changed,
    }


def import_observations(session: Session, raw: bytes, media_type: str) -> ImportResult:
    """Validate every row, then upsert them all, record the changes and recompute."""
    rows = read_rows(raw, media_type)
    to_import = _rows_to_import(rows)
    validator = _Validator(session, to_import)
    clean = _valid_rows(validator, to_import)
    # The stored rows are read only while the file is clean so far; after an error every row
    # counts as new below (the file is rejected anyway, with the errors found up to here).
    identities = [repository.identity_of(data) for _, data in clean]
    existing = _existing(session, identities) if not validator.errors else {}
    writes = _sort_into_writes(validator, clean, existing)
    _check_new_ids(session, validator, writes.inserts)
    if validator.errors:
        raise ValidationFailed(
            f"{len(validator.errors)} problem(s) in the file; nothing was imported.",
            errors=validator.errors,
        )
    _write(session, writes)
    return ImportResult(
        received=len(rows),
        inserted=len(writes.inserts),
        updated=len(writes.updates),
        unchanged=writes.unchanged,
        skipped_derived=len(rows) - len(to_import),
        derived=_recompute_derived(
            session,
            len(writes.inserts) + len(writes.updates),
            {data["year"] for data in [*writes.inserts, *writes.updates]},
        ),
    )
