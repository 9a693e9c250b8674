"""Settings of the external authorization server (prefix ``ZAVA_OAUTH_``).

Read only by the HTTP transport, so a stdio server never fails over a setting it does not use.
"""

from __future__ import annotations

from pydantic import AnyHttpUrl, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from zava_core.domain.errors import ConfigurationError

__all__ = ["ASYMMETRIC_ALGORITHMS", "OAuthSettings", "load_oauth_settings"]

#: Only public-key algorithms: a shared-secret (HS*) token from outside would let anyone who
#: knows the JWKS (which is public) sign tokens; ``none`` is never accepted.
ASYMMETRIC_ALGORITHMS = ("RS256", "ES256")


class OAuthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZAVA_OAUTH_", extra="ignore", frozen=True)

    # Kept as written: `iss` is compared as an exact string (RFC 8414), so no URL normalising.
    issuer: str | None = Field(None, pattern=r"^https?://\S+$", description="The authorization server (`iss`).")
    jwks_url: AnyHttpUrl | None = Field(None, description="Where its signing keys are published.")
    audience: str | None = Field(None, description="The tokens' `aud`; default: this server's resource URL.")
    resource_url: str | None = Field(None, pattern=r"^https?://\S+$", description="This server's public URL.")
    principal_claim: str = Field("sub", min_length=1, description="The claim that holds the Zava user id.")
    required_scopes: list[str] = Field(default_factory=list, description="Scopes every token must carry.")
    jwks_cache_seconds: float = Field(300.0, ge=0, description="How long fetched keys are trusted.")
    jwks_min_refresh_seconds: float = Field(10.0, ge=0, description="Unknown `kid`s refresh at most this often.")
    allow_local_tokens: bool = Field(False, description="Also accept `zava token issue` tokens (development).")

    @model_validator(mode="after")
    def _complete(self) -> OAuthSettings:
        if self.issuer is not None and self.jwks_url is None:
            raise ValueError("ZAVA_OAUTH_JWKS_URL must be set with ZAVA_OAUTH_ISSUER")
        if self.jwks_url is not None and self.issuer is None:
            raise ValueError("ZAVA_OAUTH_ISSUER must be set with ZAVA_OAUTH_JWKS_URL")
        return self

    @property
    def external(self) -> bool:
        return self.issuer is not None


def load_oauth_settings(**overrides: object) -> OAuthSettings:
    """Read the settings, one message per bad one (as ``load_settings`` does)."""
    try:
        return OAuthSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = [
            f"ZAVA_OAUTH_{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" if e["loc"] else e["msg"]
            for e in exc.errors()
        ]
        raise ConfigurationError(
            "Invalid OAuth configuration: " + "; ".join(problems), hint="Fix the environment variables named above."
        ) from None
