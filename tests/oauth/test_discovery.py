"""Discovery documents: OpenID Provider metadata and SMART configuration."""

from __future__ import annotations

from authlib.oidc.discovery import OpenIDProviderMetadata

BASE = "http://localhost"


async def test_openid_configuration_is_valid_provider_metadata(client):
    response = await client.get("/.well-known/openid-configuration")
    assert response.status_code == 200
    doc = response.json()
    OpenIDProviderMetadata(doc).validate()
    assert doc["issuer"] == BASE
    assert doc["authorization_endpoint"] == f"{BASE}/oauth/authorize"
    assert doc["token_endpoint"] == f"{BASE}/oauth/token"
    assert doc["jwks_uri"] == f"{BASE}/oauth/jwks"
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["authorization_response_iss_parameter_supported"] is True


async def test_check_02_discovery_lists_only_s256(client):
    for path in ("/.well-known/openid-configuration", "/fhir/.well-known/smart-configuration"):
        assert (await client.get(path)).json()["code_challenge_methods_supported"] == ["S256"]


async def test_smart_configuration_has_the_smart_app_launch_fields(client):
    doc = (await client.get("/fhir/.well-known/smart-configuration")).json()
    assert doc["issuer"] == BASE
    assert doc["authorization_endpoint"] == f"{BASE}/oauth/authorize"
    assert doc["token_endpoint"] == f"{BASE}/oauth/token"
    assert doc["revocation_endpoint"] == f"{BASE}/oauth/revoke"
    assert doc["introspection_endpoint"] == f"{BASE}/oauth/introspect"
    assert doc["registration_endpoint"] == f"{BASE}/oauth/register"
    assert doc["userinfo_endpoint"] == f"{BASE}/oauth/userinfo"
    assert doc["management_endpoint"] == f"{BASE}/grants"
    assert doc["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert doc["response_types_supported"] == ["code"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic", "client_secret_post", "none"}
    assert {"openid", "fhirUser", "offline_access", "patient/*.rs"} <= set(doc["scopes_supported"])
    assert {
        "launch-standalone", "client-public", "client-confidential-symmetric",
        "context-standalone-patient", "permission-v2", "permission-patient",
        "permission-offline", "authorize-post",
    } <= set(doc["capabilities"])


async def test_rfc8414_metadata_matches_the_openid_document(client):
    oauth = (await client.get("/.well-known/oauth-authorization-server")).json()
    assert oauth == (await client.get("/.well-known/openid-configuration")).json()
