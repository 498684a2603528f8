"""The simulated services' own web pages (what a store service's site would serve).

- `GET /services/{id}/connect`: the service starts its authorization request (PKCE S256 and state
  kept on the service side) and sends the patient's browser to `/oauth/authorize` (302), or, with
  `Accept: application/json`, answers `{"authorize_url"}` for an app that drives the flow itself
  (the patient app's JSON variant).
- `GET /services/{id}/callback?code&state&iss` (the redirect URI of the catalogue sheet): the
  service checks state and issuer, exchanges the code at `/oauth/token` with its secret and its
  PKCE verifier, and starts acting for the patient. Answers a page « Service connecté » (HTML, or
  JSON `{"status": "connected" | "refused", "service": {"id", "name"}, "patient_id", "scope",
  "behaviour"}`). A refusal (`error=access_denied`) is a page too; a bad or replayed callback is
  400, an unknown service 404, a suspended one 403 (JSON problems, or an HTML page).
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from mock_server.oauth.pages import PAGE_HEADERS
from mock_server.problems import problem_response
from mock_server.simulation.agent import ServiceAgent
from mock_server.simulation.runtime import Simulation, SimulationError

router = APIRouter(prefix="/services", tags=["services simulés"])

_TITLES = {400: "Connexion impossible", 403: "Service suspendu", 404: "Service inconnu",
           502: "Plateforme injoignable"}


def simulation_of(request: Request) -> Simulation:
    return request.app.state.platform.simulation


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _page(title: str, paragraphs: list[str], status: int = 200) -> HTMLResponse:
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = (f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
            f"{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>{body}"
            "</main></body></html>")
    return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def _error(request: Request, error: SimulationError) -> Response:
    title = _TITLES.get(error.status, "Demande refusée")
    if _wants_json(request):
        return problem_response(error.status, title, error.detail)
    return _page(title, [error.detail], error.status)


@router.get("/{service_id}/connect", summary="Connecter ce service (début du parcours OAuth)")
async def connect(request: Request, service_id: str) -> Response:
    try:
        url = await simulation_of(request).start_authorization(service_id)
    except SimulationError as error:
        return _error(request, error)
    if _wants_json(request):
        return JSONResponse({"authorize_url": url}, headers={"Cache-Control": "no-store"})
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


@router.get("/{service_id}/callback", summary="Adresse de retour OAuth du service")
async def callback(request: Request, service_id: str) -> Response:
    simulation = simulation_of(request)
    try:
        agent = await simulation.complete_authorization(service_id,
                                                        dict(request.query_params.items()))
    except SimulationError as error:
        return _error(request, error)
    name = simulation.service(service_id).name
    if agent is None:
        if _wants_json(request):
            return JSONResponse({"status": "refused", "service": {"id": service_id,
                                                                  "name": name}})
        return _page("Connexion refusée", [f"Vous n'avez rien partagé avec « {name} ». "
                                           "Vous pouvez fermer cette page."])
    return _connected(request, agent)


def _connected(request: Request, agent: ServiceAgent) -> Response:
    if _wants_json(request):
        return JSONResponse({
            "status": "connected",
            "service": {"id": agent.service.id, "name": agent.service.name},
            "patient_id": agent.patient_id,
            "scope": sorted(agent.tokens.scope),
            "behaviour": agent.behaviour.description,
        }, headers={"Cache-Control": "no-store"})
    return _page("Service connecté", [
        f"« {agent.service.name} » est maintenant connecté à l'espace santé de "
        f"{agent.patient_name}.",
        agent.behaviour.description,
        "Vous pouvez suivre chacun de ses échanges dans Mon espace santé, et retirer votre "
        "autorisation à tout moment. Vous pouvez fermer cette page.",
    ])
