"""Record every create/update/delete of a resource in the same transaction as the change.

Session events see every write path (API, import, seed, derived-figure recomputation), so
no path can forget to record: `track_changes` attaches them to a session factory, and every
factory is made by `app.db.session.make_session_factory`. A model takes part by naming its
feed type in `__change_type__` (its id column in `__change_key__`, default `id`); link and
child rows (`MeetingOrganizer`, `PersonPost`...) report an update of their parent through
`__change_parent__ = (parent type, column holding the parent id)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from app.changes.models import Change, ChangeCounter
from app.db.bulk import insert_rows
from app.db.types import utcnow

PENDING_KEY = "pending_changes"
ACTOR_KEY = "actor"
# Set on a session whose transaction recorded changes (caches drop their answers after it).
CHANGED_KEY = "changed_data"
REQUEST_ID_KEY = "request_id"
COUNTER_ROW_ID = 1

# Called at commit with every (type, id) -> action of the transaction, before the feed rows
# are written: derived stores (the search index) update in the same transaction.
CommitHook = Callable[[Session, dict[tuple[str, str], str]], None]
# The same, called once the feed's counter row is locked, with the time the changes are
# recorded at: what such a hook writes is stamped in the order the transactions commit
# (past versions of observations, `app.trade.history`).
TimedCommitHook = Callable[[Session, dict[tuple[str, str], str], datetime], None]


# Precedence when one transaction touches a resource several times.
_ACTION_RANK = {"update": 0, "delete": 1, "create": 2}


def _resource_of(instance: Any) -> tuple[str, str] | None:
    change_type = getattr(instance, "__change_type__", None)
    if change_type is not None:
        return change_type, str(getattr(instance, getattr(instance, "__change_key__", "id")))
    parent = getattr(instance, "__change_parent__", None)
    if parent is not None:
        parent_type, parent_key = parent
        return parent_type, str(getattr(instance, parent_key))
    return None


def _note(pending: dict[tuple[str, str], str], key: tuple[str, str], action: str) -> None:
    previous = pending.get(key)
    if previous == "create" and action == "delete":
        del pending[key]  # created and deleted in one transaction: nothing to report
    elif previous is None or _ACTION_RANK[action] > _ACTION_RANK[previous]:
        pending[key] = action


def note_changes(session: Session, changes: list[tuple[str, str, str]]) -> None:
    """Record (type, id, action) written by bulk statements that bypass the unit of work."""
    pending: dict[tuple[str, str], str] = session.info.setdefault(PENDING_KEY, {})
    for change_type, resource_id, action in changes:
        _note(pending, (change_type, resource_id), action)


def _after_flush(session: Session, _flush_context: UOWTransaction) -> None:
    pending: dict[tuple[str, str], str] = session.info.setdefault(PENDING_KEY, {})
    for instance in session.new:
        resource = _resource_of(instance)
        if resource:
            own = getattr(instance, "__change_type__", None) is not None
            _note(pending, resource, "create" if own else "update")
    for instance in session.dirty:
        resource = _resource_of(instance)
        if resource and session.is_modified(instance, include_collections=False):
            _note(pending, resource, "update")
    for instance in session.deleted:
        resource = _resource_of(instance)
        if resource:
            own = getattr(instance, "__change_type__", None) is not None
            _note(pending, resource, "delete" if own else "update")


def _record(
    session: Session, hooks: Sequence[CommitHook], timed_hooks: Sequence[TimedCommitHook]
) -> None:
    pending: dict[tuple[str, str], str] = session.info.pop(PENDING_KEY, {})
    if not pending:
        return
    session.info[CHANGED_KEY] = True
    for hook in hooks:
        hook(session, pending)
    # The UPDATE locks the counter row until commit: seqs are handed out in commit order,
    # and so are the times taken from here on.
    last = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == COUNTER_ROW_ID)
        .values(value=ChangeCounter.value + len(pending))
        .returning(ChangeCounter.value)
    ).scalar_one()
    now = utcnow()
    for timed_hook in timed_hooks:
        timed_hook(session, pending, now)
    first = last - len(pending) + 1
    actor = session.info.get(ACTOR_KEY)
    request_id = session.info.get(REQUEST_ID_KEY)
    rows = [
        {
            "seq": first + offset,
            "type": change_type,
            "resource_id": resource_id,
            "action": action,
            "at": now,
            "actor": actor,
            "request_id": request_id,
        }
        for offset, ((change_type, resource_id), action) in enumerate(sorted(pending.items()))
    ]
    # In bulk, not an ORM object per row: an import of a million figures writes a million
    # feed rows.
    insert_rows(session, Change.__table__, rows)
    session.info.pop(PENDING_KEY, None)


def track_changes(
    sessions: sessionmaker[Session],
    *,
    before_recording: Sequence[CommitHook] = (),
    when_recording: Sequence[TimedCommitHook] = (),
) -> None:
    """Record the changes of every session `sessions` makes, at its commit.

    `before_recording` run first, in the same transaction, with the changes about to be
    recorded; `when_recording` run once the feed's order is fixed (its counter locked), with
    the time the feed rows are stamped with. The listeners are the factory's own: other
    sessions are not watched.
    """
    hooks = tuple(before_recording)
    timed_hooks = tuple(when_recording)

    def before_commit(session: Session) -> None:
        _record(session, hooks, timed_hooks)

    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", before_commit)
    event.listen(sessions, "after_soft_rollback", _after_soft_rollback)


def _after_soft_rollback(session: Session, _previous_transaction: Any) -> None:
    session.info.pop(PENDING_KEY, None)
