"""OAuth clients: the built-in patient app, registration of other clients, redirect URI rules.

Redirect URIs (RFC 9700 §2.1, §2.6; RFC 8252 §7.3): `https`, or `http` on a loopback host only;
no fragment, no user info. At /authorize the URI must equal a registered one byte for byte,
except the port of a loopback URI, which native apps pick at run time.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, select

from mock_server.oauth.scope_policy import all_within
from mock_server.oauth.tokens import hash_secret
from mock_server.scopes import InvalidScope, validate_scope_string
from mock_server.storage.schema import oauth_clients

APP_CLIENT_ID = "ens-consent-app"
APP_REDIRECT_URI = "http://127.0.0.1/callback"
APP_SCOPE = "openid fhirUser offline_access patient/*.cruds"
OUTSIDE_SCOPE = (
    "openid fhirUser offline_access patient/*.rs patient/Observation.c "
    "patient/DocumentReference.c patient/Appointment.cu"
)
"""What an outside client may ask for unless it registers a narrower scope."""

AUTH_METHODS = ("client_secret_basic", "client_secret_post", "none")
GRANT_TYPES = ("authorization_code", "refresh_token")
LOOPBACK_HOSTNAMES = ("127.0.0.1", "::1", "localhost")
_LOOPBACK_WITH_PORT = re.compile(r"^http://(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}(?=/|\?|$)")


class RegistrationError(ValueError):
    """A client registration refused, with its RFC 7591 error code and a French reason."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


def redirect_uri_problem(uri: object) -> str | None:
    """Why `uri` cannot be registered as a redirect URI (French), or None when it can."""
    if not isinstance(uri, str) or not uri:
        return "Chaque adresse de redirection doit être une chaîne non vide."
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError:
        return f"« {uri} » n'est pas une URL valide."
    if port == 0:
        return f"« {uri} » : le port 0 n'est pas valide."
    if parts.fragment or "#" in uri:
        return f"« {uri} » ne doit pas contenir de fragment (#)."
    if "@" in parts.netloc:
        return f"« {uri} » ne doit pas contenir d'identifiant avant l'hôte (@)."
    if not parts.hostname:
        return f"« {uri} » doit nommer un hôte."
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTNAMES:
        return None
    if parts.scheme == "http":
        return f"« {uri} » : http n'est permis que sur l'interface locale (127.0.0.1, [::1])."
    return f"« {uri} » doit commencer par https:// (ou http:// sur l'interface locale)."


def redirect_uri_matches(requested: str, registered: list[str]) -> bool:
    """Byte-for-byte match against a registered URI, any port allowed on loopback ones."""
    if requested in registered:
        return True
    candidate = _without_loopback_port(requested)
    if candidate is None:
        return False
    return candidate in {_without_loopback_port(r) or r for r in registered}


def _without_loopback_port(uri: str) -> str | None:
    match = _LOOPBACK_WITH_PORT.match(uri)
    if not match:
        return None
    return f"http://{match.group(1)}{uri[match.end():]}"


def new_client_id(kind: str) -> str:
    return f"{kind}-{secrets.token_hex(8)}"


def register_client(
    conn: Connection,
    *,
    name: str,
    redirect_uris: list[str],
    public: bool,
    now: datetime,
    kind: str = "outside",
    scope: str = OUTSIDE_SCOPE,
    auth_method: str | None = None,
) -> dict:
    """Register a client and return its RFC 7591 client information (secret shown only here).

    Only the secret's hash is stored. Raises `RegistrationError` for a bad redirect URI, a scope
    wider than `OUTSIDE_SCOPE` for outside clients, or an auth method that does not fit `public`.
    """
    if not isinstance(name, str) or not name.strip():
        raise RegistrationError("invalid_client_metadata", "Le nom du client est obligatoire.")
    name = name.strip()
    _check_redirect_uris(redirect_uris)
    _check_scope(scope, kind)
    method = auth_method or ("none" if public else "client_secret_basic")
    if method not in AUTH_METHODS or (method == "none") != public:
        raise RegistrationError(
            "invalid_client_metadata",
            "token_endpoint_auth_method vaut « none » pour un client public, "
            "« client_secret_basic » ou « client_secret_post » pour un client confidentiel.",
        )
    client_id = new_client_id(kind)
    secret = None if public else secrets.token_urlsafe(32)
    conn.execute(
        oauth_clients.insert().values(
            client_id=client_id,
            client_secret_hash=hash_secret(secret) if secret else None,
            name=name,
            kind=kind,
            redirect_uris=json.dumps(redirect_uris),
            scope=scope,
            token_endpoint_auth_method=method,
            created_at=now,
        )
    )
    info = {
        "client_id": client_id,
        "client_id_issued_at": int(now.timestamp()),
        "client_name": name,
        "redirect_uris": list(redirect_uris),
        "token_endpoint_auth_method": method,
        "grant_types": list(GRANT_TYPES),
        "response_types": ["code"],
        "scope": scope,
    }
    if secret:
        info.update(client_secret=secret, client_secret_expires_at=0)
    return info


def _check_redirect_uris(redirect_uris: object) -> None:
    if not isinstance(redirect_uris, list) or not redirect_uris:
        raise RegistrationError("invalid_redirect_uri",
                                "Au moins une adresse de redirection (redirect_uris) est requise.")
    for uri in redirect_uris:
        problem = redirect_uri_problem(uri)
        if problem:
            raise RegistrationError("invalid_redirect_uri", problem)


def _check_scope(scope: object, kind: str) -> None:
    if not isinstance(scope, str):
        raise RegistrationError("invalid_client_metadata",
                                "scope doit être une chaîne de portées séparées par des espaces.")
    try:
        validate_scope_string(scope)
    except InvalidScope as exc:
        raise RegistrationError("invalid_client_metadata", str(exc)) from exc
    if kind == "outside" and not all_within(scope, OUTSIDE_SCOPE):
        raise RegistrationError(
            "invalid_client_metadata",
            f"La portée demandée dépasse celle permise aux clients extérieurs : {OUTSIDE_SCOPE}.",
        )


def ensure_app_client(engine: Engine, now: datetime) -> None:
    """Create the first-party patient app client once (idempotent)."""
    with engine.begin() as conn:
        exists = conn.execute(
            select(oauth_clients.c.client_id).where(oauth_clients.c.client_id == APP_CLIENT_ID)
        ).first()
        if exists:
            return
        conn.execute(
            oauth_clients.insert().values(
                client_id=APP_CLIENT_ID,
                client_secret_hash=None,
                name="Mon espace santé (application patient)",
                kind="app",
                redirect_uris=json.dumps([APP_REDIRECT_URI]),
                scope=APP_SCOPE,
                token_endpoint_auth_method="none",
                created_at=now,
            )
        )
