"""Searches: parameters, paging and links, confinement to the token's patient (checks 40, 48)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mock_server.reference import LOINC
from tests.fhir.conftest import auth, measure, write_headers

WINDOW = "ge2030-01-01"
"""Resources the tests create are dated 2030, after any seeded data."""


@pytest.fixture
async def camille_measures(client, camille_token) -> list[dict]:
    """Five measures of Camille in January 2030: 3 waist sizes, 1 heart rate, 1 temperature
    (no weight: the BMI the platform would add is tested elsewhere)."""
    payloads = [
        measure("waist_circumference", 88, "2030-01-01T08:00:00+01:00"),
        measure("heart_rate", 72, "2030-01-02T08:00:00+01:00"),
        measure("waist_circumference", 89, "2030-01-03T08:00:00+01:00"),
        measure("body_temperature", 37.2, "2030-01-04T08:00:00+01:00"),
        measure("waist_circumference", 90, "2030-01-05T08:00:00+01:00"),
    ]
    created = []
    for payload in payloads:
        response = await client.post(
            "/fhir/Observation", json=payload, headers=write_headers(camille_token)
        )
        assert response.status_code == 201, response.text
        created.append(response.json())
    return created


async def _search(client, token: str, **params) -> dict:
    response = await client.get("/fhir/Observation", params=params, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()


def _dates(bundle: dict) -> list[str]:
    return [e["resource"]["effectiveDateTime"][:10] for e in bundle.get("entry", [])]


async def test_searchset_bundle_shape(client, camille_token, camille_measures, settings):
    bundle = await _search(client, camille_token, date=WINDOW)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "searchset"
    assert bundle["total"] == 5
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"{settings.fhir_base_url}/Observation/{entry['resource']['id']}"
        assert entry["search"] == {"mode": "match"}
    assert [link["relation"] for link in bundle["link"]] == ["self"]


async def test_default_order_is_newest_first_and_sort_date_is_oldest_first(
    client, camille_token, camille_measures
):
    newest_first = await _search(client, camille_token, date=WINDOW)
    assert _dates(newest_first) == sorted(_dates(newest_first), reverse=True)
    oldest_first = await _search(client, camille_token, date=WINDOW, _sort="date")
    assert _dates(oldest_first) == sorted(_dates(oldest_first))
    last = await _search(client, camille_token, _sort="-date", _count=1)
    assert _dates(last) == ["2030-01-05"]


async def test_code_accepts_system_and_code_bare_code_and_comma_or(
    client, camille_token, camille_measures
):
    waists = await _search(client, camille_token, date=WINDOW, code=f"{LOINC}|8280-0")
    assert waists["total"] == 3
    assert (await _search(client, camille_token, date=WINDOW, code="8280-0"))["total"] == 3
    either = await _search(client, camille_token, date=WINDOW, code="8280-0,8867-4")
    assert either["total"] == 4
    wrong_system = await _search(
        client, camille_token, date=WINDOW, code="http://snomed.info/sct|8280-0"
    )
    assert wrong_system["total"] == 0


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2030-01-03", ["2030-01-03"]),
        ("eq2030-01-03", ["2030-01-03"]),
        ("ge2030-01-04", ["2030-01-05", "2030-01-04"]),
        ("gt2030-01-04", ["2030-01-05"]),
        ("lt2030-01-02", ["2030-01-01"]),
        ("le2030-01-02", ["2030-01-02", "2030-01-01"]),
        ("ge2030-01-02T07:00:00Z", ["2030-01-05", "2030-01-04", "2030-01-03", "2030-01-02"]),
        ("2030-01", ["2030-01-05", "2030-01-04", "2030-01-03", "2030-01-02", "2030-01-01"]),
    ],
)
async def test_date_prefixes_and_precisions(
    client, camille_token, camille_measures, date, expected
):
    bundle = await _search(client, camille_token, date=[WINDOW, date])
    assert _dates(bundle) == expected


async def test_paging_links_are_absolute_and_walk_the_results(
    client, camille_token, camille_measures, settings
):
    first = await _search(client, camille_token, date=WINDOW, _count=2)
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert set(links) == {"self", "next"}
    assert links["next"].startswith(f"{settings.fhir_base_url}/Observation?")
    seen = _dates(first)
    next_url = links["next"]
    while next_url:
        page = (await client.get(next_url, headers=auth(camille_token))).json()
        seen += _dates(page)
        relations = {link["relation"]: link["url"] for link in page["link"]}
        assert "previous" in relations
        next_url = relations.get("next")
    assert seen == ["2030-01-05", "2030-01-04", "2030-01-03", "2030-01-02", "2030-01-01"]
    query = parse_qs(urlsplit(links["next"]).query)
    assert query["date"] == [WINDOW] and query["_count"] == ["2"] and query["_offset"] == ["2"]


async def test_offset_past_the_end_gives_an_empty_page_with_the_total(
    client, camille_token, camille_measures
):
    bundle = await _search(client, camille_token, date=WINDOW, _offset=50)
    assert bundle["total"] == 5
    assert "entry" not in bundle


async def test_check_40_search_for_another_patient_is_an_empty_bundle(
    client, camille_token, camille_measures, patient_ids
):
    other = patient_ids["diabetes"]
    for param in ("patient", "subject"):
        for value in (other, f"Patient/{other}"):
            bundle = await _search(client, camille_token, **{param: value})
            assert bundle["total"] == 0 and "entry" not in bundle


async def test_check_40_search_without_patient_is_confined_to_the_token_patient(
    client, camille_token, karim_token, camille_measures, patient_ids
):
    await client.post(
        "/fhir/Observation",
        json=measure("heart_rate", 80, "2030-01-02T08:00:00+01:00"),
        headers=write_headers(karim_token),
    )
    bundle = await _search(client, camille_token, date=WINDOW, _count=100)
    subjects = {e["resource"]["subject"]["reference"] for e in bundle["entry"]}
    assert subjects == {f"Patient/{patient_ids['pregnancy']}"}
    own = await _search(client, camille_token, date=WINDOW, patient=patient_ids["pregnancy"])
    assert own["total"] == 5


@pytest.mark.parametrize(
    "params",
    [
        {"_count": "100000"},
        {"_count": "0"},
        {"_count": "abc"},
        {"_count": "1_0"},
        {"_count": ["10", "20"]},
        {"_offset": "-1"},
        {"_offset": "99999999999999999999999"},
        {"_sort": "code"},
        {"date": "ne2030-01-01"},
        {"date": "yesterday"},
        {"code": ""},
        {"code": ",".join(str(n) for n in range(1000))},
    ],
)
async def test_check_48_out_of_range_paging_and_costly_searches_are_400(
    client, camille_token, params
):
    response = await client.get("/fhir/Observation", params=params, headers=auth(camille_token))
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["severity"] == "error"


async def test_check_48_count_error_names_the_allowed_range(client, camille_token):
    response = await client.get(
        "/fhir/Observation", params={"_count": "101"}, headers=auth(camille_token)
    )
    assert "entre 1 et 100" in response.json()["issue"][0]["diagnostics"]


async def test_unknown_search_parameter_is_400_naming_the_supported_ones(client, camille_token):
    response = await client.get(
        "/fhir/Observation", params={"value-quantity": "gt60"}, headers=auth(camille_token)
    )
    assert response.status_code == 400
    diagnostics = response.json()["issue"][0]["diagnostics"]
    assert "value-quantity" in diagnostics
    for name in ("code", "date", "patient", "_count", "_offset", "_sort"):
        assert name in diagnostics


async def test_include_and_modifiers_are_refused_not_ignored(client, camille_token):
    for params in ({"_include": "Observation:subject"}, {"code:text": "poids"}):
        response = await client.get("/fhir/Observation", params=params, headers=auth(camille_token))
        assert response.status_code == 400
