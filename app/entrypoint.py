"""The container's entrypoint: migrate, optionally seed, then become the uvicorn server.

`python -m app.entrypoint [COMMAND]`, with COMMAND one of

* `serve` (the image's default): migrate unless `SCO_MIGRATE_ON_START=false`, seed when
  `SCO_SEED_ON_START=true`, then exec uvicorn on `SCO_HOST`:`PORT` (default 0.0.0.0:8000)
  with `SCO_WORKERS` workers;
* `migrate`: migrate (and seed when `SCO_SEED_ON_START=true`), then exit: the one-off job
  that production runs before rolling out new API containers;
* `healthcheck`: exit 0 when `/health/live` answers 200 on `PORT` (the image's HEALTHCHECK);
* anything else is executed as given, so `docker compose run --rm api sco-api keys list`
  works as it reads.

Migrating and seeding hold a lock (PostgreSQL: an advisory lock; SQLite: a lock file beside
the database), so containers started together with `SCO_MIGRATE_ON_START=true` prepare the
database one after the other (the later ones find it at head and seeded) instead of racing.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import urllib.request
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger("app.entrypoint")

# In a container the published port is the boundary, so the server listens on every
# interface of the container's own network namespace.
DEFAULT_HOST = "0.0.0.0"  # noqa: S104  # nosec B104  # see above
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
# uvicorn's own default: only a proxy on the same host may set X-Forwarded-For. Behind a
# load balancer, name its address or network (`10.0.0.0/8`), never `*` on an open port:
# the client address keys the rate limit, and a forged header would pick any bucket.
DEFAULT_FORWARDED_ALLOW_IPS = "127.0.0.1"
HEALTH_PATH = "/health/live"
# Recognized in settings, to probe 127.0.0.1 instead; nothing is bound here.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::"})  # noqa: S104  # nosec B104
HEALTHCHECK_TIMEOUT_SECONDS = 3.0
# pg_advisory_lock key: any fixed 64-bit number no other code of this database uses.
PREPARATION_LOCK_KEY = zlib.crc32(b"sco-api migrations")
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

# The variables this module reads itself (the application's own are app.config.Settings).
ENV_VARIABLES: dict[str, str] = {
    "SCO_HOST": f"address to listen on (default {DEFAULT_HOST}; `make serve-prod`: 127.0.0.1)",
    "PORT": f"port to listen on (default {DEFAULT_PORT})",
    "SCO_WORKERS": f"uvicorn worker processes (default {DEFAULT_WORKERS})",
    "SCO_FORWARDED_ALLOW_IPS": (
        "proxies trusted for X-Forwarded-For/-Proto: addresses or networks, comma-separated "
        f"(default {DEFAULT_FORWARDED_ALLOW_IPS})"
    ),
    "SCO_MIGRATE_ON_START": "apply migrations before serving (default true)",
    "SCO_SEED_ON_START": "load seed_data/ after migrating (default false)",
    METRICS_DIR_VARIABLE: "prometheus_client's directory for the counters of several workers",
}

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class EntrypointError(Exception):
    """A variable of the environment has a value the entrypoint cannot use."""


def env_flag(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    """A boolean variable: true/false, yes/no, on/off or 1/0 (any case); unset/empty → default."""
    word = env.get(name, "").strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EntrypointError(f"{name}={env[name]!r}: expected true or false")


def env_int(env: Mapping[str, str], name: str, *, default: int, minimum: int) -> int:
    """A whole-number variable of at least `minimum`; unset or empty → default."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EntrypointError(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise EntrypointError(f"{name}={value}: must be at least {minimum}")
    return value


@dataclass(frozen=True)
class ServerOptions:
    """How uvicorn is started."""

    host: str
    port: int
    workers: int
    forwarded_allow_ips: str


def server_options(env: Mapping[str, str]) -> ServerOptions:
    """The server's options from the environment."""
    return ServerOptions(
        host=env.get("SCO_HOST", "").strip() or DEFAULT_HOST,
        port=env_int(env, "PORT", default=DEFAULT_PORT, minimum=1),
        workers=env_int(env, "SCO_WORKERS", default=DEFAULT_WORKERS, minimum=1),
        forwarded_allow_ips=env.get("SCO_FORWARDED_ALLOW_IPS", "").strip()
        or DEFAULT_FORWARDED_ALLOW_IPS,
    )


