"""The HTTP transport as an OAuth 2.1 resource server: who may call, proven by a bearer token.

Two kinds of token: those of an external authorization server (verified against its JWKS), and
locally minted development tokens (HS256, ``zava token issue``). ``auth_for`` picks from the
settings; nothing here decides what a principal may *see* (row-level security does).
"""

from zava_mcp_adapter.auth.jwks import JwksKeySet
from zava_mcp_adapter.auth.settings import OAuthSettings, load_oauth_settings
from zava_mcp_adapter.auth.setup import HttpAuth, auth_for
from zava_mcp_adapter.auth.verifier import ExternalJwtVerifier

__all__ = ["ExternalJwtVerifier", "HttpAuth", "JwksKeySet", "OAuthSettings", "auth_for", "load_oauth_settings"]
