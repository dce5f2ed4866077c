"""Past versions of observations, written at commit for every observation the feed names.

Every path that writes an observation — the API's writes, the bulk import, the seed,
`service.recompute` rewriting derived figures and `preferred` flags — already records the
change in the change feed (`app.changes.tracking`: ORM flushes by themselves, set-based
statements through `note_changes`). This hook runs at the commit of each such transaction,
once the feed's counter is locked, and brings `trade_observation_versions` in line with
what the transaction left in `trade_observations`, with two statements per 5,000 ids:

* close: the open version of each named observation that was deleted, or whose values now
  differ from it, ends at the commit time;
* open: each named observation without an open version (new, changed, or created again
  under the same id) gets one, valid from the commit time.

Why this and not database triggers:

* One time per transaction, taken in commit order (the feed's lock), the same time the feed
  stamps its rows with. A PATCH and the recomputation it causes become visible to `as_of`
  together, and `as_of=T` means "every change the feed lists at or before T". Triggers only
  have the statement's clock on SQLite and the transaction's start on PostgreSQL, and
  neither orders versions as their commits are ordered.
* One version per transaction however many statements touched a row (an import writes a
  figure, then recompute flags it): the final state is compared with the open version once.
  Rows rewritten with the values they had make no version, so importing the same file
  again adds nothing.
* One implementation in Python for both databases, whose column list follows the model,
  rather than a trigger body per dialect to keep in step with every new column.

The cost is that a write made outside the application's sessions (SQL typed into psql) is
seen neither by the feed nor here; such writes are not supported for the feed either.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Text,
    cast,
    exists,
    func,
    insert,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.orm import Session

from app.db.bulk import among
from app.db.types import UTCDateTime
from app.trade.models import VERSIONED_COLUMNS, TradeObservation, trade_observation_versions

OBSERVATION_TYPE = TradeObservation.__change_type__
# Ids per statement: under SQLite's 32,766 parameters (PostgreSQL gets them as one array).
IDS_PER_STATEMENT = 5000
ONE_MICROSECOND = timedelta(microseconds=1)

_live = TradeObservation.__table__
_kept = trade_observation_versions
_COPIED = tuple(column.name for column in VERSIONED_COLUMNS)
# A change of any of these makes a new version; the timestamps alone do not (a version is a
# change of what the figure says, and only these say it).
_COMPARED = tuple(name for name in _COPIED if name not in ("created_at", "updated_at"))


def _same(name: str) -> ColumnElement[bool]:
    """The live column `name` holds what the kept version holds (NULL equal to NULL)."""
    live, kept = _live.c[name], _kept.c[name]
    if isinstance(live.type, JSON):
        # PostgreSQL's `json` has no equality; its text is kept as written, and the rules
        # write a derivation only when it changes.
        return cast(live, Text).is_not_distinct_from(cast(kept, Text))
    return live.is_not_distinct_from(kept)


_UNCHANGED = tuple(_same(name) for name in _COMPARED)


def record_versions(session: Session, changes: dict[tuple[str, str], str], at: datetime) -> None:
    """Close and open versions of the observations in `changes` (a feed hook, at commit)."""
    ids = sorted(identity for kind, identity in changes if kind == OBSERVATION_TYPE)
    if not ids:
        return
    chunks = [
        ids[start : start + IDS_PER_STATEMENT] for start in range(0, len(ids), IDS_PER_STATEMENT)
    ]
    at, versioned = _after_known_versions(session, chunks, at)
    for chunk, has_versions in zip(chunks, versioned, strict=True):
        if has_versions:  # new figures (an import's) have no version to close
            session.execute(_close_changed(session, chunk, at))
        session.execute(_open_missing(session, chunk, at))


def _ids(session: Session, column: Any, chunk: Sequence[str]) -> ColumnElement[bool]:
    return among(session, [column], [(identity,) for identity in chunk])


def _after_known_versions(
    session: Session, chunks: list[list[str]], at: datetime
) -> tuple[datetime, list[bool]]:
    """`at`, or just after the latest version of these observations if the clock says earlier;
    and whether each chunk has any version yet.

    Clocks step back, and hosts of one database disagree by a little: a version must still
    start after the one it follows, and every version of a transaction at the same time.
    """
    latest = at
    versioned = []
    for chunk in chunks:
        started, ended = session.execute(
            select(func.max(_kept.c.valid_from), func.max(_kept.c.valid_to)).where(
                _ids(session, _kept.c.observation_id, chunk)
            )
        ).one()
        versioned.append(started is not None)
        if started is not None and started >= latest:
            latest = started + ONE_MICROSECOND
        if ended is not None and ended > latest:
            latest = ended
    return latest, versioned


def _close_changed(session: Session, chunk: Sequence[str], at: datetime) -> Any:
    """End the open version of each observation of `chunk` that is gone or now differs."""
    still_true = exists().where(_live.c.id == _kept.c.observation_id, *_UNCHANGED)
    return (
        update(_kept)
        .where(
            _kept.c.valid_to.is_(None), _ids(session, _kept.c.observation_id, chunk), ~still_true
        )
        .values(valid_to=literal(at, UTCDateTime()))
    )


def _open_missing(session: Session, chunk: Sequence[str], at: datetime) -> Any:
    """A version, from `at`, of each observation of `chunk` that has no open one."""
    has_open = exists().where(_kept.c.observation_id == _live.c.id, _kept.c.valid_to.is_(None))
    rows = select(
        _live.c.id, literal(at, UTCDateTime()), null(), *(_live.c[name] for name in _COPIED)
    ).where(_ids(session, _live.c.id, chunk), ~has_open)
    return insert(_kept).from_select(["observation_id", "valid_from", "valid_to", *_COPIED], rows)