def uvicorn_argv(options: ServerOptions) -> list[str]:
    """The uvicorn command line (run as `python -m uvicorn`, so the image's venv is used)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "app.main:app",
        "--host",
        options.host,
        "--port",
        str(options.port),
        "--workers",
        str(options.workers),
        "--proxy-headers",
        "--forwarded-allow-ips",
        options.forwarded_allow_ips,
        # The request-logging middleware writes one structured line per request.
        "--no-access-log",
        # Do not advertise the server software.
        "--no-server-header",
    ]


def healthcheck_url(env: Mapping[str, str]) -> str:
    """The liveness URL of the server this environment starts."""
    options = server_options(env)
    host = options.host
    if host in WILDCARD_HOSTS:  # listening everywhere: loopback reaches it
        host = "127.0.0.1"
    elif ":" in host:  # an IPv6 address goes in brackets in a URL
        host = f"[{host}]"
    return f"http://{host}:{options.port}{HEALTH_PATH}"


def prepare_metrics_dir(env: dict[str, str], workers: int) -> None:
    """Give several workers a fresh shared directory for their Prometheus counters.

    prometheus_client wants it empty at start (old files would add a previous run's counts);
    a single worker keeps its counters in memory and needs none.
    """
    configured = env.get(METRICS_DIR_VARIABLE, "").strip()
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        # Only prometheus_client's own files (`counter_<pid>.db`...): the directory is the
        # operator's choice and may hold anything else.
        for stale in directory.glob("*.db"):
            stale.unlink()
        return
    if workers > 1:
        env[METRICS_DIR_VARIABLE] = tempfile.mkdtemp(prefix="sco-metrics-")


@contextmanager
def one_at_a_time(database_url: str) -> Iterator[None]:
    """Let one process at a time prepare this database; the others wait for it.

    Two processes running Alembic at once both create the same tables and one fails (on
    SQLite, "database is locked"); two seeds at once both insert the same rows. PostgreSQL:
    an advisory lock; SQLite: an exclusive lock on a file beside the database.
    """
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        with _postgres_lock(database_url):
            yield
    elif url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        with _file_lock(Path(url.database + ".prepare.lock")):
            yield
    else:  # an in-memory database belongs to this process alone
        yield


@contextmanager
def _postgres_lock(database_url: str) -> Iterator[None]:
    from sqlalchemy import text

    from app.db.session import make_engine

    engine = make_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        # A session-level lock: released by the unlock below, or by PostgreSQL when this
        # connection dies with the process.
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PREPARATION_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": PREPARATION_LOCK_KEY}
                )
    finally:
        engine.dispose()


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        # Released when the file is closed, or by the kernel when the process dies.
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def seed(database_url: str) -> None:
    """Load seed_data/ (idempotent) in one write transaction."""
    from app.db.session import make_engine, make_session_factory, session_scope
    from app.seed import seed as load_seed

    engine = make_engine(database_url)
    try:
        for session in session_scope(make_session_factory(engine), write=True):
            report = load_seed(session)
        logger.info("%s", report.summary())
    finally:
        engine.dispose()


def prepare_database(database_url: str, env: Mapping[str, str], *, migrating: bool) -> None:
    """Migrate (when asked) and seed (when SCO_SEED_ON_START is on), one process at a time."""
    from app.migrate import migrate

    seeding = env_flag(env, "SCO_SEED_ON_START", default=False)
    if not (migrating or seeding):
        return
    with one_at_a_time(database_url):
        if migrating:
            logger.info("applying migrations")
            migrate(database_url)
        if seeding:
            logger.info("seeding")
            seed(database_url)


def healthcheck(env: Mapping[str, str]) -> int:
    """0 when the liveness endpoint answers 200, else 1 (the HEALTHCHECK's exit status)."""
    try:
        # The URL is built from a fixed scheme and host, never from input.
        with urllib.request.urlopen(  # noqa: S310  # nosec B310  # fixed http:// URL
            healthcheck_url(env), timeout=HEALTHCHECK_TIMEOUT_SECONDS
        ) as answer:
            return 0 if answer.status == 200 else 1
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1


def _configure_logging() -> str:
    from app.config import get_settings
    from app.http.logging import configure_logging

    settings = get_settings()
    configure_logging(settings.log_level, settings.log_format)
    return settings.database_url


def serve(env: dict[str, str]) -> int:
    """Prepare the database, then replace this process with uvicorn (it becomes PID 1)."""
    options = server_options(env)
    database_url = _configure_logging()
    prepare_database(
        database_url, env, migrating=env_flag(env, "SCO_MIGRATE_ON_START", default=True)
    )
    prepare_metrics_dir(env, options.workers)
    argv = uvicorn_argv(options)
    logger.info(
        "starting uvicorn on %s:%d with %d workers", options.host, options.port, options.workers
    )
    logging.shutdown()
    os.execve(argv[0], argv, env)  # noqa: S606  (a fixed program: this interpreter)
    return 0  # not reached: execve replaces the process


def migrate_only(env: Mapping[str, str]) -> int:
    """The one-off job: migrate (and seed when asked), then exit."""
    database_url = _configure_logging()
    prepare_database(database_url, env, migrating=True)
    logger.info("database ready")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv) or ["serve"]
    env = dict(os.environ)
    command, rest = args[0], args[1:]
    try:
        if command == "serve" and not rest:
            return serve(env)
        if command == "migrate" and not rest:
            return migrate_only(env)
        if command == "healthcheck" and not rest:
            return healthcheck(env)
    except EntrypointError as error:
        print(f"entrypoint: {error}", file=sys.stderr)
        return 2
    # Any other command runs as given (`sco-api seed`, `python`, a shell for debugging).
    try:
        os.execvp(command, args)  # noqa: S606
    except FileNotFoundError:
        print(
            f"entrypoint: no command {command!r} (or serve, migrate, healthcheck)", file=sys.stderr
        )
        return 127
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
