"""The consent step wired to the register: allowing records exactly what was kept."""

from __future__ import annotations

from datetime import timedelta

from mock_server.catalog import load_catalog, requested_scopes
from mock_server.consent.permissions import load_permissions
from mock_server.consent.validity import DURATION_MONTHS
from mock_server.oauth.authorize import DURATIONS
from mock_server.oauth.clients import OUTSIDE_SCOPE
from tests.conftest import FROZEN_NOW
from tests.consent.conftest import (
    BIOLOGY_READ,
    GLUCOSE_READ,
    GLUCOSE_WRITE,
    GLYCO,
    WEIGHT_READ,
    service_scope,
)
from tests.oauth.flows import (
    authorization_params,
    authorize_outside_client,
    consent,
    login,
    make_pkce,
    read_form,
    redirect_params,
    register_outside_client,
    start,
)


def _triples(row) -> set[tuple[str, str, str]]:
    return {(p.data_class, p.subtype, p.access) for p in load_permissions(row.permissions)}


async def test_check_26_grant_holds_exactly_the_kept_permissions_duration_and_choice(
        connect, grant_rows, patient_ids):
    tokens = await connect(GLYCO, "karim.benali", grant=[GLUCOSE_READ, WEIGHT_READ],
                           duration="1m", include_earlier=False)

    assert {s for s in tokens["scope"].split() if "/" in s} == {GLUCOSE_READ, WEIGHT_READ}
    [row] = grant_rows(GLYCO)
    assert row.patient_id == patient_ids["diabetes"]
    assert _triples(row) == {("measures", "glucose", "read"), ("measures", "body_weight", "read")}
    assert (row.status, row.version, row.duration, row.include_earlier) == (
        "active", 1, "1m", False)
    assert row.valid_from == FROZEN_NOW
    assert row.valid_until == FROZEN_NOW.replace(month=12)
    assert row.maille == "type"


async def test_durations_give_calendar_ends_and_revocation_gives_none(connect, grant_rows):
    await connect(GLYCO, "karim.benali", duration="revocation")
    assert grant_rows(GLYCO)[0].valid_until is None
    await connect("pesee-claire", "karim.benali", duration="1y")
    assert grant_rows("pesee-claire")[0].valid_until == FROZEN_NOW.replace(year=2027)


async def test_allowing_publishes_a_grant_event(connect, grant_events, grant_rows, patient_ids):
    await connect(GLYCO, "karim.benali")
    [event] = grant_events(patient_ids["diabetes"])
    assert event == {"grant_id": grant_rows(GLYCO)[0].id, "client_id": GLYCO,
                     "service_name": load_catalog().get(GLYCO).name, "change": "created",
                     "status": "active", "version": 1}


async def test_refusing_records_no_grant(client, service_registration, grant_rows):
    registration = service_registration(GLYCO)
    params = authorization_params(client, client_id=GLYCO,
                                  redirect_uri=registration["redirect_uris"][0],
                                  scope=service_scope(GLYCO), pkce=make_pkce())
    page = await login(client, await start(client, params), "karim.benali")
    refused = await consent(client, page, decision="deny")
    assert redirect_params(refused.headers["location"])["error"] == "access_denied"
    assert grant_rows(GLYCO) == []


async def test_connecting_again_is_a_reconnected_version_replacing_the_permissions(
        connect, grant_rows, versions):
    await connect(GLYCO, "karim.benali", grant=[GLUCOSE_READ, GLUCOSE_WRITE])
    await connect(GLYCO, "karim.benali", grant=[BIOLOGY_READ], duration="revocation")

    [row] = grant_rows(GLYCO)
    assert _triples(row) == {("documents", "biologie", "read")}
    assert (row.version, row.duration, row.valid_until) == (2, "revocation", None)
    assert [v.change for v in versions(row.id)] == ["created", "reconnected"]


