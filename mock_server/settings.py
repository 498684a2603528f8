"""Server settings. Each field's docstring is its user documentation (env prefix `ENS_`)."""

from __future__ import annotations

from typing import Final, Literal, get_args

from pydantic_settings import BaseSettings, SettingsConfigDict

Maille = Literal["categorie", "type", "ressource"]
"""Consent granularity ("maille de consentement", DESIGN §5): per class, per type, per resource."""
MAILLES: Final[tuple[str, ...]] = get_args(Maille)


class Settings(BaseSettings):
    """How one mock ENS platform runs."""

    model_config = SettingsConfigDict(env_prefix="ENS_", extra="ignore")

    database_url: str | None = None
    """SQLAlchemy URL of the database; default: a SQLite file in the user data directory."""

    seed: int = 2026
    """Seed of the synthetic data: the same seed gives the same patients, documents and measures."""

    host: str = "127.0.0.1"
    """Interface the server listens on."""

    port: int = 8765
    """TCP port the server listens on."""

    public_url: str | None = None
    """Base URL clients reach the server at (issuer); default `http://{host}:{port}`."""

    max_body_bytes: int = 5 * 1024 * 1024
    """Largest request body accepted (attachments included); bigger bodies get 413."""

    access_token_ttl: int = 3600
    """Lifetime of an access token, in simulated seconds."""

    refresh_token_idle_ttl: int = 14 * 24 * 3600
    """A refresh token unused for this long (simulated seconds) stops working."""

    authorization_code_ttl: int = 300
    """Lifetime of an authorization code, in simulated seconds (at most 600)."""

    login_session_ttl: int = 1800
    """Lifetime of a browser login session on the authorization pages, in simulated seconds."""

    facilitator_token: str | None = None
    """Bearer token of the facilitator console; generated and printed at start when unset."""

    # --- FHIR ---
    fhir_rate_limit_per_second: float = 200.0
    """Average requests per second each client may make to the FHIR API (0 = no limit)."""

    fhir_rate_limit_burst: int = 400
    """Requests a client may make at once above that average before getting 429."""

    maille: Maille = "type"
    """Consent granularity offered to patients (DESIGN §5); the facilitator console can change
    it while the server runs (`POST /admin/maille`)."""

    @property
    def base_url(self) -> str:
        """The issuer: where clients reach this server, without a trailing slash."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def fhir_base_url(self) -> str:
        """The FHIR base, also the `aud` every authorization request must name."""
        return f"{self.base_url}/fhir"
