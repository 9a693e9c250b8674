"""From settings to the HTTP transport's token verifier and the SDK's ``AuthSettings``."""

from __future__ import annotations

from dataclasses import dataclass

from mcp.server.auth.provider import TokenVerifier
from mcp.server.auth.settings import AuthSettings

from zava_core.domain.errors import ConfigurationError
from zava_mcp_adapter.auth.jwks import JwksKeySet
from zava_mcp_adapter.auth.settings import OAuthSettings
from zava_mcp_adapter.auth.verifier import ExternalJwtVerifier, FirstValidVerifier
from zava_mcp_adapter.identity import JwtTokenVerifier
from zava_mcp_adapter.settings import Settings

__all__ = ["HttpAuth", "auth_for"]


@dataclass(frozen=True)
class HttpAuth:
    verifier: TokenVerifier
    settings: AuthSettings
    resource_url: str
    external: bool


def auth_for(settings: Settings, oauth: OAuthSettings, *, jwt_secret: str | None, resource_url: str) -> HttpAuth:
    """External tokens when an issuer is configured (plus local ones if allowed), else local ones.

    Protected-resource metadata (RFC 9728) is published only with an external issuer: it must
    name a server that can really issue tokens, and a Zava server is not one.
    """
    resource = oauth.resource_url or resource_url
    local = (
        JwtTokenVerifier(jwt_secret, audience=settings.jwt_audience, issuer=settings.jwt_issuer) if jwt_secret else None
    )
    if oauth.issuer is None or oauth.jwks_url is None:
        if local is None:
            raise ConfigurationError(
                "HTTP needs a way to verify tokens.",
                hint="Set ZAVA_OAUTH_ISSUER and ZAVA_OAUTH_JWKS_URL for your identity provider, "
                "or ZAVA_JWT_SECRET for development tokens from `zava token issue`.",
            )
        # The issuer URL is required by the SDK's model but unused: no metadata route is built.
        return HttpAuth(
            verifier=local,
            settings=AuthSettings.model_validate({"issuer_url": resource, "resource_server_url": None}),
            resource_url=resource,
            external=False,
        )
    keys = JwksKeySet(
        str(oauth.jwks_url),
        cache_seconds=oauth.jwks_cache_seconds,
        min_refresh_seconds=oauth.jwks_min_refresh_seconds,
    )
    issuer = oauth.issuer
    external = ExternalJwtVerifier(
        keys, issuer=issuer, audience=oauth.audience or resource, principal_claim=oauth.principal_claim
    )
    verifier: TokenVerifier = (
        FirstValidVerifier(external, local) if oauth.allow_local_tokens and local is not None else external
    )
    return HttpAuth(
        verifier=verifier,
        # Through model_validate so the URLs keep their spelling: `iss` comparisons are exact.
        settings=AuthSettings.model_validate(
            {
                "issuer_url": issuer,
                "resource_server_url": resource,
                "required_scopes": oauth.required_scopes or None,
                # The verifier checks the audience itself (it may be a name, not this URL).
                "validate_token_resource": False,
            }
        ),
        resource_url=resource,
        external=True,
    )
