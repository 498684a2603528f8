"""Creating measures: response headers, the platform's rules (422), the derived BMI."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.observation import Observation
from sqlalchemy import select

from mock_server.reference import LOINC, compute_bmi, measure_by_key
from mock_server.storage.schema import resources
from tests.fhir.conftest import auth, blood_pressure, measure, write_headers


async def _post(client, token: str, payload: dict):
    return await client.post("/fhir/Observation", json=payload, headers=write_headers(token))


async def test_create_answers_201_with_location_etag_and_the_stored_resource(
    client, camille_token, settings, patient_ids
):
    response = await _post(client, camille_token, measure("heart_rate", 72))
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    body = response.json()
    assert response.headers["location"] == (
        f"{settings.fhir_base_url}/Observation/{body['id']}/_history/1"
    )
    assert response.headers["etag"] == 'W/"1"'
    assert body["meta"]["versionId"] == "1"
    assert body["meta"]["lastUpdated"] == "2026-11-26T09:30:00.000Z"
    assert body["subject"] == {"reference": f"Patient/{patient_ids['pregnancy']}"}
    Observation.model_validate(body)


async def test_blood_pressure_is_written_as_two_components(client, camille_token):
    response = await _post(client, camille_token, blood_pressure(128, 82))
    assert response.status_code == 201, response.text
    assert len(response.json()["component"]) == 2


async def test_legacy_ens_profile_url_is_accepted(client, camille_token):
    payload = measure("body_temperature", 37.0)
    payload["meta"]["profile"] = [
        "http://esante.gouv.fr/ci-sis/fhir/StructureDefinition/ENS_FrObservationBodyTemperature"
    ]
    assert (await _post(client, camille_token, payload)).status_code == 201


async def test_weight_creates_the_bmi_from_the_latest_height(client, camille_token, engine):
    height = await _post(
        client, camille_token, measure("body_height", 165, "2030-01-01T08:00:00+01:00")
    )
    weight = await _post(
        client, camille_token, measure("body_weight", 68.0, "2030-01-02T08:00:00+01:00")
    )
    assert height.status_code == weight.status_code == 201
    weight_id = weight.json()["id"]
    with engine.connect() as conn:
        rows = conn.execute(
            select(resources.c.json, resources.c.author_client_id).where(
                resources.c.subtype == "bmi", resources.c.json.like(f"%Observation/{weight_id}%")
            )
        ).all()
    assert len(rows) == 1
    bmi = json.loads(rows[0].json)
    assert rows[0].author_client_id is None  # computed by the platform, not written by the app
    assert bmi["valueQuantity"]["value"] == compute_bmi(68.0, 165)
    assert bmi["valueQuantity"]["code"] == "kg/m2"
    assert bmi["effectiveDateTime"] == "2030-01-02T08:00:00+01:00"
    assert bmi["derivedFrom"] == [
        {"reference": f"Observation/{weight_id}"},
        {"reference": f"Observation/{height.json()['id']}"},
    ]
    assert bmi["meta"]["profile"] == [measure_by_key()["bmi"].profile_url]
    Observation.model_validate(bmi)


async def test_height_creates_the_bmi_from_the_latest_weight(client, camille_token):
    await _post(client, camille_token, measure("body_weight", 70.0, "2030-01-01T08:00:00+01:00"))
    await _post(client, camille_token, measure("body_height", 170, "2030-01-02T08:00:00+01:00"))
    bundle = (
        await client.get(
            "/fhir/Observation",
            headers=auth(camille_token),
            params={"code": f"{LOINC}|39156-5", "_count": 1},
        )
    ).json()
    newest = bundle["entry"][0]["resource"]
    assert newest["valueQuantity"]["value"] == compute_bmi(70.0, 170)
    assert newest["effectiveDateTime"] == "2030-01-02T08:00:00+01:00"


async def test_bmi_is_not_writable(client, camille_token):
    response = await _post(client, camille_token, measure("bmi", 22.5))
    assert response.status_code == 422
    issue = response.json()["issue"][0]
    assert (
        issue["diagnostics"] == "Les observations IMC sont calculées à la volée par la plateforme."
    )
    assert issue["code"] == "not-supported"


def _without(payload: dict, *path: str) -> dict:
    target = payload
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return payload


@pytest.mark.parametrize(
    ("payload", "expression"),
    [
        (_without(measure("body_weight", 70.0), "meta"), "Observation.meta.profile"),
        (
            measure(
                "body_weight", 70.0, meta={"profile": [measure_by_key()["body_height"].profile_url]}
            ),
            "Observation.meta.profile",
        ),
        (_without(measure("body_weight", 70.0), "valueQuantity"), "Observation.valueQuantity"),
        (
            _without(measure("body_weight", 70.0), "valueQuantity", "value"),
            "Observation.valueQuantity.value",
        ),
        (measure("body_weight", 400.0), "Observation.valueQuantity.value"),
        (measure("body_weight", "70"), "Observation.valueQuantity.value"),
        (
            measure(
                "body_weight",
                70.0,
                valueQuantity={
                    "value": 70,
                    "system": "http://unitsofmeasure.org",
                    "code": "[lb_av]",
                },
            ),
            "Observation.valueQuantity.code",
        ),
        (measure("body_weight", 70.0, status="done"), "Observation.status"),
        (
            measure("body_weight", 70.0, category=[{"coding": [{"code": "laboratory"}]}]),
            "Observation.category",
        ),
        (
            measure("body_weight", 70.0, code={"coding": [{"system": LOINC, "code": "2160-0"}]}),
            "Observation.code",
        ),
        (
            _without(measure("body_weight", 70.0), "effectiveDateTime"),
            "Observation.effectiveDateTime",
        ),
        (blood_pressure(80, 120), "Observation.component"),
        (blood_pressure(400, 80), "Observation.component[0].valueQuantity.value"),
        (
            measure("body_weight", 70.0, device={"reference": "Device/unknown"}),
            "Observation.device",
        ),
    ],
)
async def test_measures_breaking_a_platform_rule_are_422_naming_the_field(
    client, camille_token, payload, expression
):
    response = await _post(client, camille_token, payload)
    assert response.status_code == 422, response.text
    issue = response.json()["issue"][0]
    assert issue["severity"] == "error"
    assert issue["expression"] == [expression]
    assert expression.split(".")[-1].split("[")[0] in issue["diagnostics"]


async def test_blood_pressure_needs_both_components(client, camille_token):
    payload = blood_pressure(120, 80)
    payload["component"] = payload["component"][:1]
    response = await _post(client, camille_token, payload)
    assert response.status_code == 422
    assert "diastolique" in response.json()["issue"][0]["diagnostics"]


async def test_schema_errors_are_422_with_readable_paths(client, camille_token):
    payload = measure(
        "body_weight",
        70.0,
        valueQuantity={"value": 70, "unknownField": 1},
        effectiveDateTime="hier",
    )
    response = await _post(client, camille_token, payload)
    assert response.status_code == 422
    outcome = response.json()
    expressions = {e for issue in outcome["issue"] for e in issue.get("expression", [])}
    assert {
        "Observation.valueQuantity.unknownField",
        "Observation.effectiveDateTime",
    } <= expressions
    assert outcome["issue"][0]["code"] in ("structure", "required", "invalid")
    assert (
        "Observation.effectiveDateTime"
        in outcome["issue"][0]["diagnostics"] + outcome["issue"][-1]["diagnostics"]
    )


async def test_missing_required_element_is_reported_as_required(client, camille_token):
    payload = _without(measure("body_weight", 70.0), "code")
    issue = (await _post(client, camille_token, payload)).json()["issue"][0]
    assert issue["code"] == "required"
    assert issue["expression"] == ["Observation.code"]


async def test_seeded_measures_of_every_kind_pass_the_write_rules(
    client, camille_token, engine, patient_ids
):
    """The seed and the API agree: a seeded measure written back through the API is accepted."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(resources.c.subtype, resources.c.json)
            .where(
                resources.c.resource_type == "Observation",
                resources.c.subtype != "bmi",
                resources.c.patient_id == patient_ids["pregnancy"],
            )
            .group_by(resources.c.subtype)
        ).all()
    assert len(rows) >= 3
    for row in rows:
        payload = json.loads(row.json)
        response = await _post(client, camille_token, payload)
        assert response.status_code == 201, (row.subtype, response.text)
