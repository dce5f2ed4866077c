"""A client generated from the committed `openapi.json` by `openapi-python-client` works as is.

The client is generated once per session into a temporary folder, exactly as a user would
(`openapi-python-client generate --path openapi.json`, no configuration, no patch); every
module of it must import, and it must read, page and write against a real server (uvicorn
on a loopback port, over a committed and seeded database) on SQLite and PostgreSQL. What
it cannot do is a fault of the document, to be fixed there.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.service import create_key
from app.openapi import operations
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.live import committed_app, prepare_database, serve

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.json"
PACKAGE = "sco_trade_api_client"
# What the generator cannot do with a correct document: send an import file as CSV or
# gzip (it knows JSON, forms and octet-stream bodies); the import's JSON form is generated.
KNOWN_WARNINGS = frozenset(
    {
        ("POST /api/v1/trade/imports", "Unsupported content type text/csv"),
        ("POST /api/v1/trade/imports", "Unsupported content type application/gzip"),
    }
)
_WARNING = re.compile(
    r"^WARNING parsing (?P<operation>\S+ \S+) within \S+\.\n\n(?P<detail>.+)$", re.M
)

# Every test of this module shares one generated client and one server per database, so
# they run in one xdist worker.
pytestmark = pytest.mark.xdist_group("generated_client")


@dataclass(frozen=True)
class Generated:
    """The generated package, its modules by dotted name, and what the generator said."""

    package: ModuleType
    output: str

    def module(self, name: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    folder = tmp_path_factory.mktemp("generated-client")
    # The generator formats its output with ruff, which this environment has beside Python.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(SNAPSHOT),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        cwd=folder,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    sys.path.insert(0, str(folder))
    try:
        yield Generated(importlib.import_module(PACKAGE), output)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_the_generator_warns_only_of_what_it_cannot_do(generated: Generated) -> None:
    warnings = [(m["operation"], m["detail"].strip()) for m in _WARNING.finditer(generated.output)]
    assert len(warnings) == generated.output.count("WARNING"), generated.output
    assert set(warnings) <= KNOWN_WARNINGS, generated.output
    assert "Unable to" not in generated.output, generated.output


def test_every_generated_module_imports(generated: Generated) -> None:
    names = [
        module.name for module in pkgutil.walk_packages(generated.package.__path__, f"{PACKAGE}.")
    ]
    for name in names:
        importlib.import_module(name)
    # One module per operation of the document: none was left out.
    document = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    expected = {
        f"{PACKAGE}.api.{operation['tags'][0]}.{_snake(operation['operationId'])}"
        for _method, _path, operation in operations(document)
    }
    assert expected <= set(names), sorted(expected - set(names))


def _snake(operation_id: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", operation_id).lower()


# --- against a real server ---------------------------------------------------------------


@dataclass(frozen=True)
class Live:
    base_url: str
    key: str


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """uvicorn in front of a fresh, migrated and seeded database of the backend, and a key."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('client-db') / 'sco.db'}"
    else:
        url = create_postgres_database(request.getfixturevalue("postgres_base_url"))
    engine = prepare_database(url)
    with Session(engine) as session, session.begin():
        key = create_key(session, name="generated-client", scope="write")
    try:
        with serve(committed_app(engine)) as base_url:
            yield Live(base_url=base_url, key=key)
    finally:
        engine.dispose()
        if request.param == "postgresql":
            drop_postgres_database(url)


def test_the_client_reads_an_item(generated: Generated, live: Live) -> None:
    client = generated.module("client").Client(base_url=live.base_url)
    get_area = generated.module("api.areas.get_area")
    with client:
        answer = get_area.sync_detailed(code="kz", client=client)
        area = answer.parsed
        assert answer.status_code == 200
        assert isinstance(area, generated.module("models.area_out").AreaOut)
        assert (area.code, area.iso2, area.name) == ("KAZ", "KZ", "Kazakhstan")
        # The ETag it read makes the next read a 304, through the declared parameter.
        again = get_area.sync_detailed(
            code="kz", client=client, if_none_match=answer.headers["etag"]
        )
        assert again.status_code == 304


def test_the_client_walks_every_page(generated: Generated, live: Live) -> None:
    client = generated.module("client").Client(base_url=live.base_url)
    list_areas = generated.module("api.areas.list_areas")
    page_type = generated.module("models.page_area_out").PageAreaOut
    codes: list[str] = []
    pages = 0
    cursor: Any = generated.module("types").UNSET
    with client:
        while True:
            answer = list_areas.sync_detailed(client=client, limit=100, cursor=cursor)
            page = answer.parsed
            assert isinstance(page, page_type)
            codes += [area.code for area in page.items]
            pages += 1
            if not page.next_cursor:
                assert "link" not in answer.headers
                break
            # The `Link` header names the same next page as `next_cursor`.
            assert f"cursor={page.next_cursor}" in answer.headers["link"]
            cursor = page.next_cursor
        everything = list_areas.sync(client=client, limit=500)
    assert pages > 1
    assert codes == [area.code for area in everything.items]
    assert len(set(codes)) == len(codes)


def test_the_client_writes_with_if_match(generated: Generated, live: Live) -> None:
    client = generated.module("client").AuthenticatedClient(base_url=live.base_url, token=live.key)
    areas = "api.areas"
    create_area = generated.module(f"{areas}.create_area")
    update_area = generated.module(f"{areas}.update_area")
    get_area = generated.module(f"{areas}.get_area")
    new_area = generated.module("models.area_in").AreaIn(code="XKX", name="Kosovo")
    changes = generated.module("models.update_area_json_changes").UpdateAreaJsonChanges
    problem = generated.module("models.problem").Problem
    with client:
        created = create_area.sync_detailed(
            client=client, body=new_area, idempotency_key="generated-client-xkx"
        )
        assert created.status_code == 201, created.content
        assert created.headers["location"] == "/api/v1/areas/XKX"
        replayed = create_area.sync_detailed(
            client=client, body=new_area, idempotency_key="generated-client-xkx"
        )
        assert replayed.status_code == 201
        assert replayed.headers["idempotent-replayed"] == "true"

        first_tag = get_area.sync_detailed(code="XKX", client=client).headers["etag"]
        assert first_tag == created.headers["etag"]
        renamed = update_area.sync_detailed(
            code="XKX", client=client, body=changes(name="Kosovo*"), if_match=first_tag
        )
        assert renamed.status_code == 200, renamed.content
        assert renamed.parsed.name == "Kosovo*"
        assert renamed.headers["etag"] != first_tag

        stale = update_area.sync_detailed(
            code="XKX", client=client, body=changes(name="Kosovo"), if_match=first_tag
        )
        assert stale.status_code == 412
        assert isinstance(stale.parsed, problem)
        assert get_area.sync(code="XKX", client=client).name == "Kosovo*"
