"""The one import path every format goes through, after its importer has read the file.

All or nothing: every row is validated (`validation`) and every problem is reported with
its line and field; only a clean file is written, in the caller's one transaction. Rows are
upserted on the natural key (reporter, partner, indicator, year, base year, source), so
importing the same file twice changes nothing. Every insert and update goes into the change
feed, and the derived figures are recomputed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes.tracking import note_changes
from app.db.bulk import among
from app.db.statistics import refresh_statistics
from app.errors import RULE_ERROR, FieldError, ValidationFailed
from app.progress import UNWATCHED, Progress
from app.trade import repository, service
from app.trade.importers.base import MAX_ERRORS, ImportOptions, ParsedFile, Row, Skip, expand
from app.trade.importers.formats import READERS
from app.trade.importers.validation import Validator
from app.trade.models import TradeObservation
from app.trade.tolerance import figure_interval, stored_bounds
from app.trade.writes import observation_id
from app.vocabulary import ImportFormat

STORED_FIELDS = (
    "reporter", "partner", "indicator", "year", "base_year", "value", "unit", "precision",
    "qualifier", "status", "source_id", "note", "span_years", "qualifier_word",
)  # fmt: skip
# Imports this large change the table's shape enough to refresh the planner's statistics
# (PostgreSQL samples some 30,000 rows for it: not worth it for a handful of figures).
STATISTICS_AFTER_ROWS = 1000
# Parameters per lookup query: well under SQLite's 32,766 and PostgreSQL's 65,535.
KEYS_PER_QUERY = 2000  # six columns each
IDS_PER_QUERY = 5000


@dataclass
class ImportResult:
    """What an import did: the file's rows and figures, and where each figure went."""

    format: ImportFormat
    received: int  # rows of the file (lines, array items)
    figures: int  # figures they carry: inserted + updated + unchanged + skipped
    inserted: int
    updated: int
    unchanged: int
    skipped: dict[Skip, int]  # by reason (`base.SKIPS`)
    skipped_derived: int  # the same as skipped["derived"]; kept for existing clients
    derived: dict[str, int] = field(default_factory=dict)


def _existing(session: Session, keys: list[repository.Identity]) -> dict[repository.Identity, Any]:
    """The stored figures with these identities (none at all where no figure cites a source of
    the file: a first import of a data set skips the lookups)."""
    columns = (TradeObservation.id, *[getattr(TradeObservation, f) for f in STORED_FIELDS])
    found: dict[repository.Identity, Any] = {}
    sources = sorted({key[-1] for key in keys if key[-1] is not None})
    if not repository.has_figures_from(session, sources):
        return found
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
    # The years of the inserted and updated figures: what the recomputation re-derives.
    years: set[int] = field(default_factory=set)


def _valid_rows(validator: Validator, rows: list[Row]) -> list[tuple[Row, dict[str, Any]]]:
    """Each row that passes validation, with its checked values; a repeated figure is an error."""
    clean: list[tuple[Row, dict[str, Any]]] = []
    first_line: dict[repository.Identity, int] = {}
    for row in rows:
        data = validator.check(row)
        if data is None:
            continue
        key = repository.identity_of(data)
        if key in first_line:
            validator.error(row, "row", f"same figure and source as line {first_line[key]}")
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


def _bounds(data: dict[str, Any]) -> dict[str, Any]:
    """The range the figure's digits allow, as the recomputation would store it
    (`derivations.reported_interval`): written with the figure, not by a second UPDATE."""
    interval = figure_interval(data["value"], data["precision"], data["qualifier"], data["unit"])
    lower, upper = stored_bounds(interval)
    return {"bounds_lower": lower, "bounds_upper": upper}


