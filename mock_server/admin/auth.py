"""Who may use the facilitator console: the bearer of the facilitator token, no one else.

No header, a malformed one or an unknown token is 401; a live token of a patient's app or of a
service is 403 (it authenticates someone, but not the facilitator).
"""

from __future__ import annotations

import hmac

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from mock_server.bearer import BearerError, bearer_token
from mock_server.oauth.tokens import find_active_access_token
from mock_server.platform import Platform, get_platform
from mock_server.problems import Problem

_TITLE = "Authentification de l'animateur requise"


def _unauthorized(detail: str, error: str | None = "invalid_token") -> Problem:
    challenge = 'Bearer realm="ens-mock-admin"' + (f', error="{error}"' if error else "")
    return Problem(401, _TITLE, detail, headers={"WWW-Authenticate": challenge})


def _is_live_token(platform: Platform, token: str) -> bool:
    with platform.engine.connect() as conn:
        return find_active_access_token(conn, token, platform.clock.now()) is not None


async def facilitator(request: Request) -> None:
    """FastAPI dependency: pass only with `Authorization: Bearer <facilitator token>`."""
    platform = get_platform(request)
    try:
        token = bearer_token(request)
    except BearerError as error:
        raise _unauthorized(error.diagnostics, error.error) from None
    expected = platform.settings.facilitator_token
    if not expected:
        raise _unauthorized("La console animateur est désactivée : démarrez le serveur avec un "
                            "jeton animateur (ENS_FACILITATOR_TOKEN, ou ens-mock-server serve "
                            "qui en crée un).", None)
    if hmac.compare_digest(token.encode(), expected.encode()):
        return
    if await run_in_threadpool(_is_live_token, platform, token):
        raise Problem(403, "Accès réservé à l'animateur",
                      "Ce jeton est celui d'un patient ou d'un service : la console animateur "
                      "demande le jeton animateur affiché au démarrage du serveur.")
    raise _unauthorized("Jeton animateur invalide : utilisez celui affiché au démarrage du "
                        "serveur (« Jeton animateur »).")
