"""Contract fuzzing with Schemathesis, in process against the ASGI app.

Every operation of the published OpenAPI document, with every check (see tests/support/fuzz.py),
positive and negative data, through the examples, coverage and fuzzing phases — on SQLite
and PostgreSQL, each inside the rolled-back test transaction — and then the stateful phase:
Schemathesis follows the document's OpenAPI links (create → read → change → delete) against
a committed database. A fixed seed and a small example count keep it fast and repeatable;
`make fuzz` runs the same checks over HTTP with many more examples.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, NestedTransaction
from sqlalchemy.orm import Session

from app.auth.service import create_key
from app.config import Settings
from app.main import create_app
from tests.conftest import bearer, make_client_app
from tests.support import fuzz
from tests.support.live import committed_app, prepare_database

MAX_EXAMPLES = 10
BOUNDARIES = ("examples", "coverage")
RANDOMIZED = ("examples", "fuzzing")
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 10
# No rate limit: the fuzzer sends far more than a client would in a minute.
UNLIMITED = Settings(SCO_RATE_LIMIT=0)


# Each backend gets the examples and one generating phase, to stay fast (most of the cost is
# Schemathesis' own, generating and checking, not the database's): PostgreSQL the coverage
# phase (boundary values: the largest integers, NUL bytes, the longest strings are where it
# is stricter), SQLite the randomized fuzzing phase.
#
# The schemas are loaded lazily, from fixtures, when a test runs: building the tests of every
# operation (the coverage phase makes its cases then) took most of the collection time of
# the whole suite, in every xdist worker, even when no fuzz test was selected. Each test runs
# every operation as a subtest, each from the seeded state (see `OperationSavepoints`).
boundaries = schemathesis.pytest.from_fixture("boundary_schema")
randomized = schemathesis.pytest.from_fixture("randomized_schema")


@pytest.fixture(scope="module")
def fuzz_app() -> FastAPI:
    """One app for the module; each test binds it to its own rolled-back session.

    Its own answer cache stays off, as in every app on a rolled-back session (conftest).
    """
    return create_app(UNLIMITED.model_copy(update={"response_cache": False}))


@pytest.fixture
def fuzz_key(
    fuzz_app: FastAPI, db_session: Session, engine: Engine, write_key: str
) -> Iterator[str]:
    bound = make_client_app(db_session, engine)
    own = fuzz_app.state.container
    # The test's session for every request, and its engine for /health/ready and /metrics.
    fuzz_app.dependency_overrides = bound.dependency_overrides
    fuzz_app.state.container = bound.state.container
    try:
        yield write_key
    finally:
        fuzz_app.dependency_overrides = {}
        fuzz_app.state.container = own


def _schema(app: FastAPI, phases: tuple[str, ...]) -> schemathesis.BaseSchema:
    config = fuzz.config(max_examples=MAX_EXAMPLES, phases=phases)
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


def _readable_node_id(request: pytest.FixtureRequest) -> None:
    # Schemathesis 4.32 reads `item._nodeid` (to name each operation's subtest), which pytest
    # 9.2 no longer has: give it the id it reads. Remove when Schemathesis reads `nodeid`.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


# The schema fixtures ask for `fuzz_key` so that the tests' `database_url` parameter (which
# pytest resolves through the fixtures a test uses) reaches the rolled-back session.
@pytest.fixture
def boundary_schema(
    request: pytest.FixtureRequest, fuzz_app: FastAPI, fuzz_key: str
) -> schemathesis.BaseSchema:
    _readable_node_id(request)
    return _schema(fuzz_app, BOUNDARIES)


@pytest.fixture
def randomized_schema(
    request: pytest.FixtureRequest, fuzz_app: FastAPI, fuzz_key: str
) -> schemathesis.BaseSchema:
    _readable_node_id(request)
    return _schema(fuzz_app, RANDOMIZED)


@dataclass
class OperationSavepoints:
    """Every operation's requests inside a savepoint of the test's transaction, rolled back
    when the next operation starts: each operation meets the seeded data (and the test's
    key), as it did when each operation was a test of its own, not what the operations
    before it wrote or deleted."""

    session: Session
    label: str | None = None
    savepoint: NestedTransaction | None = None

    def enter(self, case: schemathesis.Case[Any]) -> None:
        if case.operation.label == self.label:
            return
        self.session.rollback()  # a request's savepoint left open by a failure, if any
        if self.savepoint is not None:
            self.savepoint.rollback()
        connection = self.session.get_bind()
        assert isinstance(connection, Connection)
        self.savepoint = connection.begin_nested()
        self.label = case.operation.label


@pytest.fixture
def operations(db_session: Session, fuzz_key: str) -> OperationSavepoints:
    return OperationSavepoints(db_session)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@boundaries.parametrize()
def test_boundary_inputs_honour_the_contract(
    case: schemathesis.Case[Any], fuzz_key: str, operations: OperationSavepoints
) -> None:
    operations.enter(case)
    case.call_and_validate(headers=bearer(fuzz_key))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@randomized.parametrize()
def test_random_inputs_honour_the_contract(
    case: schemathesis.Case[Any], fuzz_key: str, operations: OperationSavepoints
) -> None:
    operations.enter(case)
    case.call_and_validate(headers=bearer(fuzz_key))


@dataclass
class Committed:
    """An app on a committed SQLite database that can be put back to its seeded state."""

    app: FastAPI
    engine: Engine
    key: str
    path: Path
    seeded: Path

    def restore(self) -> None:
        # SQLite's online backup copies the seeded pages in under the database's own locks:
        # a connection still closing after the last response sees a consistent file.
        with (
            closing(sqlite3.connect(self.seeded)) as source,
            closing(sqlite3.connect(self.path, timeout=30)) as target,
        ):
            source.backup(target)


@pytest.fixture
def committed(tmp_path: Path) -> Iterator[Committed]:
    path = tmp_path / "stateful.db"
    engine = prepare_database(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        key = create_key(session, name="fuzz", scope="write")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    seeded = tmp_path / "seeded.db"
    shutil.copyfile(path, seeded)
    try:
        yield Committed(committed_app(engine, settings=UNLIMITED), engine, key, path, seeded)
    finally:
        engine.dispose()


def test_workflows_along_the_links_honour_the_contract(committed: Committed) -> None:
    config = fuzz.config(
        max_examples=STATEFUL_SCENARIOS, phases=("stateful",), write_key=committed.key
    )
    workflows = schemathesis.openapi.from_asgi("/openapi.json", committed.app, config=config)

    class Workflows(workflows.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            # Every scenario starts from the seed, so that Hypothesis can replay one.
            committed.restore()

    Workflows.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
    )
