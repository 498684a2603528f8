"""Service agents over real HTTP (uvicorn on 127.0.0.1, frozen clock): what the issue's
"Done when" asks. Connections start from the service's own /connect page, the patient consents,
the service exchanges its code at /oauth/token and then acts through the FHIR API; what happened
is read back from the patient's exchange log, data and events."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import httpx
from sqlalchemy import select

from mock_server.seed.measure_timeline import PARIS
from mock_server.storage.schema import authorization_codes, tokens
from tests.oauth.flows import consent, login
from tests.simulation.helpers import (
    LiveServer,
    admin,
    agent_row,
    connect_service,
    events,
    exchanges,
    wait_for,
)

SCALE = "pesee-claire"
PREGNANCY_APP = "grossesse-sereine"
BP_READ = "patient/Observation.rs?code=http://loinc.org|85354-9"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _connected_scale(http: httpx.AsyncClient, token: str, **kwargs) -> list[dict]:
    """Connect the scale for Camille and wait for its import read (on connection)."""
    answer = await connect_service(http, SCALE, "camille.martin", **kwargs)
    assert answer["status"] == "connected"

    async def imported() -> list[dict]:
        return await exchanges(http, token, service=SCALE)

    return await wait_for(imported, what="the scale's import read")


async def test_after_consent_the_agent_gets_tokens_by_the_code_flow_and_its_writes_become_the_patients_data(  # noqa: E501
    live: LiveServer, http: httpx.AsyncClient, app_token,
) -> None:
    start = await http.get(f"/services/{SCALE}/connect")
    assert start.status_code == 302
    assert start.headers["location"].startswith(f"{live.url}/oauth/authorize?")
    page = await login(http, await http.get(start.headers["location"]), "camille.martin")
    page = await consent(http, page)
    assert page.status_code == 302
    assert page.headers["location"].startswith(f"{live.url}/services/{SCALE}/callback?code=")
    done = await http.get(page.headers["location"])
    assert done.status_code == 200 and "Service connecté" in done.text

    token = app_token("camille.martin")
    imported = await wait_for(lambda: exchanges(http, token, service=SCALE), what="import read")
    assert [(e["direction"], e["outcome"]) for e in imported] == [("read", "allowed")]

    result = await admin(http, "POST", f"/services/{SCALE}/act", {"patient": "camille.martin"})
    write = result["runs"][0]["calls"][0]
    assert (write["method"], write["path"], write["status"], write["outcome"]) == (
        "POST", "/fhir", 200, "allowed")

    log = await exchanges(http, token, service=SCALE, direction="write")
    assert [e["outcome"] for e in log] == ["allowed"]
    observation = next(r for r in log[0]["resources"] if r.startswith("Observation/"))
    read = await http.get(f"/fhir/{observation}", headers=bearer(token))
    assert read.status_code == 200
    weight = read.json()
    assert weight["code"]["coding"][0]["code"] == "29463-7"
    assert weight["device"]["reference"].startswith("Device/")
    assert 40 < weight["valueQuantity"]["value"] < 120

    engine = live.app.state.platform.engine
    with engine.connect() as conn:
        codes = conn.execute(select(authorization_codes).where(
            authorization_codes.c.client_id == SCALE)).all()
        issued = conn.execute(select(tokens).where(tokens.c.client_id == SCALE)).all()
    assert len(codes) == 1 and codes[0].used_at is not None
    assert issued and all(row.patient_id == weight["subject"]["reference"].split("/")[1]
                          for row in issued)


async def test_a_clock_jump_runs_the_scheduled_exchanges_in_order_at_their_times(
    live: LiveServer, http: httpx.AsyncClient, app_token,
) -> None:
    token = app_token("camille.martin")
    before = await _connected_scale(http, token)

    result = await admin(http, "POST", "/clock", {"jump": "3d"})
    assert result["jump"]["occurrences"] == 3
    assert result["clock"]["now"] == "2026-11-29T09:30:00+00:00"

    token = app_token("camille.martin")  # the first one expired during the jump
    log = [e for e in await exchanges(http, token, service=SCALE) if e["id"] > before[-1]["id"]]
    assert [e["direction"] for e in log] == ["write"] * 3
    moments = [datetime.fromisoformat(e["at"]) for e in log]
    assert moments == sorted(moments)
    days = [moment.astimezone(PARIS).date().isoformat() for moment in moments]
    assert days == ["2026-11-27", "2026-11-28", "2026-11-29"]
    for moment in moments:
        local = moment.astimezone(PARIS)
        morning = datetime.combine(local.date(), time(7, 0), tzinfo=PARIS)
        assert abs(local - morning) <= timedelta(minutes=20)
    for exchange in log:
        detail = (await http.get(f"/exchanges/{exchange['id']}", headers=bearer(token))).json()
        weight = next(r for r in detail["payload"] if r["resourceType"] == "Observation")
        assert datetime.fromisoformat(weight["effectiveDateTime"]) == datetime.fromisoformat(
            exchange["at"])


async def test_grant_expiry_at_simulated_time_stops_access(
    live: LiveServer, http: httpx.AsyncClient, app_token,
) -> None:
    token = app_token("camille.martin")
    before = await _connected_scale(http, token)
    grant = next(g for g in (await http.get("/grants", headers=bearer(token))).json()["grants"]
                 if g["service"]["id"] == SCALE)
    end = "2026-11-28T12:00:00Z"
    changed = await http.patch(f"/grants/{grant['id']}", json={"valid_until": end},
                               headers=bearer(token))
    assert changed.status_code == 200, changed.text

    await admin(http, "POST", "/clock", {"jump": "3d"})

    token = app_token("camille.martin")
    log = [e for e in await exchanges(http, token, service=SCALE) if e["id"] > before[-1]["id"]]
    assert len(log) == 2 and all(e["outcome"] == "allowed" for e in log)
    assert all(datetime.fromisoformat(e["at"]) < datetime.fromisoformat(end) for e in log)
    agent = agent_row(await admin(http, "GET", "/connections"), SCALE)
    assert agent["status"] == "stopped" and "expir" in agent["stop_reason"]
    grant = (await http.get(f"/grants/{grant['id']}", headers=bearer(token))).json()
    assert grant["status"] == "expired"


async def test_suspension_makes_the_next_call_fail_and_notifies_the_patient(
    live: LiveServer, http: httpx.AsyncClient, app_token, patient_of,
) -> None:
    token = app_token("camille.martin")
    await _connected_scale(http, token)

    suspended = await admin(http, "POST", f"/services/{SCALE}/suspend")
    assert suspended["patients_told"] == [patient_of("camille.martin")]
    told = await events(http, token, "suspension")
    assert told[-1]["client_id"] == SCALE and told[-1]["suspended"] is True
    assert "suspendu" in told[-1]["message"]

    call = (await admin(http, "POST", f"/services/{SCALE}/act"))["runs"][0]["calls"][0]
    assert (call["status"], call["outcome"]) == (403, "denied")
    denied = (await exchanges(http, token, service=SCALE, outcome="denied"))[-1]
    assert "suspendu" in denied["reason"]
    assert agent_row(await admin(http, "GET", "/connections"), SCALE)["status"] == "suspended"

    await admin(http, "POST", f"/services/{SCALE}/reinstate")
    call = (await admin(http, "POST", f"/services/{SCALE}/act"))["runs"][0]["calls"][0]
    assert (call["status"], call["outcome"]) == (200, "allowed")


async def test_a_misbehaving_service_produces_denied_exchanges(
    live: LiveServer, http: httpx.AsyncClient, app_token,
) -> None:
    token = app_token("camille.martin")
    answer = await connect_service(http, PREGNANCY_APP, "camille.martin", refuse=(BP_READ,))
    assert BP_READ not in answer["scope"]

    outside = await admin(http, "POST", f"/services/{PREGNANCY_APP}/misbehave",
                          {"kind": "outside_grant"})
    call = outside["runs"][0]["calls"][0]
    assert (call["status"], call["outcome"]) == (403, "denied")
    assert "85354-9" in call["path"]
    denied = await exchanges(http, token, service=PREGNANCY_APP, outcome="denied")
    assert denied and denied[-1]["reason"].startswith("Consentement non donné")

    stale = await admin(http, "POST", f"/services/{PREGNANCY_APP}/misbehave",
                        {"kind": "expired_token"})
    assert stale["runs"][0]["calls"][0]["status"] == 401
    again = await admin(http, "POST", f"/services/{PREGNANCY_APP}/act")
    assert any(c["outcome"] == "allowed" for c in again["runs"][0]["calls"])


async def test_revocation_stops_the_agent(
    live: LiveServer, http: httpx.AsyncClient, app_token,
) -> None:
    token = app_token("camille.martin")
    await _connected_scale(http, token)
    grant = next(g for g in (await http.get("/grants", headers=bearer(token))).json()["grants"]
                 if g["service"]["id"] == SCALE)
    revoked = await http.post(f"/grants/{grant['id']}/revoke", headers=bearer(token))
    assert revoked.status_code == 200

    calls = (await admin(http, "POST", f"/services/{SCALE}/act"))["runs"][0]["calls"]
    assert [(c["method"], c["outcome"]) for c in calls] == [
        ("POST", "unauthorized"), ("POST", "unauthorized")]
    agent = agent_row(await admin(http, "GET", "/connections"), SCALE)
    assert agent["status"] == "stopped" and "revoqu" in agent["stop_reason"]
    before = await exchanges(http, token, service=SCALE)

    jump = await admin(http, "POST", "/clock", {"jump": "2d"})
    assert jump["jump"]["occurrences"] == 0
    token = app_token("camille.martin")
    log = await exchanges(http, token, service=SCALE)
    assert [e["id"] for e in log] == [e["id"] for e in before]
    await admin(http, "POST", f"/services/{SCALE}/act", expect=409)
