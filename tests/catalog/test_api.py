"""The public store API: search, filters, sheets, vocabularies and their errors."""

from __future__ import annotations

import httpx
import pytest

from mock_server.catalog import Catalog, ServiceSheet
from mock_server.catalog.models import OfferorKind, UseCase, codes
from mock_server.catalog.search import fold


async def _ids(client: httpx.AsyncClient, params: object) -> list[str]:
    response = await client.get("/store/services", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["services"])
    return [s["id"] for s in body["services"]]


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


async def test_list_returns_every_service_sorted_by_name_ignoring_accents(
    client: httpx.AsyncClient, catalog: Catalog,
) -> None:
    response = await client.get("/store/services")
    body = response.json()
    names = [s["name"] for s in body["services"]]
    assert body["total"] == len(catalog.services)
    assert names == sorted(names, key=fold)
    assert names.index("Créneau Labo") < names.index("Élan Quotidien") < names.index("GlycoPilote")


async def test_summary_says_what_the_service_reads_and_writes(client: httpx.AsyncClient) -> None:
    body = (await client.get("/store/services", params={"q": "Grossesse Sereine"})).json()
    summary = next(s for s in body["services"] if s["id"] == "grossesse-sereine")
    assert summary["reads"] == ["agenda", "documents", "measures"]
    assert summary["writes"] == ["agenda"]
    assert summary["editor"] == "Matrice Numérique SAS"
    assert summary["referencing_status"] == "reference"


@pytest.mark.parametrize(("query", "expected"), [
    ("grossesse", "grossesse-sereine"),
    ("GROSSESSE", "grossesse-sereine"),
    ("GLYCEMIE", "glyco-pilote"),
    ("glycémie", "carnet-diabete"),
    ("Ondalys", "pesee-claire"),
    ("maintien", "veille-domicile"),
])
async def test_search_ignores_case_and_accents_and_reads_editor_and_use_case_labels(
    client: httpx.AsyncClient, query: str, expected: str,
) -> None:
    assert expected in await _ids(client, {"q": query})


async def test_search_accented_and_plain_queries_give_the_same_results(
    client: httpx.AsyncClient,
) -> None:
    plain = await _ids(client, {"q": "glycemie"})
    assert plain == await _ids(client, {"q": "GLYCÉMIE"})
    assert "pesee-claire" not in plain


async def test_search_needs_every_word(client: httpx.AsyncClient) -> None:
    assert await _ids(client, {"q": "diabète gestationnel"}) == ["neuf-lunes"]


async def test_search_without_match_is_an_empty_list(client: httpx.AsyncClient) -> None:
    assert await _ids(client, {"q": "astrologie"}) == []


FILTERS = {
    "use_case": ("autonomie", lambda s: "autonomie" in s.use_cases),
    "data_class": ("agenda", lambda s: any(p.data_class == "agenda" for p in s.permissions)),
    "access": ("write", lambda s: any(p.access == "write" for p in s.permissions)),
    "pricing": ("payant", lambda s: s.pricing == "payant"),
    "platform": ("web", lambda s: "web" in s.platforms),
}


@pytest.mark.parametrize("name", FILTERS)
async def test_each_filter_keeps_exactly_the_matching_services(
    client: httpx.AsyncClient, catalog: Catalog, name: str,
) -> None:
    value, keeps = FILTERS[name]
    expected = {s.id for s in catalog.services if keeps(s)}
    assert expected and len(expected) < len(catalog.services)
    assert set(await _ids(client, {name: value})) == expected


async def test_filter_values_are_alternatives_repeated_or_comma_separated(
    client: httpx.AsyncClient, catalog: Catalog,
) -> None:
    expected = {s.id for s in catalog.services if s.pricing in ("payant", "freemium")}
    repeated = await _ids(client, [("pricing", "payant"), ("pricing", "freemium")])
    assert set(repeated) == expected
    assert await _ids(client, {"pricing": "payant, freemium"}) == repeated


def _writes_measures_on_web(service: ServiceSheet) -> bool:
    return "web" in service.platforms and any(
        p.data_class == "measures" and p.access == "write" for p in service.permissions)


async def test_combined_filters_all_apply_and_class_and_access_describe_one_permission(
    client: httpx.AsyncClient, catalog: Catalog,
) -> None:
    found = await _ids(client, {"data_class": "measures", "access": "write", "platform": "web"})
    assert set(found) == {s.id for s in catalog.services if _writes_measures_on_web(s)}
    # reads measures and writes the agenda, but writes no measure
    assert "grossesse-sereine" not in found
    both = await _ids(client, {"q": "grossesse", "use_case": "pre-post-hospitalisation"})
    assert both == ["maternite-glycines"]


