"""The pure rules under the endpoints: redirect URIs, scope containment, wording, error texts."""

from __future__ import annotations

import pytest
from authlib.oauth2.rfc6749 import InvalidGrantError, UnsupportedGrantTypeError

from mock_server.oauth.clients import redirect_uri_matches, redirect_uri_problem
from mock_server.oauth.errors import ascii_text, french_description, frenchify
from mock_server.oauth.scope_policy import all_within, is_within, requested_scopes
from mock_server.oauth.wording import describe
from mock_server.scopes import InvalidScope

REGISTERED = ["http://127.0.0.1/callback", "https://service.example.org/cb"]


@pytest.mark.parametrize(("uri", "expected"), [
    ("http://127.0.0.1/callback", True),
    ("http://127.0.0.1:49152/callback", True),
    ("http://127.0.0.1:49152/callback/", False),
    ("http://127.0.0.1:49152/other", False),
    ("http://localhost:49152/callback", False),
    ("https://service.example.org/cb", True),
    ("https://service.example.org:443/cb", False),
    ("https://service.example.org/cb?x", False),
])
def test_redirect_uri_matching_is_exact_except_the_loopback_port(uri, expected):
    assert redirect_uri_matches(uri, REGISTERED) is expected


@pytest.mark.parametrize(("uri", "allowed"), [
    ("https://a.example/cb", True),
    ("http://127.0.0.1:8000/cb", True),
    ("http://[::1]/cb", True),
    ("http://localhost/cb", True),
    ("http://a.example/cb", False),
    ("https://a.example/cb#x", False),
    ("https://u:p@a.example/cb", False),
    ("ftp://a.example/cb", False),
    ("https:///cb", False),
    ("https://a.example:99999/cb", False),
])
def test_redirect_uri_registration_rules(uri, allowed):
    assert (redirect_uri_problem(uri) is None) is allowed


@pytest.mark.parametrize(("item", "expected"), [
    ("patient/Observation.rs", True),
    ("patient/Observation.rs?code=http://loinc.org|29463-7", True),
    ("patient/Observation.r", True),
    ("patient/Observation.c", True),
    ("patient/Observation.cu", False),
    ("patient/Observation.d", False),
    ("patient/Appointment.u", True),
    ("patient/*.rs", True),
    ("patient/*.c", False),
    ("user/Observation.rs", False),
    ("launch/patient", True),
    ("online_access", True),
    ("profile", False),
])
def test_scope_containment_follows_smart_v2(item, expected):
    allowed = "openid offline_access patient/*.rs patient/Observation.c patient/Appointment.cu"
    assert is_within(item, allowed.split()) is expected


def test_restricted_allowed_scope_only_covers_the_same_restriction():
    allowed = ["patient/Observation.rs?code=http://loinc.org|29463-7"]
    assert is_within("patient/Observation.rs?code=http://loinc.org|29463-7", allowed)
    assert not is_within("patient/Observation.rs", allowed)
    assert not is_within("patient/Observation.rs?code=http://loinc.org|8302-2", allowed)


def test_requested_scopes_are_deduplicated_and_explained_when_refused():
    assert requested_scopes("openid openid patient/*.rs", "openid patient/*.rs") == [
        "openid", "patient/*.rs"]
    with pytest.raises(InvalidScope, match="obligatoire"):
        requested_scopes("  ", "openid")
    with pytest.raises(InvalidScope, match="portée système"):
        requested_scopes("system/*.rs", "system/*.rs")
    assert not all_within("patient/Foo.rs", "patient/*.rs")


def test_error_descriptions_are_french_and_wire_safe():
    assert ascii_text("« Déjà » expiré… “œuvre” \\ \"x\"") == "'Deja' expire... 'oeuvre' / 'x'"
    authlib_error = InvalidGrantError("Invalid 'code' in request.")
    assert french_description(authlib_error).startswith("Le code d'autorisation est inconnu")
    unknown_text = InvalidGrantError("Something new in authlib")
    assert french_description(unknown_text).startswith("L'autorisation présentée")
    assert frenchify(UnsupportedGrantTypeError("password")).description.startswith(
        "Type de demande (grant_type) non pris en charge")


@pytest.mark.parametrize(("scope", "sentence", "access"), [
    ("patient/Observation.rs?code=http://loinc.org|29463-7", "Lire vos mesures (poids).", "read"),
    ("patient/Observation.rs?code=http://loinc.org|39156-5", "Lire vos mesures (IMC).", "read"),
    ("patient/Appointment.cu", "Ajouter et modifier vos rendez-vous.", "write"),
    ("patient/*.cruds", "Lire, ajouter, modifier et supprimer toutes vos données de santé.",
     "read-write"),
    ("patient/DocumentReference.rs?category="
     "https://ens-consent.example.org/fhir/CodeSystem/document-group|biologie",
     "Lire vos documents de santé (groupe « Biologie »).", "read"),
    ("patient/Observation.rs?code=http://example.org|x",
     "Lire vos mesures (code = http://example.org|x).", "read"),
])
def test_scopes_read_as_french_sentences(scope, sentence, access):
    permission = describe(scope)
    assert (permission.sentence, permission.access) == (sentence, access)
