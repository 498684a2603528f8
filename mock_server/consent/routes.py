"""The patient's register of access authorisations: `/grants` (JSON, the patient's app only).

Every route needs the token of the patient's own app (`patient_app_token`: 401 without a live
token, 403 for a service's token) and acts on the grants of the patient that token acts for.
Errors are JSON problems (RFC 9457) with a French `detail`; another patient's grant is 404.
Each call is one transaction: a refused change writes nothing.

- `GET /grants` → `{"grants": [<grant>...]}`, oldest first.
- `GET /grants/{id}` → `<grant>` plus `"history": [{"version", "at", "actor", "change",
  "snapshot"}...]`.
- `PATCH /grants/{id}` with one change (see `mock_server.consent.requests`) → the new `<grant>`.
  Removing the last permission revokes the grant. 400: not JSON, or an attempt to widen
  (`add`, a wider window): reconnecting the service is the only way to widen. 409: the grant is
  not active, or the change needs another granularity. 422: a field is wrong.
- `POST /grants/{id}/revoke` → the `<grant>`, revoked along with every token of this patient for
  this service (idempotent).

`<grant>`: `{"id", "service": {"id", "name", "kind"}, "status", "version", "maille",
"valid_from", "valid_until", "duration", "include_earlier", "permissions": [{"data_class",
"subtype", "access", "sentence", "scope"}...], "excluded", "window", "created_at", "updated_at"}`.
Expiry is decided on the simulated clock: a grant found past its end is recorded expired first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

from mock_server.consent.changes import GrantWriter
from mock_server.consent.model import Grant, GrantError
from mock_server.consent.requests import (
    Change,
    Exclude,
    NewDuration,
    NewEnd,
    Remove,
    Window,
    parse_change,
)
from mock_server.consent.store import client_names, history, own_grant, patient_grants
from mock_server.consent.views import grant_json, version_json
from mock_server.oauth.tokens import AccessToken
from mock_server.patient_api import patient_app_token
from mock_server.platform import Platform, get_platform
from mock_server.problems import Problem

router = APIRouter(prefix="/grants", tags=["Autorisations du patient"])

PatientToken = Annotated[AccessToken, Depends(patient_app_token)]
MAX_BODY = 64 * 1024
_TITLES = {400: "Requête invalide", 404: "Autorisation introuvable", 409: "Modification impossible",
           413: "Requête trop volumineuse", 422: "Modification invalide"}
T = TypeVar("T")


@router.get("", summary="Mes autorisations")
async def list_grants(request: Request, token: PatientToken) -> dict:
    def work(conn: Connection, writer: GrantWriter) -> dict:
        found = [writer.expire_if_due(g) for g in patient_grants(conn, token.patient_id)]
        names = client_names(conn, {g.client_id for g in found})
        return {"grants": [grant_json(g, names.get(g.client_id)) for g in found]}

    return await _run(request, token, work)


@router.get("/{grant_id}", summary="Une autorisation et son historique")
async def read_grant(request: Request, grant_id: str, token: PatientToken) -> dict:
    def work(conn: Connection, writer: GrantWriter) -> dict:
        grant = writer.expire_if_due(_own(conn, token, grant_id))
        body = _grant_body(conn, grant)
        body["history"] = [version_json(v) for v in history(conn, grant.id)]
        return body

    return await _run(request, token, work)


@router.patch("/{grant_id}", summary="Restreindre une autorisation ou changer sa durée")
async def change_grant(request: Request, grant_id: str, token: PatientToken) -> dict:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise _problem(GrantError(413, f"Le corps de la requête dépasse {MAX_BODY} octets."))
    try:
        change = parse_change(body)
    except GrantError as error:
        raise _problem(error) from None

    def work(conn: Connection, writer: GrantWriter) -> dict:
        grant = writer.expire_if_due(_own(conn, token, grant_id))
        return _grant_body(conn, _apply(writer, grant, change))

    return await _run(request, token, work)


@router.post("/{grant_id}/revoke", summary="Retirer une autorisation")
async def revoke_grant(request: Request, grant_id: str, token: PatientToken) -> dict:
    def work(conn: Connection, writer: GrantWriter) -> dict:
        return _grant_body(conn, writer.revoke(writer.expire_if_due(_own(conn, token, grant_id))))

    return await _run(request, token, work)


def _apply(writer: GrantWriter, grant: Grant, change: Change) -> Grant:
    if isinstance(change, Remove):
        return writer.narrow(grant, change.permissions)
    if isinstance(change, NewDuration):
        return writer.change_validity(grant, duration=change.duration)
    if isinstance(change, NewEnd):
        return writer.change_validity(grant, until=change.until)
    if isinstance(change, Exclude):
        return writer.exclude(grant, change.resource_ids)
    assert isinstance(change, Window)
    return writer.set_window(grant, change.start, change.end)


def _own(conn: Connection, token: AccessToken, grant_id: str) -> Grant:
    grant = own_grant(conn, token.patient_id, grant_id)
    if grant is None:
        raise GrantError(404, f"Aucune de vos autorisations n'a l'identifiant « {grant_id[:64]} ».")
    return grant


def _grant_body(conn: Connection, grant: Grant) -> dict:
    return grant_json(grant, client_names(conn, [grant.client_id]).get(grant.client_id))


async def _run(request: Request, token: AccessToken,
               work: Callable[[Connection, GrantWriter], T]) -> T:
    platform = get_platform(request)
    return await run_in_threadpool(_transaction, platform, token, work)


def _transaction(platform: Platform, token: AccessToken,
                 work: Callable[[Connection, GrantWriter], T]) -> T:
    """Run `work` in one transaction as the token's user; wake event readers after commit."""
    try:
        with platform.engine.begin() as conn:
            writer = GrantWriter(conn, platform.clock.now(), token.username)
            result = work(conn, writer)
    except GrantError as error:
        raise _problem(error) from None
    if writer.published:
        platform.notifier.notify()
    return result


def _problem(error: GrantError) -> Problem:
    return Problem(error.status, _TITLES.get(error.status, "Requête refusée"), error.detail)
