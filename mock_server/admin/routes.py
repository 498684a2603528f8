"""The facilitator console API (`/admin/*`, JSON). Every route needs
`Authorization: Bearer <facilitator token>` (401 without it, 403 with a patient's or a service's
token); errors are JSON problems (RFC 9457) in French.

- `GET /admin/clock` → `<clock>`: `{"now", "speed", "paused", "resume_speed",
  "next_action_at"}`.
- `POST /admin/clock` with exactly one of `{"pause": true}`, `{"resume": true}`,
  `{"speed": 60}` (0 < speed ≤ 3600), `{"jump": "7d"}` (`12h`, `P7D`...), `{"to": "<ISO>"}`
  → `{"clock": <clock>, "jump": {"from", "to", "span", "occurrences", "requests",
  "by_service"} | null}`. A jump runs every scheduled action on the way, in time order, each at
  its own simulated time. 409 for a moment in the past (the clock never goes back); 422 for a
  jump beyond 31 days or one that would run more than 1000 actions (nothing moves then).
- `GET /admin/states` → `{"states": [{"name", "description", "connections": [...]}]}`.
- `POST /admin/reset` `{"state": "initial"}` → `{"state", "description", "resources",
  "connections": [<callback answer>...], "clock"}`: every agent stops, every connection,
  token, grant, exchange and event goes, the seed's data come back (anchored on the simulated
  now), then the state's services are connected through the real consent flow. Registered
  clients are kept; the participants' copies of personas go (only the seed's accounts remain).
  404 for an unknown state (the answer lists them).
- `GET /admin/maille` → `{"maille"}`; `POST /admin/maille` `{"maille": "categorie" | "type" |
  "ressource"}` → `{"maille", "previous"}`: the granularity every consent dialog offers from
  the next request on (existing grants keep the one they were given under). 422 for another
  value.
- `POST /admin/prepare` `{"account", "for"?: "child", "connections": [{"service", "refuse"?:
  ["measures/blood_pressure/read", "documents/*/read"...], "duration"?: "6m"}],
  "keep_data"?: false}` →
  `{"account", "for", "patient_id", "patient", "forgotten": {"grants", "exchanges"}, "data":
  {"reseeded", "resources"}, "connections": [<callback answer>...], "clock"}`: one patient's
  starting state on a shared server. That patient's agents stop; their grants (and versions),
  the tokens and codes of services for them, their exchanges and events are forgotten; their
  data come back as the seed made them (`data.reseeded` false: kept as they were, as asked
  with `keep_data` or when the seed cannot draw them again); then each
  service is connected through the real consent flow, the refused permissions switched off
  (`class/*/access`: all of that class with that access). The patient's own app stays signed
  in; other patients are not touched. 404 unknown account or service (the answer lists them),
  409 suspended service, 422 anything else wrong (nothing changes then).
- `GET /admin/participants` → `{"participants": [<account>...]}`: every account, the seed's
  and the copies. `POST /admin/participants` `{"persona": "camille.martin", "count": 3}` (1 to
  30) → 201 `{"participants": [<account>...]}`: new accounts `camille.martin.2`, ... copying
  the persona (same story and kind of data, new patient id and test INS; a representative is
  copied with whom they represent). 404 for an unknown persona (the answer lists them).
  `<account>`: `{"username", "name", "patient_id", "password", "persona", "copy_of",
  "represents": [{"patient_id", "name", "for"}]}`.
- `GET /admin/services` → `{"services": [{"id", "name", "suspended", "behaviour",
  "actions": [{"label", "access", "schedule"}]}]}`.
- `POST /admin/services/{id}/act` `{"patient"?}` → `{"service", "runs": [{"patient_id",
  "patient", "calls": [<call>...]}]}`: each repeated action once, now. 409 when the service is
  connected to nobody (or not to that patient).
- `POST /admin/services/{id}/misbehave` `{"kind": "outside_grant" | "expired_token",
  "patient"?}` → same shape: `outside_grant` searches data the patient did not grant (403,
  a denied exchange in the patient's log); `expired_token` calls with an access token the
  service already replaced and gave back (401).
- `POST /admin/services/{id}/suspend` and `/reinstate` → `{"service", "suspended",
  "patients_told"}`: the service's grants turn `suspended` (its next request gets 403) or
  active again; each patient concerned gets a `suspension` event. 409 when nothing changes.
- `POST /admin/clients` (RFC 7591 metadata: `client_name`, `redirect_uris`,
  `token_endpoint_auth_method`, `scope`) → 201 with `client_id` (and `client_secret`).
- `GET /admin/connections` → `{"now", "patients": [{"patient_id", "name", "username",
  "app_tokens", "event_streams"}], "agents": [{"service_id", "service", "patient_id",
  "patient", "status": "running" | "suspended" | "stopped", "stop_reason", "connected_at",
  "scope", "requests", "denied", "last_call", "behaviour"}], "suspended_services"}`.

Unknown service → 404 listing the catalogue's ids. `<call>`: `{"at", "method", "path", "status",
"outcome": "allowed" | "denied" | "unauthorized" | "failed" | "skipped" | "error", "summary",
"detail"}`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse

from mock_server.admin.auth import facilitator
from mock_server.admin.bodies import (
    ClientRegistration,
    ClockChange,
    MailleChange,
    Misbehaviour,
    NewParticipants,
    Prepare,
    Reset,
    Target,
    read_body,
)
from mock_server.admin.connections import patient_rows, resolve_patient, usernames
from mock_server.admin.participants import add_participants, list_participants
from mock_server.admin.prepare import connections_for, known_accounts, space_of
from mock_server.oauth.clients import OUTSIDE_SCOPE, RegistrationError, register_client
from mock_server.platform import Platform, get_platform
from mock_server.problems import Problem
from mock_server.simulation.durations import DurationError, french_duration, parse_duration
from mock_server.simulation.patient_driver import connect_as_patient
from mock_server.simulation.runtime import Run, Simulation, SimulationError
from mock_server.simulation.schedule import Schedule
from mock_server.simulation.scheduler import JumpTooBig
from mock_server.simulation.states import NamedStates, apply_state
from mock_server.storage.schema import resources

router = APIRouter(prefix="/admin", tags=["console animateur"],
                   dependencies=[Depends(facilitator)])

MAX_JUMP: Final = timedelta(days=31)
MAX_JUMP_ACTIONS: Final = 1000
_TITLES = {400: "Requête invalide", 403: "Action refusée", 404: "Introuvable",
           409: "Action impossible", 422: "Requête invalide", 502: "Plateforme injoignable"}


def _simulation(request: Request) -> Simulation:
    simulation = get_platform(request).simulation
    assert simulation is not None
    return simulation


def _problem(error: SimulationError) -> Problem:
    return Problem(error.status, _TITLES.get(error.status, "Erreur"), error.detail)


# --- clock -------------------------------------------------------------------------------------


@router.get("/clock", summary="L'horloge simulée")
async def read_clock(request: Request) -> dict:
    return _simulation(request).clock_state()


@router.post("/clock", summary="Mettre en pause, relancer, changer la vitesse, avancer")
async def change_clock(request: Request) -> dict:
    change = await read_body(request, ClockChange)
    simulation = _simulation(request)
    report = None
    if change.pause:
        await simulation.set_speed(0)
    elif change.resume:
        await simulation.resume()
    elif change.speed is not None:
        await simulation.set_speed(change.speed)
    else:
        report = await _jump(simulation, _span(simulation, change))
    return {"clock": simulation.clock_state(), "jump": report}


def _span(simulation: Simulation, change: ClockChange) -> timedelta:
    if change.to is not None:
        now = simulation.clock.now()
        if change.to <= now:
            raise Problem(409, "L'horloge ne recule jamais",
                          f"« to » ({change.to.isoformat()}) n'est pas après l'heure simulée "
                          f"actuelle ({now.isoformat()}) : l'horloge ne fait qu'avancer ; "
                          "pour repartir de zéro, réinitialisez la plateforme (/admin/reset).")
        return change.to - now
    try:
        return parse_duration(change.jump)
    except DurationError as error:
        raise Problem(422, "Durée invalide", f"jump : {error}") from None


async def _jump(simulation: Simulation, span: timedelta) -> dict:
    if span > MAX_JUMP:
        raise Problem(422, "Saut trop grand",
                      f"Un saut de {french_duration(span)} dépasse le maximum de "
                      f"{french_duration(MAX_JUMP)} : avancez en plusieurs fois.")
    try:
        report = await simulation.jump(span, MAX_JUMP_ACTIONS)
    except JumpTooBig as error:
        raise Problem(422, "Saut trop chargé",
                      f"Ce saut de {french_duration(span)} déclencherait {error.due} actions "
                      f"programmées (au plus {error.limit} par saut) : avancez moins loin, "
                      "en plusieurs fois.") from None
    return {"from": report.start.isoformat(), "to": report.end.isoformat(),
            "span": french_duration(report.end - report.start),
            "occurrences": report.occurrences, "requests": report.requests,
            "by_service": report.by_service}


# --- named states ------------------------------------------------------------------------------


def _states(request: Request) -> NamedStates:
    return request.app.state.named_states


@router.get("/states", summary="Les états nommés disponibles")
async def list_states(request: Request) -> dict:
    return {"states": [
        {"name": name, "description": state.description,
         "connections": [{"account": c.account, "for": c.for_, "service": c.service,
                          "refuse": [f"{p.data_class}/{p.subtype}/{p.access}" for p in c.refuse],
                          "duration": c.duration} for c in state.connections]}
        for name, state in _states(request).states.items()]}


@router.post("/reset", summary="Réinitialiser la plateforme dans un état nommé")
async def reset(request: Request) -> dict:
    body = await read_body(request, Reset)
    simulation = _simulation(request)
    try:
        state = _states(request).get(body.state)
        await simulation.start()
        connections = await apply_state(simulation, state)
    except SimulationError as error:
        raise _problem(error) from None
    counted = await run_in_threadpool(_resource_count, get_platform(request))
    return {"state": body.state, "description": state.description, "resources": counted,
            "connections": connections, "clock": simulation.clock_state()}


def _resource_count(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(resources)).scalar_one()


# --- one patient's starting state, granularity, participants -----------------------------------


@router.get("/maille", summary="La maille de consentement proposée")
async def read_maille(request: Request) -> dict:
    return {"maille": get_platform(request).settings.maille}


@router.post("/maille", summary="Changer la maille de consentement")
async def change_maille(request: Request) -> dict:
    body = await read_body(request, MailleChange)
    platform = get_platform(request)
    previous = platform.settings.maille
    platform.set_maille(body.maille)
    return {"maille": body.maille, "previous": previous}


@router.post("/prepare", summary="Préparer l'espace d'un patient")
async def prepare(request: Request) -> dict:
    body = await read_body(request, Prepare)
    simulation = _simulation(request)
    known = await run_in_threadpool(known_accounts, get_platform(request).engine)
    space = space_of(known, body.account, body.for_)
    wanted = connections_for(simulation, known, space, body)
    done = await simulation.reset_patient(space.patient_id, reseed=not body.keep_data)
    try:
        connected = [await connect_as_patient(simulation, connection) for connection in wanted]
    except SimulationError as error:
        raise _problem(error) from None
    return {"account": space.account, "for": space.for_, "patient_id": space.patient_id,
            "patient": space.patient,
            "forgotten": {"grants": done.grants, "exchanges": done.exchanges},
            "data": {"reseeded": done.resources is not None, "resources": done.resources},
            "connections": connected, "clock": simulation.clock_state()}


@router.get("/participants", summary="Les comptes : personas et leurs copies")
async def participants(request: Request) -> dict:
    return {"participants": await run_in_threadpool(list_participants,
                                                    get_platform(request).engine)}


@router.post("/participants", status_code=201, summary="Copier un persona pour des participants")
async def new_participants(request: Request) -> dict:
    body = await read_body(request, NewParticipants)
    platform = get_platform(request)
    added = await run_in_threadpool(lambda: add_participants(
        platform.engine, seed=platform.settings.seed, persona=body.persona, count=body.count,
        now=platform.clock.now()))
    return {"participants": added}


# --- services ----------------------------------------------------------------------------------


@router.get("/services", summary="Les services simulés et leur comportement")
async def list_services(request: Request) -> dict:
    simulation = _simulation(request)
    return {"services": [
        {"id": sheet.id, "name": sheet.name, "suspended": simulation.is_suspended(sheet.id),
         "behaviour": simulation.behaviours.of(sheet.id).description,
         "actions": [{"label": action.label, "access": action.permission.access,
                      "schedule": _schedule_words(action.schedule)}
                     for action in simulation.behaviours.of(sheet.id).actions]}
        for sheet in simulation.catalog.services]}


_WEEKDAYS: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def _schedule_words(schedule: Schedule) -> str:
    """« chaque jour à 07:00 », « une fois, 3 jours après la connexion à 16:00 »."""
    at = f" à {', '.join(t.strftime('%H:%M') for t in schedule.at)}" if schedule.at else ""
    if schedule.kind == "on_connect":
        return "à la connexion"
    if schedule.kind == "once":
        assert schedule.after is not None
        return f"une fois, {french_duration(schedule.after)} après la connexion{at}"
    assert schedule.every is not None
    if schedule.on:
        return f"chaque {', '.join(_WEEKDAYS[day] for day in schedule.on)}{at}"
    days = schedule.every / timedelta(days=1)
    if days == 1:
        return f"chaque jour{at}"
    if days.is_integer():
        return f"tous les {days:.0f} jours{at}"
    return f"toutes les {french_duration(schedule.every)}{at}"


async def _patient(request: Request, who: str | None) -> str | None:
    if who is None:
        return None
    engine = get_platform(request).engine
    patient_id = await run_in_threadpool(resolve_patient, engine, who)
    if patient_id is None:
        names = await run_in_threadpool(usernames, engine)
        raise Problem(404, "Patient introuvable",
                      f"Aucun patient « {who[:80]} » ; comptes : {', '.join(names)} (ou un "
                      "identifiant de patient).")
    return patient_id


def _runs(service_id: str, runs: list[Run]) -> dict:
    return {"service": service_id, "runs": [
        {"patient_id": run.agent.patient_id, "patient": run.agent.patient_name,
         "calls": [call.as_json() for call in run.calls]} for run in runs]}


@router.post("/services/{service_id}/act", summary="Faire agir un service maintenant")
async def act(request: Request, service_id: str) -> dict:
    body = await read_body(request, Target)
    try:
        runs = await _simulation(request).act(service_id, await _patient(request, body.patient))
    except SimulationError as error:
        raise _problem(error) from None
    return _runs(service_id, runs)


@router.post("/services/{service_id}/misbehave", summary="Faire mal se comporter un service")
async def misbehave(request: Request, service_id: str) -> dict:
    body = await read_body(request, Misbehaviour)
    try:
        runs = await _simulation(request).misbehave(service_id, body.kind,
                                                    await _patient(request, body.patient))
    except SimulationError as error:
        raise _problem(error) from None
    return _runs(service_id, runs)


@router.post("/services/{service_id}/suspend", summary="Suspendre un service (déréférencement)")
async def suspend(request: Request, service_id: str) -> dict:
    return await _authority(request, service_id, suspend=True)


@router.post("/services/{service_id}/reinstate", summary="Lever la suspension d'un service")
async def reinstate(request: Request, service_id: str) -> dict:
    return await _authority(request, service_id, suspend=False)


async def _authority(request: Request, service_id: str, *, suspend: bool) -> dict:
    simulation = _simulation(request)
    try:
        told = await (simulation.suspend(service_id) if suspend
                      else simulation.reinstate(service_id))
    except SimulationError as error:
        raise _problem(error) from None
    sheet = simulation.service(service_id)
    return {"service": {"id": sheet.id, "name": sheet.name}, "suspended": suspend,
            "patients_told": told}


# --- clients and connections -------------------------------------------------------------------


@router.post("/clients", status_code=201, summary="Enregistrer un client extérieur")
async def register(request: Request) -> JSONResponse:
    body = await read_body(request, ClientRegistration)
    platform = get_platform(request)

    def work() -> dict[str, Any]:
        with platform.engine.begin() as conn:
            return register_client(conn, name=body.client_name,
                                   redirect_uris=body.redirect_uris,
                                   public=body.token_endpoint_auth_method == "none",
                                   now=platform.clock.now(), scope=body.scope or OUTSIDE_SCOPE,
                                   auth_method=body.token_endpoint_auth_method)

    try:
        info = await run_in_threadpool(work)
    except RegistrationError as error:
        raise Problem(400, "Enregistrement refusé", error.message) from None
    return JSONResponse(info, status_code=201, headers={"Cache-Control": "no-store"})


@router.get("/connections", summary="Qui est connecté")
async def connections(request: Request) -> dict:
    simulation = _simulation(request)
    platform = get_platform(request)
    now = platform.clock.now()
    patients = await run_in_threadpool(patient_rows, platform.engine, now)
    for row in patients:
        row["event_streams"] = simulation.hooks.open_streams(row["patient_id"])
    return {"now": now.isoformat(), "patients": patients,
            "agents": simulation.connection_rows(),
            "suspended_services": sorted(simulation.suspended)}
