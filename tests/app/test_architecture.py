"""The law of the layers (ARCHITECTURE.md), held by import-linter's contracts in pyproject.toml.

A module that imports upward (a repository importing its router, a domain importing one above
it, the foundation importing a domain) fails here with the chain of imports that breaks it.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contract_modules(contract_id: str, key: str) -> set[str]:
    """The module names a contract lists under `key`, without `app.` (siblings split)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = (c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == contract_id)
    return {
        name.strip().removeprefix("app.") for entry in contract[key] for name in entry.split(":")
    }


def test_no_module_imports_upward() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_domain_has_its_place_in_the_order() -> None:
    """A new domain (a package with a router) must be placed among the others."""
    domains = {path.parent.name for path in (ROOT / "app").glob("*/router.py")}
    # `health` has a router but no domain logic: it reads the database's state only.
    domains.discard("health")
    assert domains <= contract_modules("domain-order", "layers")
    assert domains <= contract_modules("domain-layers", "containers")