def _sort_into_writes(
    validator: Validator,
    clean: list[tuple[Row, dict[str, Any]]],
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
            data.update(_bounds(data))
            writes.inserts.append(data)
            writes.years.add(data["year"])
        elif data["id"] and data["id"] != current.id:
            validator.error(row, "id", f"this figure is stored as {current.id!r}")
        elif (values := _changed_values(current, data)) is not None:
            writes.updates.append({"id": current.id, **values, **_bounds(data)})
            writes.years.add(data["year"])
        else:
            writes.unchanged += 1
    return writes


def _check_new_ids(session: Session, validator: Validator, inserts: list[dict[str, Any]]) -> None:
    """A new figure may not take an id another figure (of another identity) holds."""
    taken = _ids_in_use(session, [data["id"] for data in inserts])
    for data in inserts:
        if data["id"] in taken:
            message = f"id {data['id']!r} is already used by another figure"
            validator.add(FieldError(field="id", message=message, type=RULE_ERROR, line=0))


def _write(session: Session, writes: _Writes, *, recompute: bool) -> dict[str, int]:
    """Update and insert in batches, recorded in the change feed; then, unless the caller
    recomputes itself, the derived figures of the years written.

    With the recomputation, the new rows go in with it: it plans them as if stored and
    writes each with its `preferred` flag (set apart, a flag would cost a second write of
    nearly every new figure).
    """
    repository.update_observations(session, writes.updates)
    note_changes(session, [("trade_observation", d["id"], "update") for d in writes.updates])
    if recompute:
        derived = _recompute_derived(session, writes)
    else:
        for data in writes.inserts:
            data["preferred"] = False  # the caller's recomputation picks the preferred figures
        repository.insert_observations(session, writes.inserts)
        note_changes(session, [("trade_observation", d["id"], "create") for d in writes.inserts])
        derived = {}
    # Without fresh statistics the planner reads the next lookups of a large table by an
    # index chosen for a small one: seeding again on PostgreSQL (before autovacuum came by)
    # took 47 s instead of 5, each identity lookup scanning a whole indicator-year.
    if len(writes.inserts) + len(writes.updates) >= STATISTICS_AFTER_ROWS:
        refresh_statistics(session.connection())
    return derived


def _recompute_derived(session: Session, writes: _Writes) -> dict[str, int]:
    """Write the new figures and recompute the derived ones of the years the import wrote
    (all others keep theirs); what that changed, as the import's summary says it."""
    recomputed = service.recompute(session, writes.years, pending=writes.inserts)
    return {
        "inserted": recomputed.inserted,
        "updated": recomputed.updated,
        "deleted": recomputed.deleted,
        "preferred_changed": recomputed.preferred_changed,
    }


def _refuse(errors: list[FieldError]) -> ValidationFailed:
    # The importer's and the validator's errors, in the order of the file.
    ordered = sorted(errors, key=lambda error: error.line or 0)
    counted = f"{len(ordered)} problem(s)"
    if len(ordered) >= MAX_ERRORS:
        counted = f"{MAX_ERRORS} problems or more ({MAX_ERRORS} of them listed)"
    return ValidationFailed(f"{counted} in the file; nothing was imported.", errors=ordered)


def _validate(session: Session, parsed: ParsedFile) -> tuple[Validator, _Writes]:
    """Every problem of the file, and what a clean file would write."""
    validator = Validator(session, parsed.rows, parsed.source_id)
    for error in parsed.errors:
        validator.add(error)
    clean = _valid_rows(validator, parsed.rows)
    identities = [repository.identity_of(data) for _, data in clean]
    writes = _sort_into_writes(validator, clean, _existing(session, identities))
    _check_new_ids(session, validator, writes.inserts)
    return validator, writes


def import_file(
    session: Session,
    raw: bytes,
    file_format: ImportFormat,
    options: ImportOptions,
    progress: Progress = UNWATCHED,
) -> ImportResult:
    """Read a file of `file_format`, validate every row, then upsert them all and recompute."""
    progress.begin(3)
    progress.step("reading")
    parsed = READERS[file_format](expand(raw, options.max_bytes), options)
    progress.step("checking")
    validator, writes = _validate(session, parsed)
    parsed.rows.clear()  # the file's rows as read: the writes hold what is written
    if validator.errors:
        raise _refuse(validator.errors)
    # With the recomputation, the new figures are written with the derived ones (`_write`).
    progress.step("writing and deriving" if options.recompute else "writing")
    derived = _write(session, writes, recompute=options.recompute)
    return ImportResult(
        format=file_format,
        received=parsed.records,
        figures=parsed.figures,
        inserted=len(writes.inserts),
        updated=len(writes.updates),
        unchanged=writes.unchanged,
        skipped=dict(parsed.skipped),
        skipped_derived=parsed.skipped["derived"],
        derived=derived,
    )
