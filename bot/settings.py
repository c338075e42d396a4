"""Every environment variable the bot reads, in one place.

Secrets are ``SecretStr`` so they never print. ``load_settings()`` turns a
missing or malformed variable into one line naming it (``SettingsError``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_SEEKR_BASE_URL = "https://flow.seekr.com"


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


def parse_fernet_keys(raw: str) -> list[str]:
    """Split and check ``BOT_ENCRYPTION_KEY``; the error names the position, never the key."""
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    if not parts:
        raise ValueError("must hold at least one Fernet key")
    for i, part in enumerate(parts, 1):
        try:
            Fernet(part)
        except (ValueError, TypeError):
            raise ValueError(
                f"key {i} of {len(parts)} is not a Fernet key "
                "(32 url-safe base64-encoded bytes; make one with `python -m bot gen-key`)"
            ) from None
    return parts


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL

    # SeekrFlow (same names and meaning as the official SDK)
    seekr_api_key: SecretStr | None = None
    seekr_base_url: str = DEFAULT_SEEKR_BASE_URL
    seekr_team_id: str | None = None
    seekr_timeout: float = Field(default=10.0, gt=0, le=120)  # seconds per SeekrFlow call
    # the SeekrFlow web app: links to a job there are previewed (link_shared)
    seekr_app_url: str = "https://flow.seekr.com"

    # State and serving
    redis_url: str = "redis://localhost:6379/0"
    redis_cluster: bool = False  # REDIS_URL names a node of a Redis Cluster
    port: int = Field(default=3000, ge=1, le=65535)
    host: str = "0.0.0.0"

    # Watcher
    poll_interval: float = Field(default=10.0, gt=0, le=3600)
    delivery_lease: float = Field(default=30.0, ge=2, le=600)  # per-target sender lease
    # an unclaimed job still in review gets one reminder this long after it entered review
    review_reminder: float = Field(default=4 * 3600.0, gt=0, le=30 * 24 * 3600)

    # Identity
    operators: Annotated[list[str], NoDecode] = Field(default_factory=list)
    bot_encryption_key: SecretStr | None = None

    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object per line, for collectors

    def secret_values(self) -> list[str]:
        """Every secret the settings hold (for the log redaction), each key of a list alone."""
        found = []
        for value in (
            self.slack_bot_token,
            self.slack_signing_secret,
            self.slack_app_token,
            self.seekr_api_key,
            self.bot_encryption_key,
        ):
            if value is not None:
                raw = value.get_secret_value()
                found += [raw, *(p.strip() for p in raw.split(",") if p.strip())]
        return found

    @field_validator("slack_bot_token", "slack_signing_secret", "slack_app_token", "seekr_api_key")
    @classmethod
    def _empty_is_unset(cls, v: SecretStr | None) -> SecretStr | None:
        """``SLACK_SIGNING_SECRET=`` (set, but empty) means not set."""
        return None if v is None or not v.get_secret_value().strip() else v

    @field_validator("slack_api_url")
    @classmethod
    def _slack_api_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v if v.endswith("/") else v + "/"

    @field_validator("seekr_app_url")
    @classmethod
    def _seekr_app_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return v.rstrip("/")

    @field_validator("seekr_base_url")
    @classmethod
    def _seekr_base_url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        v = v.rstrip("/")
        if v.endswith("/v1"):  # tolerated, as the SDK does
            v = v[: -len("/v1")]
        return v

    @field_validator("operators", mode="before")
    @classmethod
    def _operators(cls, v: object) -> object:
        if isinstance(v, str):
            return [p for p in (s.strip() for s in v.replace(" ", ",").split(",")) if p]
        return v

    @field_validator("bot_encryption_key")
    @classmethod
    def _bot_encryption_key(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None or not v.get_secret_value().strip():
            return None
        parse_fernet_keys(v.get_secret_value())  # names the bad key's position, never the key
        return v

    @field_validator("log_format", mode="before")
    @classmethod
    def _log_format(cls, v: object) -> object:
        return v.strip().lower() if isinstance(v, str) else v

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, v: str) -> str:
        if not v.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return v


def load_settings(**overrides: Any) -> Settings:
    """Read the environment; raise ``SettingsError`` naming the first bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]).upper() if err.get("loc") else "settings"
        raise SettingsError(f"{name}: {err['msg']}") from None


def require(settings: Settings, *names: str) -> None:
    """Raise ``SettingsError`` for the first of ``names`` that is unset."""
    for name in names:
        if getattr(settings, name.lower()) in (None, ""):
            raise SettingsError(f"{name.upper()} is required but not set")
