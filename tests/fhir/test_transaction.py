"""`POST /fhir` transaction Bundles: one Observation plus an optional conditional Device."""

from __future__ import annotations

from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import func, select

from mock_server.storage.schema import resources
from tests.fhir.conftest import auth, measure, write_headers

SERIAL_SYSTEM = "urn:ietf:rfc:3986"
DEVICE_URN = "urn:uuid:0b7e7d2a-1f0b-4f7e-9a55-5a3c1c3d9e01"


def _device(serial: str) -> dict:
    return {
        "resourceType": "Device",
        "identifier": [{"system": SERIAL_SYSTEM, "value": serial}],
        "manufacturer": "Balances Dupont",
        "deviceName": [{"name": "Balance connectée", "type": "user-friendly-name"}],
    }


def _bundle(serial: str | None = "SN-1234", value: float = 66.0, **observation_extra) -> dict:
    observation = measure("body_weight", value, "2030-01-10T07:30:00+01:00", **observation_extra)
    entries = []
    if serial:
        observation["device"] = {"reference": DEVICE_URN}
        entries.append(
            {
                "fullUrl": DEVICE_URN,
                "resource": _device(serial),
                "request": {
                    "method": "POST",
                    "url": "Device",
                    "ifNoneExist": f"identifier={SERIAL_SYSTEM}|{serial}",
                },
            }
        )
    entries.append(
        {
            "fullUrl": "urn:uuid:5f1d0d8e-8d7a-4d8a-9c0e-2b7f8f3f2a10",
            "resource": observation,
            "request": {"method": "POST", "url": "Observation"},
        }
    )
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


async def _post(client, token: str, bundle: dict):
    return await client.post("/fhir", json=bundle, headers=write_headers(token))


async def test_transaction_creates_the_device_and_rewrites_the_reference(
    client, camille_token, settings
):
    response = await _post(client, camille_token, _bundle())
    assert response.status_code == 200, response.text
    result = response.json()
    Bundle.model_validate(result)
    assert result["type"] == "transaction-response"
    device_entry, observation_entry = result["entry"]
    assert device_entry["response"]["status"] == "201 Created"
    assert observation_entry["response"]["status"] == "201 Created"
    device_id = device_entry["resource"]["id"]
    assert observation_entry["resource"]["device"] == {"reference": f"Device/{device_id}"}
    location = observation_entry["response"]["location"]
    assert location == f"Observation/{observation_entry['resource']['id']}/_history/1"
    assert (
        observation_entry["fullUrl"]
        == f"{settings.fhir_base_url}/{location.rsplit('/_history', 1)[0]}"
    )
    stored = await client.get(
        f"/fhir/{location.rsplit('/_history', 1)[0]}", headers=auth(camille_token)
    )
    assert stored.json()["device"] == {"reference": f"Device/{device_id}"}


async def test_existing_device_with_the_same_identifier_is_reused(client, camille_token):
    first = (await _post(client, camille_token, _bundle())).json()
    second = await _post(client, camille_token, _bundle(value=66.4))
    assert second.status_code == 200
    device_entry, observation_entry = second.json()["entry"]
    assert device_entry["response"]["status"] == "200 OK"
    assert device_entry["resource"]["id"] == first["entry"][0]["resource"]["id"]
    assert (
        observation_entry["resource"]["device"]["reference"]
        == f"Device/{device_entry['resource']['id']}"
    )


async def test_other_patients_device_is_not_reused(client, camille_token, karim_token):
    karims = (await _post(client, karim_token, _bundle())).json()
    camilles = (await _post(client, camille_token, _bundle())).json()
    assert camilles["entry"][0]["response"]["status"] == "201 Created"
    assert camilles["entry"][0]["resource"]["id"] != karims["entry"][0]["resource"]["id"]


async def test_transaction_without_device(client, camille_token):
    response = await _post(client, camille_token, _bundle(serial=None))
    assert response.status_code == 200
    assert [e["response"]["status"] for e in response.json()["entry"]] == ["201 Created"]


async def test_invalid_observation_rolls_the_whole_transaction_back(client, camille_token, engine):
    def devices() -> int:
        with engine.connect() as conn:
            return conn.execute(
                select(func.count())
                .select_from(resources)
                .where(resources.c.resource_type == "Device")
            ).scalar_one()

    before = devices()
    response = await _post(client, camille_token, _bundle(value=900.0))
    assert response.status_code == 422
    assert devices() == before


async def test_only_transactions_of_an_observation_and_a_device_are_accepted(client, camille_token):
    batch = _bundle() | {"type": "batch"}
    assert (await _post(client, camille_token, batch)).status_code == 422
    two = _bundle(serial=None)
    two["entry"] = two["entry"] * 2
    assert (await _post(client, camille_token, two)).status_code == 422
    put = _bundle(serial=None)
    put["entry"][0]["request"] = {"method": "PUT", "url": "Observation/1"}
    assert (await _post(client, camille_token, put)).status_code == 422
    bad_condition = _bundle()
    bad_condition["entry"][0]["request"]["ifNoneExist"] = "name=Balance"
    assert (await _post(client, camille_token, bad_condition)).status_code == 422


async def test_check_45_consent_inside_a_transaction_is_403(client, camille_token, patient_ids):
    bundle = _bundle(serial=None)
    bundle["entry"].append(
        {
            "resource": {"resourceType": "Consent", "status": "active"},
            "request": {"method": "POST", "url": "Consent"},
        }
    )
    response = await _post(client, camille_token, bundle)
    assert response.status_code == 403
    assert response.json()["issue"][0]["code"] == "forbidden"