@pytest.mark.parametrize(("name", "valid"), [
    ("use_case", codes(UseCase)),
    ("data_class", ("agenda", "documents", "measures")),
    ("access", ("read", "write")),
    ("pricing", ("gratuit", "payant", "freemium")),
    ("platform", ("web", "ios", "android")),
])
async def test_invalid_filter_value_is_a_400_listing_valid_values(
    client: httpx.AsyncClient, name: str, valid: tuple[str, ...],
) -> None:
    response = await client.get("/store/services", params={name: f"{valid[0]},inconnu"})
    problem = _problem(response, 400)
    assert problem["detail"] == (f"Valeur « inconnu » inconnue pour le filtre {name} ; "
                                 f"valeurs possibles : {', '.join(valid)}.")


async def test_unknown_query_parameter_is_a_400(client: httpx.AsyncClient) -> None:
    problem = _problem(await client.get("/store/services", params={"categorie": "x"}), 400)
    assert problem["detail"] == ("Le paramètre « categorie » n'existe pas ; paramètres possibles : "
                                 "q, use_case, data_class, access, pricing, platform.")


async def test_sheet_explains_each_permission_with_scope_and_sentence(
    client: httpx.AsyncClient, catalog: Catalog,
) -> None:
    response = await client.get("/store/services/grossesse-sereine")
    assert response.status_code == 200
    sheet = response.json()
    service = catalog.get("grossesse-sereine")
    assert service is not None
    assert sheet["editor"]["legal_name"] == service.editor.legal_name
    assert sheet["recourse"] == service.recourse
    first = sheet["permissions"][0]
    assert first == {
        "data_class": "measures", "subtype": "body_weight", "access": "read",
        "reason": "Afficher l'évolution de votre poids pendant la grossesse",
        "scope": "patient/Observation.rs?code=http://loinc.org|29463-7",
        "sentence": "Lire vos mesures de poids",
    }
    assert "patient/Appointment.cu" in sheet["scopes"] and "offline_access" in sheet["scopes"]


async def test_every_sheet_is_served(client: httpx.AsyncClient, catalog: Catalog) -> None:
    for service in catalog.services:
        sheet = (await client.get(f"/store/services/{service.id}")).json()
        assert len(sheet["permissions"]) == len(service.permissions)
        assert all(p["scope"] and p["sentence"] for p in sheet["permissions"])


async def test_sheet_sentences_in_english(client: httpx.AsyncClient) -> None:
    sheet = (await client.get("/store/services/rdv-sante-facile", params={"lang": "en"})).json()
    assert [p["sentence"] for p in sheet["permissions"]] == [
        "Read your calendar", "Add and change appointments in your calendar"]


async def test_unknown_service_is_a_404_problem(client: httpx.AsyncClient) -> None:
    problem = _problem(await client.get("/store/services/x"), 404)
    assert problem["detail"] == "Aucun service « x » dans le catalogue."


@pytest.mark.parametrize("path", ["/store/services/medivisio", "/store/use-cases",
                                  "/store/offeror-kinds"])
async def test_sheet_and_vocabularies_refuse_unknown_parameters_and_languages(
    client: httpx.AsyncClient, path: str,
) -> None:
    unknown = _problem(await client.get(path, params={"q": "x"}), 400)
    assert unknown["detail"] == "Le paramètre « q » n'existe pas ; paramètre possible : lang."
    language = _problem(await client.get(path, params={"lang": "de"}), 400)
    assert language["detail"] == "Langue « de » non prise en charge ; langues possibles : fr, en."


@pytest.mark.parametrize(("path", "vocabulary", "french", "english"), [
    ("/store/use-cases", UseCase, ("grossesse", "Grossesse"), ("grossesse", "Pregnancy")),
    ("/store/offeror-kinds", OfferorKind,
     ("teleconsultation", "Plateforme de téléconsultation"),
     ("teleconsultation", "Teleconsultation platform")),
])
async def test_vocabularies_list_codes_with_labels(
    client: httpx.AsyncClient, path: str, vocabulary: object,
    french: tuple[str, str], english: tuple[str, str],
) -> None:
    fr = (await client.get(path)).json()
    en = (await client.get(path, params={"lang": "en"})).json()
    assert [item["code"] for item in fr] == list(codes(vocabulary))
    assert {"code": french[0], "label": french[1]} in fr
    assert {"code": english[0], "label": english[1]} in en