async def test_page_shows_catalogue_sentences_reasons_and_the_service_summary(
        client, service_registration):
    sheet = load_catalog().get(GLYCO)
    params = authorization_params(client, client_id=GLYCO,
                                  redirect_uri=service_registration(GLYCO)["redirect_uris"][0],
                                  scope=service_scope(GLYCO), pkce=make_pkce())
    page = await login(client, await start(client, params), "karim.benali")

    assert page.status_code == 200
    html = page.text
    assert "Lire vos mesures de glycémie" in html
    for permission in sheet.permissions:
        assert permission.reason.replace("'", "&#x27;") in html
    assert sheet.editor.legal_name.replace("'", "&#x27;") in html
    assert "certification HDS : oui" in html
    assert read_form(html).checkboxes["scope"] == [
        s for s in requested_scopes(sheet) if "/" in s]


async def test_json_variant_carries_reasons_coverage_service_and_maille(
        client, service_registration):
    sheet = load_catalog().get(GLYCO)
    params = authorization_params(client, client_id=GLYCO,
                                  redirect_uri=service_registration(GLYCO)["redirect_uris"][0],
                                  scope=service_scope(GLYCO), pkce=make_pkce())
    first = await client.get("/oauth/authorize", params=params,
                             headers={"Accept": "application/json"})
    body = (await client.post("/oauth/authorize", json={
        "csrf": first.json()["csrf"], "username": "karim.benali", "password": "demo2026"})).json()

    assert body["step"] == "consent"
    assert body["maille"] == "type" and body["groups"] is None
    assert body["service"]["id"] == GLYCO
    assert body["service"]["editor"]["legal_name"] == sheet.editor.legal_name
    assert body["service"]["hosting"]["hds_certified"] is sheet.hosting.hds_certified
    glucose = next(p for p in body["permissions"] if p["scope"] == GLUCOSE_READ)
    assert glucose["sentence"] == "Lire vos mesures de glycémie"
    assert glucose["reason"] == next(p.reason for p in sheet.permissions
                                     if (p.subtype, p.access) == ("glucose", "read"))
    assert glucose["covers"] == [{"data_class": "measures", "subtype": "glucose",
                                  "access": "read"}]
    assert glucose["group"] == "measures.read"


async def test_outside_client_wildcard_grant_reads_every_class(client, grant_rows):
    registration = await register_outside_client(client)
    await authorize_outside_client(client, registration, "karim.benali",
                                   grant=["patient/*.rs", "patient/Appointment.cu"])
    [row] = grant_rows(registration["client_id"])
    assert _triples(row) == {("measures", "all", "read"), ("documents", "all", "read"),
                             ("agenda", "all", "read"), ("agenda", "all", "write")}
    assert "patient/*.rs" in OUTSIDE_SCOPE


async def test_representative_grant_belongs_to_the_represented_child(
        connect, grant_rows, versions, patient_ids):
    await connect("pedia-visio", "sophie.dubois", patient_id=patient_ids["child"])
    [row] = grant_rows("pedia-visio")
    assert row.patient_id == patient_ids["child"]
    assert versions(row.id)[0].actor == "sophie.dubois"


async def test_suspended_catalogue_service_cannot_be_connected(client, service_registration):
    suspended = next(s for s in load_catalog().services if s.referencing.status == "suspendu")
    params = authorization_params(
        client, client_id=suspended.id,
        redirect_uri=service_registration(suspended.id)["redirect_uris"][0],
        scope=service_scope(suspended.id), pkce=make_pkce())

    page = await start(client, params)
    as_json = await client.get("/oauth/authorize", params=params,
                               headers={"Accept": "application/json"})

    assert page.status_code == 403
    assert "location" not in page.headers
    assert "suspendu par l&#x27;autorité de référencement" in page.text
    assert as_json.status_code == 403
    assert as_json.json()["error"] == "service_suspended"
    assert suspended.referencing.note in as_json.json()["error_description"]


async def test_consent_expiry_is_counted_from_the_simulated_clock(connect, grant_rows, clock):
    clock.advance(timedelta(days=3))
    await connect(GLYCO, "karim.benali", duration="6m")
    row = grant_rows(GLYCO)[0]
    assert row.valid_from == FROZEN_NOW + timedelta(days=3)
    assert row.valid_until == (FROZEN_NOW + timedelta(days=3)).replace(year=2027, month=5)


def test_the_register_understands_every_duration_the_consent_step_offers():
    assert list(DURATION_MONTHS) == list(DURATIONS)
