"""Discovery documents: OpenID Provider metadata and the SMART App Launch 2.x configuration."""

from __future__ import annotations

from mock_server.oauth.clients import AUTH_METHODS, GRANT_TYPES
from mock_server.oauth.keys import ALGORITHM
from mock_server.settings import Settings

SCOPES_SUPPORTED = [
    "openid", "fhirUser", "offline_access", "online_access", "launch/patient",
    "patient/*.cruds", "patient/*.rs", "patient/Observation.rs", "patient/Observation.c",
    "patient/DocumentReference.rs", "patient/DocumentReference.c", "patient/Appointment.rs",
    "patient/Appointment.cu", "patient/Patient.rs",
]
"""Examples; any SMART v2 patient scope within a client's registered scope is accepted."""

SMART_CAPABILITIES = [
    "launch-standalone", "client-public", "client-confidential-symmetric",
    "context-standalone-patient", "sso-openid-connect", "permission-v2", "permission-patient",
    "permission-offline", "permission-online", "authorize-post",
]


def endpoints(settings: Settings) -> dict[str, str]:
    base = settings.base_url
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/oauth/authorize",
        "token_endpoint": f"{base}/oauth/token",
        "revocation_endpoint": f"{base}/oauth/revoke",
        "introspection_endpoint": f"{base}/oauth/introspect",
        "registration_endpoint": f"{base}/oauth/register",
        "userinfo_endpoint": f"{base}/oauth/userinfo",
        "jwks_uri": f"{base}/oauth/jwks",
    }


def openid_configuration(settings: Settings) -> dict:
    """OpenID Connect Discovery 1.0 / RFC 8414 metadata."""
    return {
        **endpoints(settings),
        "scopes_supported": SCOPES_SUPPORTED,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": list(GRANT_TYPES),
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "revocation_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "introspection_endpoint_auth_methods_supported": [
            "client_secret_basic", "client_secret_post", "bearer"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name",
                             "fhirUser"],
        "authorization_response_iss_parameter_supported": True,
        "ui_locales_supported": ["fr-FR"],
    }


def smart_configuration(settings: Settings) -> dict:
    """SMART App Launch 2.x `.well-known/smart-configuration`."""
    return {
        **endpoints(settings),
        "management_endpoint": f"{settings.base_url}/grants",
        "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
        "grant_types_supported": list(GRANT_TYPES),
        "scopes_supported": SCOPES_SUPPORTED,
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "capabilities": SMART_CAPABILITIES,
        "authorization_response_iss_parameter_supported": True,
    }
