"""Settings: read only from environment variables (and an optional `.env`)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./data/sco.db"


class Settings(BaseSettings):
    """Every setting of the service; the names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(default=DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    rate_limit: int = Field(default=600, ge=0, alias="SCO_RATE_LIMIT")
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, alias="SCO_CORS_ORIGINS"
    )
    log_level: str = Field(default="INFO", alias="SCO_LOG_LEVEL")
    log_format: Literal["json", "console"] = Field(default="console", alias="SCO_LOG_FORMAT")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Comma-separated in the environment, a list in code.
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
