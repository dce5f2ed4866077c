"""Datasette (from PyPI) as an ASGI app, so the suite serves it with the same uvicorn flags.

    BENCH_DATASETTE_DB=/path/sco.db uvicorn benchmarks.datasette_app:app --no-access-log

Default settings (3 SQL threads, 1 s time limit); the database is opened mutable, as a
file another process writes to, like ours. The canned queries are in
`datasette_metadata.yaml`, keyed by the file's stem.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette  # type: ignore[import-untyped]

METADATA = Path(__file__).with_name("datasette_metadata.yaml")


def build(database: Path) -> Any:
    metadata = yaml.safe_load(METADATA.read_text())
    databases = metadata.get("databases", {})
    if database.stem not in databases and databases:
        # The queries are written for `sco`; serve them under whatever the file is called.
        metadata["databases"] = {database.stem: next(iter(databases.values()))}
    return Datasette([str(database)], metadata=metadata).app()


app = build(Path(os.environ.get("BENCH_DATASETTE_DB", "data/sco.db")))
