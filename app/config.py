"""Settings: read only from environment variables (and an optional `.env`)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/sco.db"


class Settings(BaseSettings):
    """Every setting of the service; the names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        alias="DATABASE_URL",
        description="the database: a SQLite file (a relative path is from the current folder) "
        "or postgresql+psycopg://user:password@host:5432/name",
    )
    rate_limit: int = Field(
        default=600,
        ge=0,
        alias="SCO_RATE_LIMIT",
        description="requests per minute per client (API key, else IP); 0 turns limiting off",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        alias="SCO_CORS_ORIGINS",
        description="origins allowed by CORS, comma-separated",
    )
    log_level: str = Field(default="INFO", alias="SCO_LOG_LEVEL", description="log level")
    log_format: Literal["json", "console"] = Field(
        default="console",
        alias="SCO_LOG_FORMAT",
        description="json: one JSON object per line; console: for people",
    )
    # Seconds shared caches and clients may reuse an anonymous GET answer (`public, max-age`).
    cache_max_age: int = Field(
        default=60,
        ge=0,
        alias="SCO_CACHE_MAX_AGE",
        description="seconds of Cache-Control max-age on anonymous reads",
    )
    # Where request counts live: `memory://` (per process) or `redis://host:port` (shared by
    # every worker and host, so the limit holds behind a load balancer).
    rate_limit_storage: str = Field(
        default="memory://",
        alias="SCO_RATE_LIMIT_STORAGE",
        description="where request counts live: memory:// or redis://host:6379/0 (shared)",
    )
    # Request bodies above this many bytes are answered 413 (bulk imports have their own).
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=0,
        alias="SCO_MAX_BODY_BYTES",
        description="request bodies above this many bytes are answered 413",
    )
    # Keep whole GET answers in memory while the data version is unchanged.
    response_cache: bool = Field(
        default=True,
        alias="SCO_RESPONSE_CACHE",
        description="keep whole anonymous GET answers in memory while the data is unchanged",
    )
    # Build the OpenAPI document as the server starts, so `/docs` never waits for it (half a
    # second of CPU per start: the tests, which start an app per test, leave it off).
    openapi_at_start: bool = Field(
        default=True,
        alias="SCO_OPENAPI_AT_START",
        description="build the OpenAPI document at start-up rather than on its first request",
    )
    # How stale another process's writes may be seen by this process's cache, in ms.
    response_cache_ttl_ms: int = Field(
        default=100,
        ge=0,
        alias="SCO_RESPONSE_CACHE_TTL_MS",
        description="milliseconds another process's writes may go unseen by that cache",
    )
    # Threads that run the database work of requests, per worker process. Pages are built
    # in Python: more threads than cores only pass the GIL around (on 2 cores, 4 threads
    # served cold 500-row pages 1.6x faster than anyio's default 40). Raise it for a
    # PostgreSQL far away on the network, where threads mostly wait.
    worker_threads: int = Field(
        default=4,
        ge=1,
        le=256,
        alias="SCO_WORKER_THREADS",
        description="threads per worker process that run requests' database work",
    )
    # PATCH/DELETE without `If-Match` are answered 428 when this is on (default: optional).
    require_if_match: bool = Field(
        default=False,
        alias="SCO_REQUIRE_IF_MATCH",
        description="true: PATCH and DELETE without If-Match are answered 428",
    )
    # Bulk imports (`POST /trade/imports`) may be larger than ordinary bodies.
    import_max_bytes: int = Field(
        default=50 * 1024 * 1024,
        ge=1024,
        alias="SCO_IMPORT_MAX_BYTES",
        description="the largest body of POST /trade/imports, in bytes",
    )

    # The key list cursors are signed with (`app.db.keyset.CursorSeal`). Unset, it is derived
    # from DATABASE_URL: every worker and host of one installation agree without being
    # told, and another installation's cursors are refused. Set it to choose the key, or
    # change it to invalidate every cursor issued so far.
    cursor_secret: SecretStr | None = Field(
        default=None,
        alias="SCO_CURSOR_SECRET",
        description="the key list cursors are signed with (default: derived from DATABASE_URL)",
    )

    def cursor_key(self) -> bytes:
        """The HMAC key of cursors: SCO_CURSOR_SECRET, else one derived from DATABASE_URL."""
        if self.cursor_secret is not None:
            return self.cursor_secret.get_secret_value().encode()
        return hashlib.sha256(b"sco-trade-api cursors\0" + self.database_url.encode()).digest()

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Comma-separated in the environment, a list in code.
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
