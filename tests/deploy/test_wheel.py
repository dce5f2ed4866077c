"""`pip install .` (not editable) gives a `sco-api` that migrates, seeds and serves from any folder.

The wheel is built from a copy of the checkout, offline (`--no-build-isolation`: the
project's own setuptools), and its file list is held against the checkout: every file of
`app/`, and `migrations/` and `seed_data/` inside the package as `app/migrations` and
`app/seed_data`. It is then installed into a fresh virtualenv whose only other packages are
the project venv's dependencies (a `.pth` line: no download, no copy), and run from an
empty folder, far from the checkout, with the default `DATABASE_URL` (./data/sco.db).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.live import free_port

ROOT = Path(__file__).resolve().parents[2]
# What the wheel is not built from: local state at the top (the SQLite folder `data/`, but
# not app/trade/importers/data/), caches anywhere.
NOT_SOURCES_AT_TOP = frozenset(
    {".git", ".venv", "build", "dist", "data", "tests", "benchmarks", ".hypothesis"}
)
CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".*_cache")
MAPPED_FOLDERS = ("migrations", "seed_data")  # top-level folders the package carries
SERVER_START_SECONDS = 60


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    workdir: Path  # empty at first: no checkout, no .env, no data/

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / args[0]), *args[1:]],
            cwd=self.workdir,
            env=_environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _environment() -> dict[str, str]:
    """This process's environment without what would point the installed package elsewhere."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        and not name.startswith("SCO_")
    }


def _not_sources(folder: str, names: list[str]) -> set[str]:
    ignored = set(CACHES(folder, names))
    if Path(folder) == ROOT:
        ignored |= NOT_SOURCES_AT_TOP & set(names)
    return ignored


def _files_under(folder: Path) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    source, wheels, venv, workdir = (base / name for name in ("src", "dist", "venv", "work"))
    shutil.copytree(ROOT, source, ignore=_not_sources)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    built = [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels)]
    subprocess.run([*built, str(source)], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("sco_trade_api-*.whl")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120
    )
    # The fresh venv sees the project venv's packages (the dependencies; pip, to install),
    # but not the project venv's own `.pth` files: not the editable install of the checkout.
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    fresh_site = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", where],
            check=True, capture_output=True, text=True, timeout=60,
        ).stdout.strip()
    )  # fmt: skip
    shared = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (fresh_site / "project-dependencies.pth").write_text("\n".join(sorted(shared)) + "\n")
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index",
         "--ignore-installed", "--disable-pip-version-check", "--quiet", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    workdir.mkdir()
    return Installed(wheel, venv, workdir)


def test_the_wheel_carries_the_code_the_migrations_and_the_seed_data(
    installed: Installed,
) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = wheel.read(entry_points).decode()
    packaged = {name for name in names if name.startswith("app/")}

    expected = {f"app/{name}" for name in _files_under(ROOT / "app")}
    for folder in MAPPED_FOLDERS:
        expected |= {f"app/{folder}/{name}" for name in _files_under(ROOT / folder)}
    assert packaged == expected
    assert "sco-api = app.cli:main" in scripts


def test_the_installed_package_reads_its_own_copies(installed: Installed) -> None:
    found = installed.run(
        "python",
        "-c",
        "import app; from app.package_data import package_folder; "
        "print(app.__file__); print(package_folder('migrations')); "
        "print(package_folder('seed_data'))",
    )
    assert found.returncode == 0, found.stderr
    module, migrations, seed_data = (Path(line) for line in found.stdout.splitlines())
    package = module.parent
    assert package.is_relative_to(installed.venv)  # not the checkout's
    assert migrations == package / "migrations"
    assert seed_data == package / "seed_data"
    assert (seed_data / "cow_trade_sco_1992_2014.csv.gz").is_file()


@pytest.fixture
def server(installed: Installed) -> Iterator[str]:
    """`sco-api db upgrade`, `sco-api seed` and `sco-api serve` from the empty folder."""
    upgraded = installed.run("sco-api", "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert (installed.workdir / "data" / "sco.db").is_file()
    assert "(the newest)" in upgraded.stdout
    # The seed's small part (no COW figures, ~68,000): the same code path and files, in
    # seconds; the COW file's presence in the package is checked above.
    seeded = installed.run("sco-api", "seed", "--no-data-sets")
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.startswith("seed: ")
    assert " created, 0 updated" in seeded.stdout
    port = free_port()
    log = (installed.workdir / "server.log").open("w")
    process = subprocess.Popen(
        [str(installed.venv / "bin" / "sco-api"), "serve", "--port", str(port)],
        cwd=installed.workdir,
        env=_environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_the_installed_sco_api_migrates_seeds_and_serves_from_any_folder(
    installed: Installed, server: str
) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            response = httpx.get(f"{server}/api/v1/areas", timeout=5)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                log = (installed.workdir / "server.log").read_text()
                raise AssertionError(f"the server did not answer:\n{log}") from None
            time.sleep(0.2)
    assert response.status_code == 200
    assert response.json()["items"]
    kazakhstan = httpx.get(f"{server}/api/v1/areas/KAZ", timeout=30)
    assert kazakhstan.json()["name"] == "Kazakhstan"
    page = httpx.get(f"{server}/", timeout=30)  # templates and stylesheet come from the wheel
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
