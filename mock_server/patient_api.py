"""Who may call the patient's own routes (`/grants`, `/exchanges`, `/events`): the patient's app.

A token of the first-party app (client kind `app`) acting for a patient; a third-party service's
token gets 403 even for its own patient (function-level authorization, SECURITY-CHECKS 50).
"""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request

from mock_server.bearer import UNKNOWN_TOKEN, BearerError, bearer_token
from mock_server.oauth.tokens import AccessToken, find_active_access_token
from mock_server.platform import get_platform
from mock_server.problems import Problem
from mock_server.storage.schema import oauth_clients


def _unauthorized(error: BearerError) -> Problem:
    return Problem(401, "Authentification requise", error.diagnostics,
                   headers={"WWW-Authenticate": error.challenge})


def patient_app_token(request: Request) -> AccessToken:
    """FastAPI dependency: the live token of the patient's own app, else 401/403 in words."""
    platform = get_platform(request)
    try:
        raw = bearer_token(request)
    except BearerError as error:
        raise _unauthorized(error) from None
    with platform.engine.connect() as conn:
        token = find_active_access_token(conn, raw, platform.clock.now())
        kind = None if token is None else conn.execute(
            select(oauth_clients.c.kind).where(oauth_clients.c.client_id == token.client_id)
        ).scalar_one_or_none()
    if token is None:
        raise _unauthorized(UNKNOWN_TOKEN)
    if kind != "app":
        raise Problem(403, "Accès réservé au patient",
                      "Seule l'application Mon espace santé du patient peut consulter ou gérer "
                      "ses autorisations et ses échanges ; un service tiers n'y a pas accès.")
    return token
