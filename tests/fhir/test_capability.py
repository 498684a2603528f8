"""`GET /fhir/metadata`: a valid R4B CapabilityStatement listing exactly what is served."""

from __future__ import annotations

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

from mock_server.fhir.capability import OAUTH_URIS
from mock_server.fhir.search import CONTROL_PARAMS, SEARCH_PARAMS
from mock_server.fhir.supported import INTERACTIONS


async def test_metadata_is_a_valid_capability_statement(client):
    response = await client.get("/fhir/metadata")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json; charset=utf-8"
    CapabilityStatement.model_validate(response.json())


async def test_metadata_declares_smart_oauth_uris_under_the_base_url(client, settings):
    rest = (await client.get("/fhir/metadata")).json()["rest"][0]
    security = rest["security"]
    assert security["service"][0]["coding"][0]["code"] == "SMART-on-FHIR"
    oauth = next(e for e in security["extension"] if e["url"] == OAUTH_URIS)
    uris = {e["url"]: e["valueUri"] for e in oauth["extension"]}
    base = settings.base_url
    assert uris == {
        "authorize": f"{base}/oauth/authorize",
        "token": f"{base}/oauth/token",
        "revoke": f"{base}/oauth/revoke",
        "introspect": f"{base}/oauth/introspect",
    }


async def test_metadata_lists_exactly_the_served_interactions_and_search_params(client):
    rest = (await client.get("/fhir/metadata")).json()["rest"][0]
    resources = {r["type"]: r for r in rest["resource"]}
    for resource_type, interactions in INTERACTIONS.items():
        assert [i["code"] for i in resources[resource_type]["interaction"]] == list(interactions)
        declared = [p["name"] for p in resources[resource_type].get("searchParam", [])]
        expected = [p.name for p in SEARCH_PARAMS.get(resource_type, ())]
        assert declared == (expected + list(CONTROL_PARAMS) if expected else [])
    assert resources["Device"]["conditionalCreate"] is True
    assert "interaction" not in resources["Device"]
    assert [i["code"] for i in rest["interaction"]] == ["transaction"]


async def test_metadata_honours_format_json_and_refuses_xml(client):
    assert (await client.get("/fhir/metadata", params={"_format": "json"})).status_code == 200
    refused = await client.get("/fhir/metadata", headers={"Accept": "application/fhir+xml"})
    assert refused.status_code == 406
    assert refused.json()["issue"][0]["code"] == "not-supported"
